using System.Net;
using System.Text;

namespace DuoQServerless.IntegrationTests.Secrets;

/// <summary>Looks for a secret in text a person or a log store could read: as it is, and in the
/// encodings that would still give it away (URL, base64 and base64url, hex).</summary>
internal static class SecretScan
{
    public static IReadOnlyList<string> Forms(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        var base64 = Convert.ToBase64String(bytes);
        return new[]
        {
            secret,
            Uri.EscapeDataString(secret),
            WebUtility.UrlEncode(secret),
            WebUtility.HtmlEncode(secret),
            base64.TrimEnd('='),
            base64.TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            Convert.ToHexString(bytes),
        }.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Fails naming where, and in which form, the secret showed.</summary>
    public static void AssertAbsent(string secret, IReadOnlyDictionary<string, string> texts)
    {
        Assert.NotEmpty(texts);
        foreach (var (where, text) in texts)
            foreach (var form in Forms(secret))
                Assert.False(text.Contains(form, StringComparison.OrdinalIgnoreCase), $"the secret shows in {where} (as '{form}'):\n{text}");
    }
}
