namespace DuoQServerless.Cli;

/// <summary>The `--endpoint URL` of commands that can run against an emulator.</summary>
public static class EndpointOption
{
    public static Uri? Parse(string? value) =>
        value is null ? null
        : Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri
        : throw new UsageException($"--endpoint: '{value}' is not an http(s) URL");
}
