using System.CommandLine;
using DuoQServerless.Cli.Emulator;
using Spectre.Console;

namespace DuoQServerless.Cli;

/// <summary>`duoq demo`: the whole product against the embedded emulator, no AWS account needed.</summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var keep = new Option<bool>("--keep") { Description = "Leave the emulator running and print its endpoint for --endpoint." };
        var command = new Command("demo", "Start the embedded emulator, replay risky and benign events through the guards, show what was caught and done.")
        {
            keep,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(context, parse.GetValue(keep), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, bool keep, CancellationToken cancellationToken)
    {
        var ui = context.Ui;
        ui.MarkupLine("[bold]DuoQServerless demo[/]: starting the embedded AWS emulator (moto) on 127.0.0.1...");
        var emulator = await MotoServer.StartAsync(cancellationToken: cancellationToken);
        try
        {
            ui.MarkupLine($"Emulator ready at [blue]{emulator.Endpoint}[/]");
            await PingThroughTheRuntimeAsync(ui, emulator);
            if (keep)
            {
                ui.MarkupLine($"--keep: the emulator stays up. Use [blue]--endpoint {emulator.Endpoint}[/]; Ctrl+C stops it.");
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            return ExitCodes.Ok;
        }
        finally
        {
            await emulator.DisposeAsync();
            ui.MarkupLine("Emulator stopped.");
        }
    }

    // The bootstrap's own loop, in this process, against a local Runtime API: the real Lambda path.
    private static async Task PingThroughTheRuntimeAsync(IAnsiConsole ui, MotoServer emulator)
    {
        using var logs = new MemoryStream();
        await using var ping = LocalFunction.Start("ping", new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = emulator.Endpoint.ToString() }, logs);
        var result = await ping.InvokeAsync("""{"source":"duoq.demo","detail-type":"Ping","detail":{"message":"hello"}}""");
        ui.MarkupLine($"ping handler via the Lambda Runtime API: [{(result.Succeeded ? "green" : "red")}]{(result.Succeeded ? "responded" : "failed")}[/] (request {result.RequestId})");
        ui.WriteLine(result.Body.GetRawText());
    }
}
