namespace DuoQServerless.Aws.Protocol;

/// <summary>How the project reaches one AWS service through its own protocol clients.</summary>
/// <param name="SigningName">The SigV4 service name, which is also the IAM action prefix (<c>iam:GetRole</c>).</param>
/// <param name="ServiceId">The SDK service id; <c>AWS_ENDPOINT_URL_&lt;ServiceId&gt;</c> overrides its endpoint.</param>
/// <param name="EndpointPrefix">The host label of the regional endpoint (<c>states.us-east-1.amazonaws.com</c>).</param>
/// <param name="ApiVersion">The Query protocol's <c>Version</c> parameter; unused by JSON services.</param>
/// <param name="JsonTargetPrefix">The <c>X-Amz-Target</c> prefix of a JSON 1.0 service; null for Query services.</param>
/// <param name="IsGlobal">One endpoint per partition that signs for the partition's home region (IAM).</param>
/// <param name="JsonVersion">The JSON protocol's version: 1.0 (Step Functions) or 1.1 (EventBridge).</param>
public sealed record AwsService(
    string SigningName,
    string ServiceId,
    string EndpointPrefix,
    string ApiVersion,
    string? JsonTargetPrefix = null,
    bool IsGlobal = false,
    string JsonVersion = "1.0")
{
    public static readonly AwsService Iam = new("iam", "IAM", "iam", "2010-05-08", IsGlobal: true);
    public static readonly AwsService Rds = new("rds", "RDS", "rds", "2014-10-31");
    public static readonly AwsService Sns = new("sns", "SNS", "sns", "2010-03-31");
    public static readonly AwsService CloudFormation = new("cloudformation", "CloudFormation", "cloudformation", "2010-05-15");
    public static readonly AwsService StepFunctions = new("states", "SFN", "states", "2016-11-23", JsonTargetPrefix: "AWSStepFunctions");
    public static readonly AwsService EventBridge = new("events", "EventBridge", "events", "", JsonTargetPrefix: "AWSEvents", JsonVersion: "1.1");

    public override string ToString() => SigningName;
}
