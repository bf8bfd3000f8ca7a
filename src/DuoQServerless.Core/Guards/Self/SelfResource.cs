using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Guards.Self;

/// <summary>The DuoQ resource a call names, read from its requestParameters: its name (what the
/// policy's selfResources patterns match) and, where the call names it by ARN, that ARN.</summary>
internal sealed record SelfResource(string Type, string Noun, string Name, string? Arn)
{
    public AffectedResource Resource() => AffectedResource.Of(Type, Name, Arn);

    public override string ToString() => $"{Noun} {Name}";

    public static SelfResource? Read(CloudTrailRecord record) => record.EventSource switch
    {
        SelfProtectionDetector.EventsSource => Named(record, "AWS::Events::Rule", "EventBridge rule", record.RequestParameters.Str("name") ?? record.RequestParameters.Str("rule")),
        SelfProtectionDetector.LambdaSource => FromArnOrName(record.RequestParameters.Str("functionName"), "AWS::Lambda::Function", "Lambda function", ":function:"),
        SelfProtectionDetector.IamSource => Named(record, "AWS::IAM::Role", "role", record.RequestParameters.Str("roleName")),
        SelfProtectionDetector.StatesSource => FromArnOrName(record.RequestParameters.Str("stateMachineArn"), "AWS::StepFunctions::StateMachine", "state machine", ":stateMachine:"),
        SelfProtectionDetector.SnsSource => FromArnOrName(record.RequestParameters.Str("topicArn"), "AWS::SNS::Topic", "SNS topic", ":"),
        SelfProtectionDetector.DynamoDbSource => Named(record, "AWS::DynamoDB::Table", "DynamoDB table", record.RequestParameters.Str("tableName")),
        _ => null,
    };

    public bool IsDuoQs(IReadOnlyList<string> selfResources) => Glob.MatchesAny(selfResources, Name);

    private static SelfResource? Named(CloudTrailRecord record, string type, string noun, string? name) =>
        string.IsNullOrEmpty(name) ? null : new(type, noun, name, null);

    // A function is named by name, full ARN or partial ARN (123456789012:function:name), maybe with
    // a version or alias after it; a state machine and a topic by ARN, whose name comes last.
    private static SelfResource? FromArnOrName(string? value, string type, string noun, string marker)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var at = value.LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return new(type, noun, value, null);
        var name = value[(at + marker.Length)..];
        var qualifier = name.IndexOf(':', StringComparison.Ordinal);
        if (qualifier >= 0) name = name[..qualifier];
        return name.Length == 0 ? null : new(type, noun, name, value.StartsWith("arn:", StringComparison.Ordinal) ? value : null);
    }
}
