using System.CommandLine;

namespace DuoQServerless.Cli;

/// <summary>The `duoq` entry point: takes everything it reads and returns the exit code.</summary>
public static class DuoqCommand
{
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("DuoQServerless: guardrails for AWS accounts where AI agents call AWS APIs.");
        foreach (var command in Commands(context)) root.Add(command);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) await context.Error.WriteLineAsync($"duoq: {error.Message}");
            await context.Error.WriteLineAsync("Run 'duoq --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        // Bad values the parser could not see (a missing file, a malformed policy): the user's to fix.
        catch (UsageException e)
        {
            await context.Error.WriteLineAsync($"duoq: {e.Message}");
            return ExitCodes.Usage;
        }
        // Ctrl+C: commands clean up in their own finally blocks; 130 is the shell's convention.
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("duoq: cancelled");
            return 130;
        }
        // Anything else is ours, not the user's: say what failed, no usage text, a distinct exit code.
        catch (Exception e)
        {
            await context.Error.WriteLineAsync($"duoq: internal error: {e.GetType().Name}: {e.Message}");
            await context.Error.WriteLineAsync(e.StackTrace);
            return ExitCodes.InternalError;
        }
    }

    private static IEnumerable<Command> Commands(CliContext context)
    {
        yield return DemoCommand.Create(context);
        yield return ReplayCommand.Create(context);
        yield return ValidateCommand.Create(context);
        yield return ReportCommand.Create(context);
    }
}
