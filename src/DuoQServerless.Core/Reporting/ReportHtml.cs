using System.Text;

namespace DuoQServerless.Core.Reporting;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG, no script, no external asset),
/// the counts at the top, the chart, then one scannable table per section.
/// </summary>
public static class ReportHtml
{
    public static string Render(ComplianceReport report)
    {
        var page = new StringBuilder(16 * 1024);
        var title = $"Compliance report, account {report.Account}, {ReportTime.Iso(report.GeneratedAt)}";
        page.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n");
        page.Append("<meta charset=\"utf-8\" />\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
        page.Append($"<title>{Html.Encode(title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n");

        page.Append("<header>\n<h1>DuoQServerless compliance report</h1>\n<p class=\"meta\">");
        page.Append($"Account <strong id=\"account\">{Html.Encode(report.Account)}</strong>");
        page.Append($" · Regions {Html.Encode(report.Regions.Count == 0 ? "none" : string.Join(", ", report.Regions))}");
        page.Append($" · Generated {Html.Time(report.GeneratedAt)}");
        page.Append($" · Guard activity from {Html.Time(report.Period.Since)} to {Html.Time(report.Period.Until)}</p>\n</header>\n<main>\n");

        Summary(page, report);
        page.Append("<section id=\"chart\">\n<h2>Findings per day</h2>\n<div class=\"chart\">");
        page.Append(ReportChart.FindingsPerDay(report.Activity.FindingsPerDay, report.Period));
        page.Append("</div>\n</section>\n");

        ReportHtmlSections.Exposed(page, report.Exposed);
        ReportHtmlSections.Accepted(page, report.Accepted);
        ReportHtmlSections.Validator(page, report.Validator);
        ReportHtmlSections.Activity(page, report.Activity);
        ReportHtmlSections.NotScanned(page, report.NotScanned);

        page.Append($"</main>\n<footer>report.json schema version {report.SchemaVersion} · times are UTC (ISO 8601)</footer>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static void Summary(StringBuilder page, ComplianceReport report)
    {
        var s = report.Summary;
        page.Append("<section id=\"summary\" aria-label=\"Summary\">\n<h2>Exposed now</h2>\n<div class=\"cards\">\n");
        Card(page, "exposed-total", "Exposed resources", s.ExposedTotal, Tone.BadWhenAny, "#exposed");
        Card(page, "open-security-groups", "Security groups open to the internet", s.OpenSecurityGroups, Tone.BadWhenAny, "#open-security-groups");
        Card(page, "oversized-instances", "Oversized running instances", s.OversizedInstances, Tone.BadWhenAny, "#oversized-instances");
        Card(page, "unprotected-databases", "Databases without deletion protection", s.UnprotectedDatabases, Tone.BadWhenAny, "#unprotected-databases");
        Card(page, "admin-principals", "Principals with admin-like policies", s.AdminPrincipals, Tone.BadWhenAny, "#admin-principals");
        Card(page, "old-access-keys", "Old access keys", s.OldAccessKeys, Tone.BadWhenAny, "#old-access-keys");
        Card(page, "accepted", "Accepted (exempt or approved)", s.Accepted, Tone.Neutral, "#accepted");
        if (s.ValidatorFailing is { } failing) Card(page, "validator-failing", "Duo/Q checks failing", failing, Tone.BadWhenAny, "#validator");
        else page.Append("<a class=\"card neutral\" href=\"#validator\" data-summary=\"validator-failing\"><span class=\"count\">–</span><span class=\"label\">Duo/Q validator not run</span></a>\n");
        page.Append("</div>\n<h2>Caught and done</h2>\n<div class=\"cards\">\n");
        Card(page, "findings-caught", "Findings caught", s.FindingsCaught, Tone.Neutral, "#findings");
        Card(page, "reverted", "Reverted", s.Reverted, Tone.GoodWhenAny, "#reverts");
        Card(page, "reverts-failed", "Reverts failed", s.RevertsFailed, Tone.BadWhenAny, "#reverts");
        Card(page, "approvals-pending", "Approvals pending", s.ApprovalsPending, Tone.WarnWhenAny, "#approvals");
        Card(page, "approvals-approved", "Approved", s.ApprovalsApproved, Tone.Neutral, "#approvals");
        Card(page, "approvals-rejected", "Rejected", s.ApprovalsRejected, Tone.Neutral, "#approvals");
        Card(page, "approvals-timed-out", "Timed out", s.ApprovalsTimedOut, Tone.WarnWhenAny, "#approvals");
        if (s.NotScanned > 0) Card(page, "not-scanned", "Scans that did not finish", s.NotScanned, Tone.WarnWhenAny, "#not-scanned");
        page.Append("</div>\n</section>\n");
    }

    private enum Tone { BadWhenAny, WarnWhenAny, GoodWhenAny, Neutral }

    private static void Card(StringBuilder page, string key, string label, int count, Tone tone, string target)
    {
        var css = tone switch
        {
            Tone.BadWhenAny => count > 0 ? "bad" : "good",
            Tone.WarnWhenAny => count > 0 ? "warn" : "neutral",
            Tone.GoodWhenAny => count > 0 ? "good" : "neutral",
            Tone.Neutral => "neutral",
            _ => throw new ArgumentOutOfRangeException(nameof(tone), tone, "unknown tone"),
        };
        page.Append($"<a class=\"card {css}\" href=\"{target}\" data-summary=\"{key}\"><span class=\"count\">{Html.Number(count)}</span><span class=\"label\">{Html.Encode(label)}</span></a>\n");
    }

    private const string Style = """

        :root { color-scheme: light; --ink: #1c2833; --muted: #5d6d7e; --line: #d5d8dc; --bad: #b03a2e; --warn: #b9770e; --good: #1e8449; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #f4f6f7; }
        header { background: #1c2833; color: #fff; padding: 18px 28px; }
        header h1 { margin: 0 0 4px; font-size: 22px; }
        header .meta { margin: 0; color: #d6dbdf; font-size: 13px; }
        main { max-width: 1180px; margin: 0 auto; padding: 8px 28px 28px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 6px 18px 16px; margin-top: 18px; }
        h2 { font-size: 18px; margin: 14px 0 10px; }
        h3 { font-size: 15px; margin: 18px 0 8px; }
        h3 .n { color: var(--muted); font-weight: normal; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(118px, 1fr)); gap: 10px; }
        .card { display: flex; flex-direction: column; padding: 10px 12px; border-radius: 6px; border: 1px solid var(--line); border-left-width: 5px; color: inherit; text-decoration: none; background: #fbfcfc; }
        .card .count { font-size: 28px; font-weight: 700; line-height: 1.1; }
        .card .label { font-size: 12.5px; color: var(--muted); }
        .card.bad { border-left-color: var(--bad); } .card.bad .count { color: var(--bad); }
        .card.warn { border-left-color: var(--warn); } .card.warn .count { color: var(--warn); }
        .card.good { border-left-color: var(--good); } .card.good .count { color: var(--good); }
        .card.neutral { border-left-color: #aab7b8; }
        .chart svg { max-width: 100%; height: auto; }
        .chart .axis, .chart .legend { font: 11px system-ui, sans-serif; fill: #566573; }
        .chart .grid { stroke: #e5e8e8; } .chart .base { stroke: #99a3a4; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eaeded; vertical-align: top; }
        th { background: #f2f3f4; font-weight: 600; white-space: nowrap; }
        tbody tr:nth-child(even) { background: #fafbfb; }
        td.nowrap { white-space: nowrap; }
        th.num { text-align: right; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.arn, td.arn code { word-break: break-all; font-size: 12px; }
        td.arn { min-width: 13em; }
        code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f4f6f6; padding: 0 3px; border-radius: 3px; }
        time { white-space: nowrap; }
        .none { color: var(--good); margin: 4px 0 8px; }
        .muted { color: var(--muted); }
        .badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; font-weight: 600; color: #fff; background: #7f8c8d; white-space: nowrap; }
        .badge.bad { background: var(--bad); } .badge.warn { background: var(--warn); } .badge.good { background: var(--good); }
        ul.rules { margin: 0; padding-left: 16px; }
        footer { max-width: 1180px; margin: 0 auto; padding: 0 28px 28px; color: var(--muted); font-size: 12px; }

        """;
}
