using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DuoQServerless.Core.Approval;

/// <summary>What a person decides through a link. Closed: every switch over it is exhaustive.</summary>
public enum ApprovalDecision
{
    Approve,
    Reject,
}

public static class ApprovalDecisions
{
    /// <summary>The value of the link's d= parameter.</summary>
    public static string ToLinkValue(this ApprovalDecision decision) => decision switch
    {
        ApprovalDecision.Approve => "approve",
        ApprovalDecision.Reject => "reject",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
    };

    public static ApprovalDecision? FromLinkValue(string? value) => value switch
    {
        "approve" => ApprovalDecision.Approve,
        "reject" => ApprovalDecision.Reject,
        _ => null,
    };
}

/// <summary>The result of checking a link. Only <see cref="Valid"/> may decide anything.</summary>
public abstract record LinkCheck
{
    private LinkCheck() { }

    public sealed record Valid(string ApprovalId, ApprovalDecision Decision, DateTimeOffset ExpiresAt) : LinkCheck;

    /// <summary>Authentic, but past its expiry (the approval timed out).</summary>
    public sealed record Expired(string ApprovalId, ApprovalDecision Decision, DateTimeOffset ExpiresAt) : LinkCheck;

    /// <summary>Well formed, but not signed with our key for this id, decision and expiry.</summary>
    public sealed record BadSignature : LinkCheck;

    /// <summary>A part is missing or not in the form a link of ours has.</summary>
    public sealed record Malformed(string Reason) : LinkCheck;
}

/// <summary>
/// Approval links: https://&lt;api&gt;/approvals/{id}?d=approve|reject&amp;exp=&lt;unix&gt;&amp;sig=&lt;HMAC&gt;.
/// The signature is HMAC-SHA256 over a versioned, newline-separated string of id, decision and
/// expiry (none of which may hold a newline), base64url without padding, compared in constant
/// time. The key comes from an SSM SecureString parameter; the clock is passed in.
/// </summary>
public sealed class ApprovalLink
{
    public const int MinimumKeyBytes = 32;
    private const string Version = "duoq-approval-link-v1";
    private readonly byte[] _key;

    public ApprovalLink(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyBytes)
            throw new ArgumentException($"The approval link key must be at least {MinimumKeyBytes} bytes; it has {key.Length}.", nameof(key));
        _key = key.ToArray();
    }

    /// <summary>The key as the SSM SecureString parameter holds it (its UTF-8 bytes).</summary>
    public static ApprovalLink FromSecret(string secret) => new(Encoding.UTF8.GetBytes(secret));

    /// <summary>The link for one decision on one approval, valid until <paramref name="expiresAt"/>.</summary>
    public Uri Create(Uri apiBaseUrl, string approvalId, ApprovalDecision decision, DateTimeOffset expiresAt)
    {
        if (!ApprovalIds.IsWellFormed(approvalId))
            throw new ArgumentException($"'{approvalId}' is not an approval id.", nameof(approvalId));
        var exp = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var d = decision.ToLinkValue();
        var sig = Sign(approvalId, d, exp);
        var root = apiBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri($"{root}/approvals/{approvalId}?d={d}&exp={exp}&sig={sig}");
    }

    /// <summary>Checks the parts of a link as the callback receives them (path id and query parameters).</summary>
    public LinkCheck Verify(string? approvalId, string? decision, string? exp, string? sig, DateTimeOffset now)
    {
        if (!ApprovalIds.IsWellFormed(approvalId)) return new LinkCheck.Malformed("the approval id is missing or not an approval id");
        if (ApprovalDecisions.FromLinkValue(decision) is not { } parsedDecision) return new LinkCheck.Malformed("d must be approve or reject");
        if (string.IsNullOrEmpty(exp) || exp.Length > 12 || !exp.All(char.IsAsciiDigit)
            || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expSeconds)
            || expSeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return new LinkCheck.Malformed("exp must be a unix time in seconds");
        if (!TryDecodeBase64Url(sig, out var given)) return new LinkCheck.Malformed("sig must be base64url");

        var expected = Mac(approvalId, decision!, exp);
        if (!CryptographicOperations.FixedTimeEquals(given, expected)) return new LinkCheck.BadSignature();

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expSeconds);
        return now >= expiresAt
            ? new LinkCheck.Expired(approvalId, parsedDecision, expiresAt)
            : new LinkCheck.Valid(approvalId, parsedDecision, expiresAt);
    }

    private string Sign(string approvalId, string decision, string exp) => Base64Url(Mac(approvalId, decision, exp));

    private byte[] Mac(string approvalId, string decision, string exp) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{Version}\n{approvalId}\n{decision}\n{exp}"));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecodeBase64Url(string? text, out byte[] bytes)
    {
        bytes = [];
        // A SHA-256 MAC is 32 bytes: 43 base64url characters without padding.
        if (text is not { Length: 43 } || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        var standard = text.Replace('-', '+').Replace('_', '/') + "=";
        bytes = new byte[32];
        return Convert.TryFromBase64String(standard, bytes, out var written) && written == 32;
    }
}

/// <summary>Approval ids: random, URL-safe, and never holding anything but [A-Za-z0-9_-].</summary>
public static class ApprovalIds
{
    /// <summary>128 random bits as 22 base64url characters.</summary>
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) =>
        id is { Length: >= 16 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
