namespace DuoQServerless.Core.Reporting;

/// <summary>
/// The compliance report: what the account exposes now, what is exposed on purpose, how the
/// Duo/Q setup checks out, and what the guards caught and did in the period. report.json is
/// this record as <see cref="ReportJson"/> writes it; its shape is docs/report.schema.json and
/// changes to it bump <see cref="CurrentSchemaVersion"/>.
/// </summary>
public sealed record ComplianceReport
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required DateTimeOffset GeneratedAt { get; init; }
    public required ReportPeriod Period { get; init; }
    public required string Account { get; init; }
    public required IReadOnlyList<string> Regions { get; init; }
    public required ReportSummary Summary { get; init; }
    public required ExposedNow Exposed { get; init; }
    /// <summary>Resources that would be exposed but carry an exemption or approval tag.</summary>
    public required IReadOnlyList<AcceptedResource> Accepted { get; init; }
    /// <summary>The Duo/Q validator's checks; null when the validator did not run.</summary>
    public ValidatorSection? Validator { get; init; }
    public required CaughtAndDone Activity { get; init; }
    /// <summary>Scans that could not finish, so a reader knows what the report does not cover.</summary>
    public required IReadOnlyList<ScanGap> NotScanned { get; init; }
}

/// <summary>The audit window the "caught and done" part covers: [Since, Until).</summary>
public sealed record ReportPeriod(DateTimeOffset Since, DateTimeOffset Until);

/// <summary>The counts at the top of the page, in the SNS message and in report.json.</summary>
public sealed record ReportSummary
{
    public int ExposedTotal { get; init; }
    public int OpenSecurityGroups { get; init; }
    public int OversizedInstances { get; init; }
    public int UnprotectedDatabases { get; init; }
    public int AdminPrincipals { get; init; }
    public int OldAccessKeys { get; init; }
    public int Accepted { get; init; }
    /// <summary>Failed validator checks; null when the validator did not run.</summary>
    public int? ValidatorFailing { get; init; }
    public int FindingsCaught { get; init; }
    public int Reverted { get; init; }
    public int RevertsFailed { get; init; }
    public int ApprovalsPending { get; init; }
    public int ApprovalsApproved { get; init; }
    public int ApprovalsRejected { get; init; }
    public int ApprovalsTimedOut { get; init; }
    public int NotScanned { get; init; }
}

/// <summary>A scan of one scanner in one region that did not finish, and why.</summary>
public sealed record ScanGap(string Scanner, string Region, string Reason);
