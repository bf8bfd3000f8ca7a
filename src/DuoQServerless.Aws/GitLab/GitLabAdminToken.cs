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

    /// <summary>Removes the token from text that came from elsewhere (an error body, an exception message).</summary>
    internal string Scrub(string text) => text.Replace(_value, Redacted, StringComparison.Ordinal);

    public override string ToString() => $"GitLabAdminToken({Redacted})";
}
