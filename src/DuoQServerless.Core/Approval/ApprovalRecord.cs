namespace DuoQServerless.Core.Approval;

/// <summary>Where an approval is. Closed: every switch over it is exhaustive.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for a person; the execution waits on the task token.</summary>
    Pending,
    Approved,
    Rejected,
    /// <summary>A decision came after the execution stopped waiting; the timeout's action applied instead.</summary>
    TimedOut,
}

/// <summary>
/// One approval as the audit table holds it (item id approval#&lt;ApprovalId&gt;). The task token
/// lives only here: links carry the approval id, never the token.
/// </summary>
public sealed record ApprovalRecord
{
    public required string ApprovalId { get; init; }
    public required string TaskToken { get; init; }
    public required string ExecutionArn { get; init; }
    public required string GuardFunctionArn { get; init; }
    public required ApprovalSummary Summary { get; init; }
    /// <summary>The finding as JSON, as the state machine received it.</summary>
    public required string FindingJson { get; init; }
    public required TimeoutMeans TimeoutMeans { get; init; }
    public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the execution stops waiting (created + timeoutSeconds); links expire then too.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
    public string? DecidedBy { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? DecidedFromIp { get; init; }
    public string? DecidedUserAgent { get; init; }
    /// <summary>For <see cref="ApprovalStatus.TimedOut"/>: what the late decision would have been.</summary>
    public ApprovalDecision? LateDecision { get; init; }
}

/// <summary>Who decided, from where, and when: recorded with the decision.</summary>
public sealed record Decider(string Name, string? SourceIp, string? UserAgent, DateTimeOffset At);

/// <summary>The outcome of recording a decision. Only <see cref="Decided"/> may tell Step Functions.</summary>
public abstract record DecideOutcome
{
    private DecideOutcome() { }

    /// <summary>This request decided: the record now holds the decision.</summary>
    public sealed record Decided(ApprovalRecord Record) : DecideOutcome;

    /// <summary>Someone decided earlier (or a late decision was recorded): nothing changes.</summary>
    public sealed record AlreadyDecided(ApprovalRecord Record) : DecideOutcome;

    /// <summary>Still pending, but its deadline passed: the timeout's action applies, not this decision.</summary>
    public sealed record PastDeadline(ApprovalRecord Record) : DecideOutcome;

    public sealed record NotFound : DecideOutcome;
}
