using System.Text;
using DuoQServerless.Core.Notifications;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Functions.Validation;

/// <summary>
/// The message sent when the setup's result changes: a subject read at a glance ("[DuoQ] Amazon Q
/// setup: 1 check fails (QDeveloperAccess, 123456789012)"), a body listing what got worse or
/// better with evidence and fixes, every check's status, and the report JSON.
/// </summary>
public static class ValidationNotification
{
    public const string Risk = "duoq-setup";

    public static Notification Compose(ValidationReport report, ValidationChange change, string trigger)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(change);
        var subject = report.Subject;
        var where = $"{subject.RoleName}, {subject.AccountId}";
        var fails = report.Checks.Count(c => c.Status == CheckStatus.Fail);
        var warns = report.Checks.Count(c => c.Status == CheckStatus.Warn);
        var healthy = change.Kind == ChangeKind.Recovered || (fails == 0 && warns == 0);
        var counts = string.Join(", ", new[] { (fails, "fails", "fail"), (warns, "warns", "warn") }
            .Where(c => c.Item1 > 0)
            .Select(c => Count(c.Item1, c.Item2, c.Item3)));
        var headline = healthy ? "Amazon Q setup healthy again" : $"Amazon Q setup: {counts}";

        var body = new StringBuilder();
        body.AppendLine(healthy
            ? $"DuoQ validator: the GitLab Duo with Amazon Q setup of account {subject.AccountId} ({subject.Region}) is healthy again."
            : $"DuoQ validator: in the GitLab Duo with Amazon Q setup of account {subject.AccountId} ({subject.Region}), {counts}.");
        body.AppendLine($"Role:      {subject.RoleName}");
        body.AppendLine($"Instance:  {subject.InstanceId ?? "unknown"}");
        body.AppendLine($"GitLab:    {subject.GitLabUrl ?? "not checked"}");
        body.AppendLine($"Checked:   {report.CheckedAt:yyyy-MM-dd'T'HH:mm:ss'Z'} ({trigger})");
        AppendChecks(body, "Got worse:", change.Worsened, withFix: true);
        AppendChecks(body, "Better now:", change.Improved, withFix: false);

        body.AppendLine();
        body.AppendLine("Every check:");
        foreach (var check in report.Checks) body.AppendLine($"  {Status(check.Status),-7} {check.Number,2} {check.Id}: {check.Title}");
        body.AppendLine();
        body.AppendLine("Report (JSON):");
        body.AppendLine(report.ToJson());

        var attributes = new Dictionary<string, string>
        {
            ["risk"] = Risk,
            ["severity"] = fails > 0 ? "high" : warns > 0 ? "medium" : "low",
            ["action"] = "notify",
            ["change"] = Change(change.Kind),
        };
        return new Notification(Subject($"[DuoQ] {headline}", where), body.ToString(), attributes);
    }

    private static void AppendChecks(StringBuilder body, string heading, IReadOnlyList<CheckResult> checks, bool withFix)
    {
        if (checks.Count == 0) return;
        body.AppendLine();
        body.AppendLine(heading);
        foreach (var check in checks)
        {
            body.AppendLine($"  {Status(check.Status)} {check.Number} {check.Id}: {check.Title}");
            foreach (var line in check.Evidence) body.AppendLine($"      {line}");
            if (withFix && check.Fix is { } fix)
            {
                body.AppendLine("    Fix:");
                foreach (var line in fix.Split('\n')) body.AppendLine($"      {line.TrimEnd()}");
            }
            body.AppendLine($"    Guide: {check.Guide}");
        }
    }

    /// <summary>SNS subjects: printable ASCII, one line, at most 100 characters; the role and account give way first.</summary>
    private static string Subject(string headline, string where)
    {
        var full = Ascii($"{headline} ({where})");
        if (full.Length <= Notification.MaxSubjectLength) return full;
        var bare = Ascii(headline);
        return bare.Length <= Notification.MaxSubjectLength ? bare : bare[..(Notification.MaxSubjectLength - 3)] + "...";
    }

    private static string Ascii(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text) builder.Append(c is >= ' ' and <= '~' ? c : c is '\r' or '\n' or '\t' ? ' ' : '?');
        return builder.ToString();
    }

    private static string Count(int n, string one, string many) => n == 1 ? $"1 check {one}" : $"{n} checks {many}";

    private static string Status(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Warn => "WARN",
        CheckStatus.Fail => "FAIL",
        CheckStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static string Change(ChangeKind kind) => kind switch
    {
        ChangeKind.FirstResult => "first-result",
        ChangeKind.Unchanged => "unchanged",
        ChangeKind.NewProblems => "new-problems",
        ChangeKind.Improved => "improved",
        ChangeKind.Recovered => "recovered",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
