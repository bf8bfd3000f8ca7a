using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Aws.Reporting;

/// <summary>What one report run covers; the clock's reading comes in as <see cref="Now"/>.</summary>
public sealed record ReportRun
{
    public required string Account { get; init; }
    public required IReadOnlyList<string> Regions { get; init; }
    /// <summary>Start of the audit window (the last report, or now minus --since).</summary>
    public required DateTimeOffset Since { get; init; }
    public required DateTimeOffset Now { get; init; }
    public ScanOptions Scan { get; init; } = new();
    public ValidatorSection? Validator { get; init; }
    public ApprovalFactsReader? Approvals { get; init; }
    /// <summary>
    /// Who approved, from the approval id a <c>duoq:approved</c> tag holds, for accepted resources
    /// that do not say it themselves: e.g. <c>async (id, ct) =&gt; (await approvals.GetAsync(id, ct))?.DecidedBy</c>.
    /// </summary>
    public Func<string, CancellationToken, Task<string?>>? ApproverOf { get; init; }
}

/// <summary>
/// The compliance report as the scheduled function and `duoq report` make it: scan the account,
/// read the audit table since the period's start, build the report. Writing and notifying stay
/// with the caller (<see cref="ReportWriter"/>, <see cref="ReportNotice"/>).
/// </summary>
public static class ComplianceReportRun
{
    public static async Task<ComplianceReport> BuildAsync(
        ReportRun run,
        IReadOnlyList<IAccountScanner> scanners,
        Func<DateTimeOffset, CancellationToken, IAsyncEnumerable<AuditEntry>> auditSince,
        Action<ScanProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        // The scan and the audit read are independent; WhenAll waits for both, so neither fails unobserved.
        var scan = AccountScan.RunAsync(scanners, run.Regions, run.Scan, progress, cancellationToken);
        var audit = ReadAsync(auditSince(run.Since, cancellationToken), cancellationToken);
        await Task.WhenAll(scan, audit);
        var (entries, auditGap) = await audit;
        var found = auditGap is null ? await scan : await scan with { Gaps = [.. (await scan).Gaps, new ScanGap(AuditScanner, AccountScan.GlobalRegion, auditGap)] };
        return ComplianceReportBuilder.Build(new ReportInputs
        {
            GeneratedAt = run.Now,
            Period = new ReportPeriod(run.Since, run.Now),
            Account = run.Account,
            Regions = run.Regions,
            Scan = await WithApproversAsync(found, run.ApproverOf, cancellationToken),
            Validator = run.Validator,
            Audit = entries,
            Approvals = run.Approvals,
        });
    }

    private static async Task<ScanFindings> WithApproversAsync(ScanFindings scan, Func<string, CancellationToken, Task<string?>>? approverOf, CancellationToken cancellationToken)
    {
        if (approverOf is null) return scan;
        var accepted = new List<AcceptedResource>(scan.Accepted.Count);
        foreach (var resource in scan.Accepted)
            accepted.Add(resource is { Acceptance: AcceptanceKind.Approved, ApprovedBy: null, TagValue: { } approvalId }
                ? resource with { ApprovedBy = await approverOf(approvalId, cancellationToken) }
                : resource);
        return scan with { Accepted = accepted };
    }

    /// <summary>The report's name for the audit table read, when it lists it as not scanned.</summary>
    public const string AuditScanner = "guard activity (audit table)";

    /// <returns>The entries, or none and why they could not be read: the report then lists the
    /// guards' activity as not scanned instead of failing the whole run.</returns>
    private static async Task<(IReadOnlyList<AuditEntry> Entries, string? Gap)> ReadAsync(IAsyncEnumerable<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var all = new List<AuditEntry>();
        try
        {
            await foreach (var entry in entries.WithCancellation(cancellationToken)) all.Add(entry);
            return (all, null);
        }
        // Refused or unreachable (AccessDenied, throttled after retries): a gap in the report, not a lost report.
        catch (Exception e) when (Guards.AwsErrors.Translate(e, cancellationToken) is { } translated)
        {
            return ([], translated.Message);
        }
    }
}
