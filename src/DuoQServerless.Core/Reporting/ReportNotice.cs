using System.Text;

namespace DuoQServerless.Core.Reporting;

/// <summary>Where one report's three files were written: S3 URIs or local paths.</summary>
public sealed record ReportLocation(string Folder, string Html, string Json, string Csv)
{
    /// <summary>A page where a person can open the folder (the S3 console); null for local files.</summary>
    public string? BrowseUrl { get; init; }
}

/// <summary>The SNS message that announces a report: a short subject, the counts, where the files are.</summary>
public sealed record ReportNotice(string Subject, string Message)
{
    /// <summary>SNS refuses subjects of 100 characters or more.</summary>
    public const int MaxSubjectLength = 99;

    public static ReportNotice Compose(ComplianceReport report, ReportLocation location)
    {
        var s = report.Summary;
        var subject = OneLineSubject($"DuoQ report {report.Account}: {s.ExposedTotal} exposed, {s.FindingsCaught} caught, {s.Reverted} reverted, {s.ApprovalsPending} pending approval");

        var m = new StringBuilder();
        m.AppendLine($"DuoQServerless compliance report for account {report.Account}");
        m.AppendLine($"Generated {ReportTime.Iso(report.GeneratedAt)}; guard activity from {ReportTime.Iso(report.Period.Since)} to {ReportTime.Iso(report.Period.Until)}");
        m.AppendLine($"Regions: {(report.Regions.Count == 0 ? "none" : string.Join(", ", report.Regions))}");
        m.AppendLine();
        m.AppendLine($"Exposed now: {s.ExposedTotal}");
        m.AppendLine($"  Security groups open to the internet: {s.OpenSecurityGroups}");
        m.AppendLine($"  Oversized running instances: {s.OversizedInstances}");
        m.AppendLine($"  Databases without deletion protection: {s.UnprotectedDatabases}");
        m.AppendLine($"  Principals with admin-like policies: {s.AdminPrincipals}");
        m.AppendLine($"  Old access keys: {s.OldAccessKeys}");
        m.AppendLine($"Accepted (exempt or approved): {s.Accepted}");
        m.AppendLine(report.Validator is { } v
            ? $"Duo/Q validator: {v.Failing} of {v.Checks.Count} checks failing"
            : "Duo/Q validator: not run");
        m.AppendLine();
        m.AppendLine($"Caught and done: {s.FindingsCaught} findings");
        m.AppendLine($"  Reverted: {s.Reverted} (failed: {s.RevertsFailed})");
        m.AppendLine($"  Approvals: {s.ApprovalsPending} pending, {s.ApprovalsApproved} approved, {s.ApprovalsRejected} rejected, {s.ApprovalsTimedOut} timed out");
        if (s.NotScanned > 0)
        {
            m.AppendLine();
            m.AppendLine($"Not scanned ({s.NotScanned}): " + string.Join("; ", report.NotScanned.Select(g => $"{g.Scanner} in {g.Region}")));
        }
        m.AppendLine();
        m.AppendLine($"Report: {location.Html}");
        if (location.BrowseUrl is { } url) m.AppendLine($"Open: {url}");
        m.AppendLine($"Data: {location.Json} and {location.Csv}");
        return new ReportNotice(subject, m.ToString());
    }

    /// <summary>SNS subjects are one line of printable ASCII under 100 characters.</summary>
    private static string OneLineSubject(string text)
    {
        var ascii = new string([.. text.Select(c => c is >= ' ' and <= '~' ? c : ' ')]);
        return ascii.Length <= MaxSubjectLength ? ascii : ascii[..(MaxSubjectLength - 3)] + "...";
    }
}
