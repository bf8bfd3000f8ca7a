using System.Security.Cryptography;
using System.Text;
using static System.Net.WebUtility;

namespace DuoQServerless.Core.Approval;

/// <summary>A request to the approval callback, from an API Gateway HTTP API (payload 2.0) event.</summary>
public sealed record CallbackRequest
{
    public required string Method { get; init; }
    /// <summary>The {id} path parameter.</summary>
    public string? ApprovalId { get; init; }
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();
    /// <summary>Fields of a posted form (application/x-www-form-urlencoded).</summary>
    public IReadOnlyDictionary<string, string> Form { get; init; } = new Dictionary<string, string>();
    public string? SourceIp { get; init; }
    public string? UserAgent { get; init; }
}

/// <summary>The callback's answer: an HTML page with its status and headers.</summary>
public sealed record CallbackResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>What went wrong behind an "unavailable" page (AWS's code and message), for the log only: never shown.</summary>
    public string? Problem { get; init; }
}

/// <summary>
/// The approval callback's pages. No script anywhere, and a Content-Security-Policy that forbids
/// it: mail scanners and link previewers fetch links and some submit auto-posting forms, so only
/// a person's click on the button may post. Everything from the finding is HTML-encoded.
/// </summary>
public static class ApprovalPages
{
    /// <summary>Name of the optional form field the approver types their name into.</summary>
    public const string DecidedByField = "decidedBy";

    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}" +
        "th{text-align:left;padding-right:1rem;vertical-align:top}td{word-break:break-all}" +
        "button{font-size:1.1rem;padding:.5rem 1.5rem;margin-top:1rem}.approve{background:#1a7f37;color:#fff}.reject{background:#b42318;color:#fff}";

    private static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static CallbackResponse Confirmation(ApprovalRecord approval, ApprovalDecision decision)
    {
        var (verb, css) = decision switch
        {
            ApprovalDecision.Approve => ("Approve", "approve"),
            ApprovalDecision.Reject => ("Reject", "reject"),
            _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
        };
        var consequence = decision switch
        {
            ApprovalDecision.Approve => "The change stays in place and the resource is tagged as approved.",
            ApprovalDecision.Reject => "The change is reverted by the guard that caught it.",
            _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
        };
        var body = $"""
            <h1>{verb} this change?</h1>
            {FindingTable(approval)}
            <p>{consequence} If no one decides by {HtmlEncode(ApprovalEmail.Utc(approval.ExpiresAt))}, {TimeoutAction(approval.TimeoutMeans)}.</p>
            <form method="post">
            <label for="decidedBy">Your name (recorded with the decision)</label><br>
            <input id="decidedBy" name="{DecidedByField}" maxlength="80" autocomplete="name"><br>
            <button type="submit" class="{css}">{verb}</button>
            </form>
            """;
        return Page(200, $"{verb} this change?", body);
    }

    public static CallbackResponse Decided(ApprovalRecord approval) => approval.Status switch
    {
        ApprovalStatus.Approved => Page(200, "Approved", $"<h1>Approved</h1><p>Thank you. The change stays in place.</p>{FindingTable(approval)}"),
        ApprovalStatus.Rejected => Page(200, "Rejected", $"<h1>Rejected</h1><p>Thank you. The change is being reverted; the findings topic is told how it ends.</p>{FindingTable(approval)}"),
        ApprovalStatus.Pending => throw new ArgumentException("a pending approval has no outcome to show", nameof(approval)),
        ApprovalStatus.TimedOut => TimedOut(approval),
        _ => throw new ArgumentOutOfRangeException(nameof(approval), approval.Status, null),
    };

    public static CallbackResponse AlreadyDecided(ApprovalRecord approval) => approval.Status switch
    {
        ApprovalStatus.Approved or ApprovalStatus.Rejected => Page(409, "Already decided",
            $"<h1>Already decided</h1><p>This change was already {(approval.Status == ApprovalStatus.Approved ? "approved" : "rejected")} " +
            $"by {HtmlEncode(approval.DecidedBy ?? "someone")}{From(approval.DecidedFromIp)} at {HtmlEncode(approval.DecidedAt is { } at ? ApprovalEmail.Utc(at) : "an unknown time")}. " +
            $"Nothing was changed now.</p>{FindingTable(approval)}"),
        ApprovalStatus.TimedOut => TimedOut(approval),
        ApprovalStatus.Pending => throw new ArgumentException("a pending approval is not decided", nameof(approval)),
        _ => throw new ArgumentOutOfRangeException(nameof(approval), approval.Status, null),
    };

    public static CallbackResponse TimedOut(ApprovalRecord approval) => Page(410, "Too late",
        $"<h1>Too late: this approval timed out</h1><p>No decision arrived by {HtmlEncode(ApprovalEmail.Utc(approval.ExpiresAt))}, " +
        $"so {TimeoutAction(approval.TimeoutMeans, past: true)}. Nothing was decided now.</p>{FindingTable(approval)}");

    public static CallbackResponse LinkExpired(DateTimeOffset expiredAt) => Page(403, "Link expired",
        $"<h1>This link has expired</h1><p>It was valid until {HtmlEncode(ApprovalEmail.Utc(expiredAt))}; the approval timed out " +
        "and the policy's timeout action applied. Nothing was decided now.</p>");

    public static CallbackResponse InvalidLink() => Page(403, "Invalid link",
        "<h1>This link is not valid</h1><p>It was changed or is incomplete. Nothing was decided. Use the link exactly as the email gave it.</p>");

    public static CallbackResponse NotFound() => Page(404, "Unknown approval",
        "<h1>Unknown approval</h1><p>No approval with this id is on record (it may have been removed after its retention). Nothing was decided.</p>");

    public static CallbackResponse MethodNotAllowed() => Page(405, "Method not allowed",
        "<h1>Method not allowed</h1><p>Open the link from the email, then press its button.</p>", ("Allow", "GET, POST"));

    public static CallbackResponse Unavailable() => Page(503, "Try again",
        "<h1>Please try again</h1><p>Step Functions could not be reached, so nothing was decided. Press the button again in a minute.</p>", ("Retry-After", "60"));

    private static string TimeoutAction(TimeoutMeans means, bool past = false) => means switch
    {
        TimeoutMeans.Revert => past ? "the change was reverted" : "the change is reverted",
        TimeoutMeans.Approve => past ? "the change was kept (approved by the policy)" : "the change is kept (approved by the policy)",
        _ => throw new ArgumentOutOfRangeException(nameof(means), means, null),
    };

    private static string From(string? ip) => ip is null ? "" : $" (from {HtmlEncode(ip)})";

    private static string FindingTable(ApprovalRecord approval)
    {
        var s = approval.Summary;
        var rows = new StringBuilder()
            .Append(Row("Risk", s.Risk))
            .Append(Row("Resource", s.Resource))
            .Append(Row("What happened", s.Summary))
            .Append(Row("Who", s.Actor))
            .Append(Row("From", s.SourceIp ?? "unknown address"))
            .Append(Row("User agent", s.UserAgent ?? "unknown"));
        if (s.CostPerHour is { } cost) rows.Append(Row("Cost", ApprovalEmail.FormatCost(cost)));
        return $"<table>{rows}</table>";
    }

    private static string Row(string name, string value) => $"<tr><th>{name}</th><td>{HtmlEncode(ApprovalEmail.OneLine(value, 500))}</td></tr>";

    private static CallbackResponse Page(int status, string title, string body, params (string Name, string Value)[] extraHeaders)
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "text/html; charset=utf-8",
            ["Cache-Control"] = "no-store",
            ["Referrer-Policy"] = "no-referrer",
            ["Content-Security-Policy"] = ContentSecurityPolicy,
            ["X-Content-Type-Options"] = "nosniff",
            ["X-Frame-Options"] = "DENY",
            ["X-Robots-Tag"] = "noindex, nofollow",
        };
        foreach (var (name, value) in extraHeaders) headers[name] = value;
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex, nofollow"><title>DuoQ: {HtmlEncode(title)}</title><style>{Style}</style></head>
            <body>
            {body}
            </body></html>
            """;
        return new CallbackResponse(status, headers, html);
    }
}
