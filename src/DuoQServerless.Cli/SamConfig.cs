using System.Text.RegularExpressions;

namespace DuoQServerless.Cli;

/// <summary>What `duoq` takes from samconfig.toml, the file `sam deploy` reads.</summary>
public static partial class SamConfig
{
    public const string DefaultStackName = "duoq-serverless";

    /// <summary>The stack_name in ./samconfig.toml, else the project's default.</summary>
    public static string StackName(CliContext context)
    {
        var path = context.ResolvePath("samconfig.toml");
        return File.Exists(path) && StackNameLine().Match(File.ReadAllText(path)) is { Success: true } match
            ? match.Groups["name"].Value
            : DefaultStackName;
    }

    [GeneratedRegex("""^\s*stack_name\s*=\s*"(?<name>[^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex StackNameLine();
}
