using System.Text;
using DuoQServerless.Core.Guards.Instances;

namespace DuoQServerless.Core.Reporting;

/// <summary>
/// findings.csv (RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma,
/// quote or line break). One row per exposed resource (state "exposed"), per accepted resource
/// (state "accepted") and per audit finding (kind "audit-finding"); the kind column says which.
/// </summary>
public static class FindingsCsv
{
    public const string AuditFindingKind = "audit-finding";
    public const string Exposed = "exposed";
    public const string AcceptedState = "accepted";

    public static readonly IReadOnlyList<string> Columns =
        ["kind", "state", "resource", "name", "region", "risk", "detail", "decision", "action", "result", "time", "actor", "accepted_by"];

    public static string Render(ComplianceReport report)
    {
        var csv = new StringBuilder();
        Row(csv, Columns);
        foreach (var row in Rows(report)) Row(csv, row);
        return csv.ToString();
    }

    private static IEnumerable<string?[]> Rows(ComplianceReport report)
    {
        var x = report.Exposed;
        foreach (var g in x.OpenSecurityGroups)
            yield return Exposure(ExposureKind.OpenSecurityGroup, g.GroupId, g.GroupName, g.Region, OpenRules(g.Rules), null);
        foreach (var i in x.OversizedInstances)
            yield return Exposure(ExposureKind.OversizedInstance, i.InstanceId, i.InstanceType, i.Region, InstanceDetail(i), i.LaunchTime);
        foreach (var d in x.UnprotectedDatabases)
            yield return Exposure(ExposureKind.UnprotectedDatabase, d.Identifier, d.Engine, d.Region, $"{Words.Of(d.Kind)} without deletion protection", null);
        foreach (var p in x.AdminPrincipals)
            yield return Exposure(ExposureKind.AdminPrincipal, p.Arn, p.Name, "global", $"{Words.Of(p.Kind)} holds {p.Policy} ({p.How})", null);
        foreach (var k in x.OldAccessKeys)
            yield return Exposure(ExposureKind.OldAccessKey, k.AccessKeyId, k.UserName, "global", $"{k.AgeDays} days old, {(k.Active ? "active" : "inactive")}", k.CreatedAt);
        foreach (var a in report.Accepted)
            yield return
            [
                Words.Wire(a.Kind), AcceptedState, a.ResourceId, a.Name, a.Region, null, a.Exposure, null, null, null, null, null,
                (a.TagValue is null ? a.Tag : $"{a.Tag}={a.TagValue}") + (a.ApprovedBy is null ? "" : $" (approved by {a.ApprovedBy})"),
            ];
        foreach (var f in report.Activity.Findings)
            yield return
            [
                AuditFindingKind, Words.Wire(f.State), f.Resource, f.EventName, f.Region, f.Risk, f.Summary,
                f.DryRun ? $"{f.Decision} (dry run)" : f.Decision, f.Action, f.Result, ReportTime.Iso(f.EventTime), f.Actor, null,
            ];
    }

    private static string?[] Exposure(ExposureKind kind, string resource, string? name, string region, string detail, DateTimeOffset? time) =>
        [Words.Wire(kind), Exposed, resource, name, region, null, detail, null, null, null, ReportTime.Iso(time), null, null];

    private static string OpenRules(IReadOnlyList<RiskyIngressRule> rules) =>
        string.Join("; ", rules.Select(r => $"{r.Ports} from {r.Cidr}"));

    private static string InstanceDetail(OversizedInstance i)
    {
        var price = i.HourlyUsd is { } h
            ? $"{Money.Hourly(h)}, {Money.Monthly(i.MonthlyUsd ?? InstancePricing.Monthly(h))}"
            : "price unknown";
        return $"{price}; {string.Join("; ", i.Reasons.Select(r => r.Detail))}";
    }

    private static void Row(StringBuilder csv, IEnumerable<string?> fields)
    {
        csv.Append(string.Join(",", fields.Select(Field))).Append("\r\n");
    }

    /// <summary>
    /// Quotes per RFC 4180. A text starting with = + - @ (or a tab/CR) is prefixed with ' so a
    /// spreadsheet shows it instead of running it: names and tags come from whoever can tag.
    /// </summary>
    private static string Field(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
