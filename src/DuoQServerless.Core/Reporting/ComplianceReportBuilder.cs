using DuoQServerless.Core.Approval;
using DuoQServerless.Core.Audit;

namespace DuoQServerless.Core.Reporting;

/// <summary>Everything a report is made from; the clock's reading comes in as <see cref="GeneratedAt"/>.</summary>
public sealed record ReportInputs
{
    public required DateTimeOffset GeneratedAt { get; init; }
    public required ReportPeriod Period { get; init; }
    public required string Account { get; init; }
    public required IReadOnlyList<string> Regions { get; init; }
    public ScanFindings Scan { get; init; } = ScanFindings.None;
    public ValidatorSection? Validator { get; init; }
    /// <summary>Audit entries; those recorded outside the period are left out.</summary>
    public IReadOnlyList<AuditEntry> Audit { get; init; } = [];
    /// <summary>Reads approval facts per entry; defaults to <see cref="AuditActivity.FromAuditEntry"/>.</summary>
    public ApprovalFactsReader? Approvals { get; init; }
}

public static class ComplianceReportBuilder
{
    public static ComplianceReport Build(ReportInputs inputs)
    {
        var period = inputs.Period;
        var audit = inputs.Audit.Where(e => e.CreatedAt >= period.Since && e.CreatedAt <= period.Until);
        var activity = AuditActivity.From(audit, inputs.Approvals);
        var exposed = inputs.Scan.Exposed.Sorted();
        var accepted = inputs.Scan.Accepted
            .OrderBy(a => a.Kind).ThenBy(a => a.Region, StringComparer.Ordinal).ThenBy(a => a.ResourceId, StringComparer.Ordinal)
            .ToList();
        var gaps = inputs.Scan.Gaps
            .OrderBy(g => g.Scanner, StringComparer.Ordinal).ThenBy(g => g.Region, StringComparer.Ordinal)
            .ToList();

        return new ComplianceReport
        {
            GeneratedAt = inputs.GeneratedAt,
            Period = period,
            Account = inputs.Account,
            Regions = [.. inputs.Regions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Summary = Summarize(exposed, accepted.Count, inputs.Validator, activity, gaps.Count),
            Exposed = exposed,
            Accepted = accepted,
            Validator = inputs.Validator,
            Activity = activity,
            NotScanned = gaps,
        };
    }

    private static ReportSummary Summarize(ExposedNow exposed, int accepted, ValidatorSection? validator, CaughtAndDone activity, int gaps) => new()
    {
        ExposedTotal = exposed.Total,
        OpenSecurityGroups = exposed.OpenSecurityGroups.Count,
        OversizedInstances = exposed.OversizedInstances.Count,
        UnprotectedDatabases = exposed.UnprotectedDatabases.Count,
        AdminPrincipals = exposed.AdminPrincipals.Count,
        OldAccessKeys = exposed.OldAccessKeys.Count,
        Accepted = accepted,
        ValidatorFailing = validator?.Failing,
        FindingsCaught = activity.Findings.Count,
        Reverted = activity.Reverts.Count(r => r.Outcome == RevertOutcome.Done),
        RevertsFailed = activity.Reverts.Count(r => r.Outcome == RevertOutcome.Failed),
        ApprovalsPending = activity.Approvals.Count(a => a.Status == ApprovalStatus.Pending),
        ApprovalsApproved = activity.Approvals.Count(a => a.Status == ApprovalStatus.Approved),
        ApprovalsRejected = activity.Approvals.Count(a => a.Status == ApprovalStatus.Rejected),
        ApprovalsTimedOut = activity.Approvals.Count(a => a.Status == ApprovalStatus.TimedOut),
        NotScanned = gaps,
    };
}
