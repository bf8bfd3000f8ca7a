using Spectre.Console;

namespace DuoQServerless.Cli;

/// <summary>
/// Everything a `duoq` command reads from or writes to the outside world, so specs run commands
/// in-process with their own console and environment.
/// </summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string?> Environment, string WorkingDirectory)
{
    public static CliContext FromProcess() => new(
        Console.Out,
        Console.Error,
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value),
        Directory.GetCurrentDirectory());

    /// <summary>A Spectre console over <see cref="Out"/>: colour only on a real terminal.</summary>
    public IAnsiConsole Ui { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Out),
        Ansi = ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = ReferenceEquals(Out, Console.Out) ? InteractionSupport.Detect : InteractionSupport.No,
    });

    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);
}

/// <summary>A mistake in how the command was called: the message is for the user, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The documented exit codes of every `duoq` command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran, and what it checked or read was found wanting (a failed check, an invalid event).</summary>
    public const int Findings = 1;
    public const int Usage = 2;
    public const int InternalError = 3;
}
