using System.Globalization;
using System.Text;

namespace DuoQServerless.Core.Approval;

/// <summary>
/// The approval email (plain text, sent through SNS). Fields from the finding are flattened to one
/// line and capped: a caller controls its own user agent, and must not be able to write
/// paragraphs or fake links into the mail.
/// </summary>
public sealed record ApprovalEmail(string Subject, string Body)
{
    /// <summary>SNS subjects must be under 100 characters, printable ASCII, no line breaks.</summary>
    public const int MaxSubjectLength = 99;

    public static ApprovalEmail Compose(ApprovalRecord approval, Uri approveLink, Uri rejectLink, DateTimeOffset now)
    {
        var s = approval.Summary;
        var subject = AsciiSubject($"DuoQ approval needed: {OneLine(s.Risk, 40)} on {OneLine(s.Resource, 200)}");
        var onTimeout = approval.TimeoutMeans switch
        {
            TimeoutMeans.Revert => "the change will be REVERTED automatically",
            TimeoutMeans.Approve => "the change will be KEPT (approved automatically)",
            _ => throw new ArgumentOutOfRangeException(nameof(approval), approval.TimeoutMeans, null),
        };

        var body = new StringBuilder()
            .AppendLine("An AWS API call made through an AI agent needs a person's decision.")
            .AppendLine()
            .AppendLine($"What happened: {OneLine(s.Summary, 500)}")
            .AppendLine($"Risk:          {OneLine(s.Risk, 80)}")
            .AppendLine($"Resource:      {OneLine(s.Resource, 300)}")
            .AppendLine($"Who:           {OneLine(s.Actor, 300)}")
            .AppendLine($"From:          {OneLine(s.SourceIp ?? "unknown address", 100)}")
            .AppendLine($"User agent:    {OneLine(s.UserAgent ?? "unknown", 300)}");
        if (s.CostPerHour is { } cost) body.AppendLine($"Cost:          {FormatCost(cost)}");
        body.AppendLine()
            .AppendLine($"If no one decides by {Utc(approval.ExpiresAt)} (in {Duration(approval.ExpiresAt - now)}), {onTimeout}.")
            .AppendLine()
            .AppendLine("Approve (keep the change):")
            .AppendLine(approveLink.AbsoluteUri)
            .AppendLine()
            .AppendLine("Reject (revert the change):")
            .AppendLine(rejectLink.AbsoluteUri)
            .AppendLine()
            .AppendLine("Each link opens a confirmation page; nothing is decided until you press its button.")
            .AppendLine($"Approval {approval.ApprovalId}, execution {approval.ExecutionArn}");
        return new ApprovalEmail(subject, body.ToString());
    }

    public static string FormatCost(decimal costPerHour) =>
        string.Create(CultureInfo.InvariantCulture, $"about ${costPerHour:0.####} per hour (${costPerHour * 24 * 30:0.##} per 30 days)");

    public static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Collapses control characters (line breaks included) to spaces and caps the length.</summary>
    public static string OneLine(string text, int max)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max));
        foreach (var c in text)
        {
            if (builder.Length >= max) break;
            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }
        var flat = builder.ToString().Trim();
        return text.Length > max ? flat + "…" : flat;
    }

    private static string AsciiSubject(string text)
    {
        var ascii = new string(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        return ascii.Length <= MaxSubjectLength ? ascii : ascii[..(MaxSubjectLength - 3)] + "...";
    }

    private static string Duration(TimeSpan span) => span switch
    {
        { TotalDays: >= 2 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0} days"),
        { TotalHours: >= 2 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0} hours"),
        { TotalMinutes: >= 2 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} minutes"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalSeconds):0} seconds"),
    };
}
