using DuoQServerless.Core.CloudTrail;

namespace DuoQServerless.Core.Findings;

/// <summary>The CloudTrail event a finding came from.</summary>
public sealed record EventFacts(string Id, string Name, string Source, DateTimeOffset Time, string Region, string Account);

/// <summary>Who made the change: the audit item and the notification name them.</summary>
/// <param name="SessionIssuerArn">The role behind an assumed-role session, when there is one.</param>
public sealed record Actor(string? Arn, string IdentityType, string? SessionIssuerArn, string? SourceIpAddress, string? UserAgent)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string Display => Arn ?? SessionIssuerArn ?? IdentityType;
}

/// <summary>The resource a finding is about. <see cref="Type"/> uses CloudFormation type names
/// (AWS::EC2::SecurityGroup ...). <see cref="Tags"/> are tags the event itself set (RunInstances
/// tag specifications); the handler adds the tags it reads from the resource.</summary>
public sealed record AffectedResource(string Type, string Id, string? Arn, IReadOnlyDictionary<string, string> Tags)
{
    public static AffectedResource Of(string type, string id, string? arn = null) =>
        new(type, id, arn, new Dictionary<string, string>());
}

/// <summary>
/// A risky change one guard found in one CloudTrail event, and how to undo it. At most one
/// finding per event and risk, so <see cref="Id"/> (eventID + risk) is the audit table key.
/// Travels as JSON through Step Functions and back as <c>{"revert": finding}</c>.
/// </summary>
/// <param name="Summary">One line a human reads at a glance: "port 22 opened to 0.0.0.0/0 on sg-0abc".</param>
/// <param name="Facts">Risk-specific facts for the audit item and the notification body, in display order.</param>
public sealed record Finding(
    string Id,
    Risk Risk,
    Severity Severity,
    EventFacts Event,
    Actor Actor,
    AffectedResource Resource,
    string Summary,
    RevertPlan Revert,
    IReadOnlyDictionary<string, string> Facts)
{
    public static string IdFor(string eventId, Risk risk) => $"{eventId}:{risk.Id()}";

    /// <summary>The event and actor parts of a finding, taken from the record.</summary>
    public static Finding From(
        CloudTrailRecord record, Risk risk, Severity severity, AffectedResource resource, string summary,
        RevertPlan revert, IReadOnlyDictionary<string, string>? facts = null) =>
        new(
            IdFor(record.EventId, risk),
            risk,
            severity,
            new EventFacts(record.EventId, record.EventName, record.EventSource, record.EventTime, record.AwsRegion, record.AccountId),
            new Actor(record.UserIdentity.Arn, record.UserIdentity.Type, record.UserIdentity.SessionIssuerArn,
                record.SourceIpAddress, record.UserAgent),
            resource,
            summary,
            revert,
            facts ?? new Dictionary<string, string>());
}
