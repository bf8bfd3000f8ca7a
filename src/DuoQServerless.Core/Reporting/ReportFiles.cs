using System.Globalization;
using System.Text;

namespace DuoQServerless.Core.Reporting;

/// <summary>One file of a report: its name in the report's folder, its media type and its bytes (UTF-8).</summary>
public sealed record ReportFile(string Name, string ContentType, byte[] Content);

/// <summary>The three files every report is written as, and the folder they go in.</summary>
public static class ReportFiles
{
    public const string HtmlName = "report.html";
    public const string JsonName = "report.json";
    public const string CsvName = "findings.csv";

    public static IReadOnlyList<ReportFile> Render(ComplianceReport report) =>
    [
        new(HtmlName, "text/html; charset=utf-8", Utf8(ReportHtml.Render(report))),
        new(JsonName, "application/json", Utf8(ReportJson.Serialize(report))),
        new(CsvName, "text/csv; charset=utf-8; header=present", Utf8(FindingsCsv.Render(report))),
    ];

    /// <summary>"reports/2026/11/24/120000/": reports sort by time and a lifecycle rule can expire them by prefix.</summary>
    public static string Prefix(DateTimeOffset generatedAt) =>
        "reports/" + generatedAt.UtcDateTime.ToString("yyyy'/'MM'/'dd'/'HHmmss", CultureInfo.InvariantCulture) + "/";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
