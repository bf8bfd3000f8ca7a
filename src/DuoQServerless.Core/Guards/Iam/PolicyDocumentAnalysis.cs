using System.Text.Json;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;

namespace DuoQServerless.Core.Guards.Iam;

/// <summary>
/// A small look at an IAM policy document, enough to call it admin-like: an Allow of <c>*</c>
/// or <c>iam:*</c> on <c>*</c>, of NotAction on <c>*</c>, or of a privilege-escalation action.
/// Conditions are not weighed (a condition can be satisfied by whoever wrote it).
/// Documents come as CloudTrail records them: plain JSON strings or URL-encoded.
/// </summary>
public sealed record PolicyDocumentAnalysis(bool AdminLike, bool Readable, IReadOnlyList<string> Reasons)
{
    /// <summary>Escalation actions that are dangerous on any IAM resource.</summary>
    public static readonly IReadOnlyList<string> EscalationActions =
    [
        "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
        "iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy",
        "iam:PutRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy",
    ];

    /// <summary>Actions that escalate when allowed on every resource.</summary>
    public static readonly IReadOnlyList<string> EscalationActionsOnAnyResource = ["iam:PassRole", "sts:AssumeRole"];

    public static PolicyDocumentAnalysis Of(string? documentText)
    {
        if (string.IsNullOrWhiteSpace(documentText)) return Unreadable("the event holds no policy document");
        using var document = ParseDocument(documentText);
        if (document is null) return Unreadable("the policy document could not be read");

        var reasons = new List<string>();
        foreach (var statement in document.RootElement.Items("Statement"))
        {
            if (!string.Equals(statement.Str("Effect"), "Allow", StringComparison.OrdinalIgnoreCase)) continue;
            var resources = Strings(statement.Prop("Resource"));
            var anyResource = statement.Prop("NotResource").IsPresent() || resources.Contains("*");
            var iamResource = anyResource || resources.Any(resource =>
                resource.StartsWith("arn:aws:iam:", StringComparison.OrdinalIgnoreCase) || resource.StartsWith("arn:*", StringComparison.Ordinal));
            if (statement.Prop("NotAction").IsPresent() && anyResource)
                reasons.Add("allows every action but those in NotAction on *");
            foreach (var action in Strings(statement.Prop("Action")))
            {
                if (anyResource && (action is "*" or "*:*" || action.Equals("iam:*", StringComparison.OrdinalIgnoreCase)))
                {
                    reasons.Add($"allows {action} on *");
                    continue;
                }
                if (iamResource)
                    foreach (var escalation in EscalationActions.Where(escalation => Glob.Matches(action, escalation)))
                        reasons.Add($"allows {escalation} (privilege escalation)");
                if (anyResource)
                    foreach (var escalation in EscalationActionsOnAnyResource.Where(escalation => Glob.Matches(action, escalation)))
                        reasons.Add($"allows {escalation} on * (privilege escalation)");
            }
        }
        var distinct = reasons.Distinct().ToArray();
        return new PolicyDocumentAnalysis(distinct.Length > 0, true, distinct);
    }

    /// <summary>Whether a trust policy lets anyone assume the role: an Allow whose Principal is
    /// <c>*</c> or <c>{"AWS": "*"}</c>.</summary>
    public static bool TrustsAnyone(string? documentText)
    {
        if (string.IsNullOrWhiteSpace(documentText)) return false;
        using var document = ParseDocument(documentText);
        if (document is null) return false;
        return document.RootElement.Items("Statement").Any(statement =>
            string.Equals(statement.Str("Effect"), "Allow", StringComparison.OrdinalIgnoreCase) &&
            (statement.Str("Principal") == "*" || Strings(statement.Prop("Principal").Prop("AWS")).Contains("*")));
    }

    private static PolicyDocumentAnalysis Unreadable(string reason) => new(false, false, [reason]);

    private static JsonDocument? ParseDocument(string text)
    {
        foreach (var candidate in new[] { text, Decode(text) })
        {
            if (candidate is null) continue;
            try
            {
                var document = JsonDocument.Parse(candidate);
                if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
                document.Dispose();
            }
            catch (JsonException)
            {
                // Not JSON as written: the next candidate is the URL-decoded text.
            }
        }
        return null;
    }

    private static string? Decode(string text)
    {
        if (!text.Contains('%')) return null;
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            // Broken escapes: the document is unreadable, which the caller reports.
            return null;
        }
    }

    private static IReadOnlyList<string> Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.Text() is { } text ? [text] : [],
        JsonValueKind.Array => value.EnumerateArray().Select(item => item.Text()).OfType<string>().ToArray(),
        _ => [],
    };
}
