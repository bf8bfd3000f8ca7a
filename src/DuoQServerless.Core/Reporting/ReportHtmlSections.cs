using System.Text;
using DuoQServerless.Core.Guards.Instances;

namespace DuoQServerless.Core.Reporting;

/// <summary>The sections of report.html below the summary: one table per kind of thing.</summary>
internal static class ReportHtmlSections
{
    public static void Exposed(StringBuilder page, ExposedNow exposed)
    {
        page.Append("<section id=\"exposed\">\n<h2>Exposed now</h2>\n");

        Heading(page, "Security groups open to the internet", exposed.OpenSecurityGroups.Count);
        Html.Table(page, "open-security-groups", "No security group opens a watched port to the internet.",
            ["Group", "Name", "VPC", "Region", "Open to the internet"],
            exposed.OpenSecurityGroups.Select(g => new Cell[] { Cell.Raw(Html.Code(g.GroupId)), g.GroupName, g.VpcId ?? "", Cell.Short(g.Region), Cell.Raw(Rules(g.Rules)) }));

        Heading(page, "Oversized running instances", exposed.OversizedInstances.Count);
        Html.Table(page, "oversized-instances", "No running instance is over the size or price policy.",
            ["Instance", "Type", "Region", "$/hour", "$/month", "Launched", "Why"],
            exposed.OversizedInstances.Select(i => new Cell[]
            {
                Cell.Raw(Html.Code(i.InstanceId)), i.InstanceType, Cell.Short(i.Region),
                Cell.Num(i.HourlyUsd is { } h ? Money.Hourly(h) : "unknown"),
                Cell.Num(i.MonthlyUsd is { } m ? Money.Monthly(m) : "unknown"),
                Cell.Raw(Html.Time(i.LaunchTime)),
                string.Join("; ", i.Reasons.Select(r => r.Detail)),
            }));

        Heading(page, "Databases without deletion protection", exposed.UnprotectedDatabases.Count);
        Html.Table(page, "unprotected-databases", "Every RDS instance and cluster has deletion protection on.",
            ["Identifier", "Kind", "Engine", "Region"],
            exposed.UnprotectedDatabases.Select(d => new Cell[] { Cell.Raw(Html.Code(d.Identifier)), Words.Of(d.Kind), d.Engine ?? "", d.Region }));

        Heading(page, "Principals with admin-like policies", exposed.AdminPrincipals.Count);
        Html.Table(page, "admin-principals", "No role, user or group holds an admin-like policy.",
            ["Name", "Kind", "Policy", "How", "ARN"],
            exposed.AdminPrincipals.Select(p => new Cell[] { p.Name, Words.Of(p.Kind), p.Policy, p.How, Cell.Raw(Html.Code(p.Arn), "arn") }));

        Heading(page, "Old access keys", exposed.OldAccessKeys.Count);
        Html.Table(page, "old-access-keys", "No access key is older than the policy allows.",
            ["User", "Access key", "Age (days)", "Created", "Active"],
            exposed.OldAccessKeys.Select(k => new Cell[] { k.UserName, Cell.Raw(Html.Code(k.AccessKeyId)), Cell.Num(Html.Number(k.AgeDays)), Cell.Raw(Html.Time(k.CreatedAt)), k.Active ? "yes" : "no" }));

        page.Append("</section>\n");
    }

    public static void Accepted(StringBuilder page, IReadOnlyList<AcceptedResource> accepted)
    {
        page.Append($"<section id=\"accepted\">\n<h2>Accepted <span class=\"n\">({accepted.Count})</span></h2>\n");
        page.Append("<p class=\"muted\">Exposed on purpose: tagged exempt by the account's owners, or approved by a person.</p>\n");
        Html.Table(page, "accepted-resources", "Nothing is exempt or approved.",
            ["Resource", "Name", "Kind", "Region", "Exposure", "Accepted by", "Approved by"],
            accepted.Select(a => new Cell[]
            {
                Cell.Raw(Html.Code(a.ResourceId)), a.Name ?? "", Words.Of(a.Kind), Cell.Short(a.Region), a.Exposure,
                Cell.Raw($"{Html.Badge(Words.Of(a.Acceptance), "neutral")} {Html.Code(a.TagValue is null ? a.Tag : $"{a.Tag}={a.TagValue}")}"),
                a.ApprovedBy ?? "",
            }));
        page.Append("</section>\n");
    }

    public static void Validator(StringBuilder page, ValidatorSection? validator)
    {
        page.Append("<section id=\"validator\">\n<h2>GitLab Duo with Amazon Q setup</h2>\n");
        if (validator is null)
        {
            page.Append("<p class=\"muted\" id=\"validator-checks\">The validator did not run for this report.</p>\n</section>\n");
            return;
        }
        page.Append($"<p class=\"muted\">Checked {Html.Time(validator.CheckedAt)}: {validator.Checks.Count} checks, {validator.Failing} failing.</p>\n");
        Html.Table(page, "validator-checks", "The validator reported no checks.",
            ["Check", "Status", "Detail", "Fix"],
            validator.Checks.Select(c => new Cell[]
            {
                Cell.Raw($"{Html.Encode(c.Title)}<br /><code>{Html.Encode(c.Id)}</code>"),
                Cell.Raw(Html.Badge(Words.Of(c.Status), Words.Tone(c.Status))),
                c.Detail ?? "", c.Fix ?? "",
            }));
        page.Append("</section>\n");
    }

    public static void Activity(StringBuilder page, CaughtAndDone activity)
    {
        page.Append("<section id=\"activity\">\n<h2>Caught and done</h2>\n");

        var decisions = activity.ByRiskAndDecision.Select(c => c.Decision).Distinct().Order(StringComparer.Ordinal).ToList();
        var risks = activity.ByRiskAndDecision.Select(c => c.Risk).Distinct().Order(StringComparer.Ordinal).ToList();
        Heading(page, "Findings per risk and decision", activity.Findings.Count);
        Html.Table(page, "risk-decisions", "The guards caught nothing in this period.",
            ["Risk", .. decisions, "Total"],
            risks.Select(risk => new Cell[] { risk }
                .Concat(decisions.Select(d => Cell.Num(Html.Number(activity.ByRiskAndDecision.Where(c => c.Risk == risk && c.Decision == d).Sum(c => c.Count)))))
                .Append(Cell.Num(Html.Number(activity.ByRiskAndDecision.Where(c => c.Risk == risk).Sum(c => c.Count))))
                .ToArray()));

        Heading(page, "Reverts", activity.Reverts.Count);
        Html.Table(page, "reverts", "Nothing was reverted in this period.",
            ["Event time", "Risk", "Resource", "Region", "Why", "Outcome", "Action", "Result"],
            activity.Reverts.Select(r => new Cell[]
            {
                Cell.Raw(Html.Time(r.EventTime)), r.Risk, Cell.Raw(Html.Code(r.Resource)), Cell.Short(r.Region), Words.Of(r.Trigger),
                Cell.Raw(Html.Badge(Words.Of(r.Outcome), Words.Tone(r.Outcome))), r.Action ?? "", r.Result ?? "",
            }));

        Heading(page, "Approvals", activity.Approvals.Count);
        Html.Table(page, "approvals", "No finding went to a person for approval in this period.",
            ["Requested", "Risk", "Resource", "Status", "Decided", "Time to decision", "Decided by"],
            activity.Approvals.Select(a => new Cell[]
            {
                Cell.Raw(Html.Time(a.RequestedAt)), a.Risk, Cell.Raw(Html.Code(a.Resource)),
                Cell.Raw(Html.Badge(Words.Of(a.Status), Words.Tone(a.Status))),
                Cell.Raw(a.DecidedAt is null ? "" : Html.Time(a.DecidedAt)),
                Cell.Num(a.SecondsToDecision is { } s ? ReportTime.Duration(s) : ""), a.DecidedBy ?? "",
            }));

        Heading(page, "Every finding", activity.Findings.Count);
        Html.Table(page, "findings", "No findings in this period.",
            ["Event time", "Risk", "Event", "Actor", "Resource", "Region", "Decision", "State", "Action and result"],
            activity.Findings.Select(f => new Cell[]
            {
                Cell.Raw(Html.Time(f.EventTime)), $"{f.Risk} ({f.Severity})", f.EventName, Cell.Raw(Html.Actor(f.Actor), "arn"),
                Cell.Raw(Html.Code(f.Resource)), Cell.Short(f.Region), f.DryRun ? $"{f.Decision} (dry run)" : f.Decision,
                Cell.Raw(Html.Badge(Words.Of(f.State), Words.Tone(f.State))),
                string.Join(": ", new[] { f.Action, f.Result }.Where(t => !string.IsNullOrEmpty(t))),
            }));

        page.Append("</section>\n");
    }

    public static void NotScanned(StringBuilder page, IReadOnlyList<ScanGap> gaps)
    {
        if (gaps.Count == 0) return;
        page.Append("<section id=\"not-scanned\">\n<h2>Not scanned</h2>\n");
        page.Append("<p class=\"muted\">These scans did not finish; what they cover is missing from this report.</p>\n");
        Html.Table(page, "scan-gaps", "", ["Scanner", "Region", "Reason"], gaps.Select(g => new Cell[] { g.Scanner, g.Region, g.Reason }));
        page.Append("</section>\n");
    }

    private static void Heading(StringBuilder page, string title, int count) =>
        page.Append($"<h3>{Html.Encode(title)} <span class=\"n\">({Html.Number(count)})</span></h3>\n");

    private static string Rules(IReadOnlyList<RiskyIngressRule> rules) =>
        "<ul class=\"rules\">" + string.Concat(rules.Select(r =>
            $"<li>{Html.Encode(r.Ports)} from <code>{Html.Encode(r.Cidr)}</code></li>")) + "</ul>";
}
