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

    /// <summary>A Spectre console over <see cref="Out"/>: colour and live display only on a real terminal.</summary>
    public IAnsiConsole Ui { get; } = CreateUi(Out);

    private static IAnsiConsole CreateUi(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var ui = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Logs and CI capture: lines are not wrapped at the 80 columns Spectre assumes without a terminal.
        if (!terminal) ui.Profile.Width = 200;
        return ui;
    }

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
