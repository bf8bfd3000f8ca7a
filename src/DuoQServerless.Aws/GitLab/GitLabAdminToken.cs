namespace DuoQServerless.Aws.GitLab;

/// <summary>
/// A GitLab administrator's personal access token. It never prints: <see cref="ToString"/> is
/// redacted and the value is reachable only inside this assembly, where it goes into one request
/// header and nowhere else.
/// </summary>
public sealed class GitLabAdminToken
{
    private const string Redacted = "[redacted]";
    private readonly string _value;

    public GitLabAdminToken(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value.Trim();
    }

    internal string Value => _value;

    /// <summary>Removes the token from text that came from elsewhere (an error body, an exception message,
    /// a probe's message): as it is, and in the encodings a server may echo it in (URL, base64, hex).</summary>
    internal string Scrub(string text)
    {
        foreach (var form in Forms())
            text = text.Replace(form, Redacted, StringComparison.OrdinalIgnoreCase);
        return text;
    }

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    internal string? ScrubOptional(string? text) => text is null ? null : Scrub(text);

    private IEnumerable<string> Forms()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(_value);
        yield return _value;
        yield return Uri.EscapeDataString(_value);
        yield return System.Net.WebUtility.UrlEncode(_value);
        yield return Convert.ToBase64String(bytes).TrimEnd('=');
        yield return Convert.ToHexString(bytes);
    }

    public override string ToString() => $"GitLabAdminToken({Redacted})";
}
