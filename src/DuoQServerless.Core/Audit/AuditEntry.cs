namespace DuoQServerless.Core.Audit;

/// <summary>Where a finding is in its life. Closed: every switch over it is exhaustive.</summary>
public enum AuditState
{
    /// <summary>A guard took the finding and is acting on it (a lock with an expiry).</summary>
    InProgress,
    /// <summary>The decided action was carried out (or, in dry-run, described).</summary>
    Done,
    /// <summary>The action was tried and failed; the result says why.</summary>
    Failed,
    /// <summary>Handed to the approval workflow; a person decides.</summary>
    AwaitingApproval,
}

/// <summary>
/// One item of the audit table: a finding (id = CloudTrail eventID + risk), who did what where,
/// what the guard decided, what it did and how that ended.
/// </summary>
public sealed record AuditEntry
{
    public required string Id { get; init; }
    public required string Risk { get; init; }
    public required string Severity { get; init; }
    public required string EventId { get; init; }
    public required string EventName { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    public required string Account { get; init; }
    public required string Region { get; init; }
    public required string ActorArn { get; init; }
    public string? SourceIp { get; init; }
    public string? UserAgent { get; init; }
    public required string Resource { get; init; }
    public required string Summary { get; init; }
    public required string Decision { get; init; }
    public bool DryRun { get; init; }
    /// <summary>The finding as JSON, so a later revert (after approval) needs nothing else.</summary>
    public required string FindingJson { get; init; }

    public AuditState State { get; init; } = AuditState.InProgress;
    public string? Action { get; init; }
    public string? Result { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The outcome of trying to take a finding: only <see cref="Taken"/> may act.</summary>
public abstract record BeginOutcome
{
    private BeginOutcome() { }

    /// <summary>This delivery owns the finding now.</summary>
    public sealed record Taken : BeginOutcome;

    /// <summary>An earlier delivery recorded it; nothing more is done.</summary>
    public sealed record AlreadyRecorded(AuditEntry Existing) : BeginOutcome;
}
