using DuoQServerless.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C cancels cleanly (the emulator is stopped); a second one kills the process.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};
return await DuoqCommand.RunAsync(args, CliContext.FromProcess(), cancel.Token);
