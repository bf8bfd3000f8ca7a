using System.Globalization;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Self;

/// <summary>
/// self-protection: any change to DuoQ's own rules, functions, roles, approval state machine,
/// findings topic or audit table, whoever made it, is critical. A guardrail an agent can switch off
/// is no guardrail. Only a disabled rule has an exact, safe undo (enable it again); everything else
/// is notified with what to do, usually to redeploy the stack. The rule narrows delivery to names
/// starting with the stack's prefix; the detector checks the name again against the policy's
/// selfResources, so an event delivered by hand (duoq replay) is judged the same way.
/// </summary>
public sealed class SelfProtectionDetector : Detector
{
    internal const string EventsSource = "events.amazonaws.com";
    internal const string LambdaSource = "lambda.amazonaws.com";
    internal const string IamSource = "iam.amazonaws.com";
    internal const string StatesSource = "states.amazonaws.com";
    internal const string SnsSource = "sns.amazonaws.com";
    internal const string DynamoDbSource = "dynamodb.amazonaws.com";

    private const string Redeploy = "redeploy the stack (sam deploy) to restore it as the template has it";

    public override Guard Guard => Guard.Self;

    // Lambda's CloudTrail event names carry the API version the call used.
    public override IReadOnlyList<WatchedEvents> Watched { get; } =
    [
        new("aws.events", EventsSource, ["DisableRule", "DeleteRule", "RemoveTargets", "PutTargets", "PutRule"]),
        new("aws.lambda", LambdaSource,
        [
            "UpdateFunctionConfiguration20150331v2", "UpdateFunctionCode20150331v2", "DeleteFunction20150331",
            "RemovePermission20150331v2", "PutFunctionConcurrency20171031",
        ]),
        new("aws.iam", IamSource,
        [
            "AttachRolePolicy", "DetachRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "UpdateAssumeRolePolicy",
            "UpdateRole", "DeleteRole", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
        ]),
        new("aws.states", StatesSource, ["DeleteStateMachine", "UpdateStateMachine"]),
        new("aws.sns", SnsSource, ["DeleteTopic"]),
        new("aws.dynamodb", DynamoDbSource, ["DeleteTable"]),
    ];

    public override IReadOnlyList<RuleNameFilter> RuleNameFilters { get; } =
    [
        new("name", BareName: true, ArnMarker: null),
        new("rule", BareName: true, ArnMarker: null),
        new("functionName", BareName: true, ArnMarker: ":function:"),
        new("roleName", BareName: true, ArnMarker: null),
        new("stateMachineArn", BareName: false, ArnMarker: ":stateMachine:"),
        new("topicArn", BareName: false, ArnMarker: ":"),
        new("tableName", BareName: true, ArnMarker: null),
    ];

    public override IReadOnlyList<RiskBlock> PolicyBlocks { get; } = [SelfProtectionSettings.Block];

    public override IReadOnlyList<string> PlanKinds { get; } = [EnableRule.Kind, NothingToRestore.Kind];

    /// <summary>None: no exemption applies, so no tags are read.</summary>
    public override IReadOnlyList<string> LookupActions { get; } = [];

    protected override DetectionOutcome Inspect(CloudTrailRecord record, GuardPolicy policy, DetectionFacts facts)
    {
        if (SelfResource.Read(record) is not { } resource) return Benign($"{record.EventName} names no resource");
        if (!resource.IsDuoQs(policy.SelfResources))
            return Benign($"{resource} is not one of DuoQ's own (selfResources: {string.Join(", ", policy.SelfResources)})");
        var request = record.RequestParameters;
        return record.EventName switch
        {
            "DisableRule" => Found(record, resource, $"{resource} disabled: its guard no longer sees events",
                new EnableRule(resource.Name, request.Str("eventBusName"))),
            "DeleteRule" => Found(record, resource, $"{resource} deleted: its guard no longer sees events", Nothing($"a deleted rule cannot be enabled; {Redeploy}")),
            "RemoveTargets" => Found(record, resource, $"targets removed from {resource}: its guard may no longer be invoked",
                Nothing($"the removed targets are not in the event; {Redeploy}"), ("targetIds", Targets(request, "ids"))),
            "PutTargets" => Found(record, resource, $"targets of {resource} changed",
                Nothing($"the targets it replaced are not in the event; check the rule's targets and {Redeploy}"), ("targetIds", Targets(request, "targets"))),
            "PutRule" => Found(record, resource, $"{resource} rewritten (pattern, schedule or state)",
                Nothing($"the pattern it replaced is not in the event; {Redeploy}"), ("state", request.Str("state") ?? "unchanged")),
            "UpdateFunctionConfiguration20150331v2" => Found(record, resource, $"configuration of {resource} changed ({Changed(request)})",
                Nothing($"the previous configuration is not in the event; {Redeploy}"), ("changed", Changed(request))),
            "UpdateFunctionCode20150331v2" => Found(record, resource, $"code of {resource} replaced", Nothing($"the code it replaced is not in the event; {Redeploy}")),
            "DeleteFunction20150331" => Found(record, resource, $"{resource} deleted", Nothing($"a deleted function cannot be brought back; {Redeploy}")),
            "RemovePermission20150331v2" => Found(record, resource, $"invoke permission {request.Str("statementId") ?? "?"} removed from {resource}",
                Nothing($"EventBridge or the state machine may no longer invoke it; {Redeploy}"), ("statementId", request.Str("statementId") ?? "?")),
            "PutFunctionConcurrency20171031" => Concurrency(record, resource),
            "DeleteRole" or "DeleteStateMachine" or "DeleteTopic" or "DeleteTable" =>
                Found(record, resource, $"{resource} deleted", Nothing($"it cannot be brought back from the event; {Redeploy}")),
            _ => Found(record, resource, $"{resource} changed ({record.EventName})",
                Nothing($"if this was not your own deploy, {Redeploy}")),
        };
    }

    // Reserved concurrency 0 stops every invocation: the function is off. Lambda's REST API is not
    // among the clients here, so the undo is a command the notification gives.
    private static DetectionOutcome Concurrency(CloudTrailRecord record, SelfResource resource)
    {
        var reserved = record.RequestParameters.Int("reservedConcurrentExecutions");
        var undo = $"run aws lambda delete-function-concurrency --function-name {resource.Name}, or {Redeploy}";
        var summary = reserved == 0
            ? $"{resource} disabled: reserved concurrency set to 0"
            : $"reserved concurrency of {resource} set to {reserved?.ToString(CultureInfo.InvariantCulture) ?? "?"}: its events may be throttled";
        return Found(record, resource, summary, Nothing(undo),
            ("reservedConcurrentExecutions", reserved?.ToString(CultureInfo.InvariantCulture) ?? "?"));
    }

    private static string Changed(System.Text.Json.JsonElement request)
    {
        var keys = request.ValueKind == System.Text.Json.JsonValueKind.Object
            ? request.EnumerateObject().Select(property => property.Name).Where(name => name != "functionName").ToArray()
            : [];
        return keys.Length == 0 ? "nothing named" : string.Join(", ", keys);
    }

    private static string Targets(System.Text.Json.JsonElement request, string field) =>
        string.Join(", ", request.Items(field).Select(item => item.Text() ?? item.Str("id")).OfType<string>())
        is { Length: > 0 } ids ? ids : "?";

    private static NothingToRestore Nothing(string reason) => new(reason);

    private static DetectionOutcome Found(CloudTrailRecord record, SelfResource resource, string summary, RevertPlan plan,
        params (string Name, string Value)[] facts) =>
        new DetectionOutcome.Detected(Finding.From(record, Risk.SelfProtection, Severity.Critical, resource.Resource(), summary, plan,
            facts.Prepend((Name: "duoqResource", Value: "true")).ToDictionary(fact => fact.Name, fact => fact.Value)));
}
