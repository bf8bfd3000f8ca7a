using System.Text.Json.Serialization;
using DuoQServerless.Core.Approval;
using DuoQServerless.Core.Audit;

namespace DuoQServerless.Core.Reporting;

/// <summary>What the guards caught and did in the report's period, read from the audit table.</summary>
public sealed record CaughtAndDone
{
    public static readonly CaughtAndDone Nothing = new();

    /// <summary>Every audit finding of the period, oldest first.</summary>
    public IReadOnlyList<CaughtFinding> Findings { get; init; } = [];
    public IReadOnlyList<RiskDecisionCount> ByRiskAndDecision { get; init; } = [];
    public IReadOnlyList<RevertLine> Reverts { get; init; } = [];
    public IReadOnlyList<ApprovalLine> Approvals { get; init; } = [];
    /// <summary>Findings per UTC day (of the event) per risk; days without findings are left out.</summary>
    public IReadOnlyList<DailyRiskCount> FindingsPerDay { get; init; } = [];
}

/// <summary>One audit finding as the report lists it.</summary>
public sealed record CaughtFinding(
    string Id,
    string Risk,
    string Severity,
    string EventName,
    DateTimeOffset EventTime,
    string Region,
    string Actor,
    string Resource,
    string Summary,
    string Decision,
    bool DryRun,
    FindingState State,
    string? Action,
    string? Result);

[JsonConverter(typeof(JsonStringEnumConverter<FindingState>))]
public enum FindingState
{
    [JsonStringEnumMemberName("in-progress")] InProgress,
    [JsonStringEnumMemberName("done")] Done,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("awaiting-approval")] AwaitingApproval,
}

public sealed record RiskDecisionCount(string Risk, string Decision, int Count);

/// <summary>
/// A revert the guards carried out or tried: decided outright, or after an approval was
/// rejected or timed out. <see cref="Outcome"/> is how it ended; <see cref="Result"/> the guard's words.
/// </summary>
public sealed record RevertLine(
    string FindingId,
    string Risk,
    string Resource,
    string Region,
    string Actor,
    DateTimeOffset EventTime,
    RevertTrigger Trigger,
    RevertOutcome Outcome,
    string? Action,
    string? Result);

[JsonConverter(typeof(JsonStringEnumConverter<RevertTrigger>))]
public enum RevertTrigger
{
    [JsonStringEnumMemberName("policy")] Policy,
    [JsonStringEnumMemberName("rejected")] Rejected,
    [JsonStringEnumMemberName("timed-out")] TimedOut,
}

[JsonConverter(typeof(JsonStringEnumConverter<RevertOutcome>))]
public enum RevertOutcome
{
    [JsonStringEnumMemberName("done")] Done,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("in-progress")] InProgress,
}

/// <summary>A finding sent to a person, where it stands and how long the decision took.</summary>
public sealed record ApprovalLine(
    string FindingId,
    string Risk,
    string Resource,
    string Region,
    string Actor,
    ApprovalStatus Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    double? SecondsToDecision);


public sealed record DailyRiskCount(DateOnly Day, string Risk, int Count);

/// <summary>
/// What the approval workflow recorded about one finding. The audit entry does not carry these
/// facts yet; <see cref="ApprovalFactsReader"/> is where the approval store plugs in.
/// </summary>
public sealed record ApprovalFacts(ApprovalStatus Status, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, string? DecidedBy);

/// <summary>The approval facts of an audit entry, or null when it never went to a person.</summary>
public delegate ApprovalFacts? ApprovalFactsReader(AuditEntry entry);
