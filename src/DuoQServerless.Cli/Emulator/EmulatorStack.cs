using System.Reflection;
using Amazon.SQS.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Functions.Guards;

namespace DuoQServerless.Cli.Emulator;

/// <summary>
/// What template.yaml deploys that an emulator can run: the audit table, the findings topic, the
/// approval-requests queue and the approval state machine (the repository's own definition).
/// Created when missing, so `duoq replay --endpoint` and the demo work against a fresh emulator.
/// </summary>
public sealed record EmulatorStack(string AuditTable, string TopicArn, string ApprovalQueueUrl, string StateMachineArn, string Region)
{
    public const string StackName = "duoq";

    public static async Task<EmulatorStack> EnsureAsync(AwsClientFactory aws, CancellationToken cancellationToken)
    {
        var table = $"{StackName}-audit";
        await Aws.Audit.AuditTable.EnsureExistsAsync(aws.DynamoDb, table, cancellationToken);
        // CreateTopic and CreateQueue answer the existing resource when called again with the same name.
        var topic = await aws.Sns.CreateTopicAsync(new CreateTopicRequest($"{StackName}-findings"), cancellationToken);
        var queue = (await aws.Sqs.CreateQueueAsync(new CreateQueueRequest($"{StackName}-approval-requests"), cancellationToken)).QueueUrl;
        var region = aws.Settings.Region.SystemName;
        var stateMachine = await EnsureStateMachineAsync(aws.StepFunctions, queue, topic, region, cancellationToken);
        return new EmulatorStack(table, topic, queue, stateMachine, region);
    }

    /// <summary>The guard functions' environment, as template.yaml sets it, pointed at the emulator.</summary>
    public Dictionary<string, string> FunctionEnvironment(Uri endpoint, bool dryRun = false, string? policyDocument = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = endpoint.ToString().TrimEnd('/'),
            ["AWS_REGION"] = Region,
            // The emulator takes any credentials; fixed fake ones keep a real profile out of it.
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            [FunctionVariables.AuditTable] = AuditTable,
            [FunctionVariables.TopicArn] = TopicArn,
            [FunctionVariables.ApprovalStateMachineArn] = StateMachineArn,
            [FunctionVariables.DryRun] = dryRun ? "true" : "false",
        };
        if (policyDocument is not null) environment[FunctionVariables.PolicyDocument] = policyDocument;
        return environment;
    }

    private static async Task<string> EnsureStateMachineAsync(StepFunctionsClient stepFunctions, string queueUrl, string topicArn, string region, CancellationToken cancellationToken)
    {
        var definition = ApprovalDefinition().Replace("${ApprovalQueueUrl}", queueUrl).Replace("${TopicArn}", topicArn);
        try
        {
            var created = await stepFunctions.CreateStateMachineAsync(
                new CreateStateMachineRequest($"{StackName}-approval", definition, $"arn:aws:iam::123456789012:role/{StackName}-approval"), cancellationToken);
            return created.StateMachineArn;
        }
        // Created by an earlier run against this emulator: its ARN follows from the name.
        catch (AwsApiException e) when (e.ErrorCode == "StateMachineAlreadyExists")
        {
            return $"arn:aws:states:{region}:123456789012:stateMachine:{StackName}-approval";
        }
    }

    private static string ApprovalDefinition()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("approval.asl.json")
            ?? throw new InvalidOperationException("approval.asl.json is not embedded in the CLI assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
