using System.Runtime.InteropServices;
using DuoQServerless.Functions.Handlers;
using DuoQServerless.Functions.Runtime;

using var shutdown = new CancellationTokenSource();
// Lambda sends SIGTERM before it retires a sandbox: stop at the next wait for work and exit 0.
using var onSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    shutdown.Cancel();
});
using var stdout = Console.OpenStandardOutput();
var exit = await LambdaBootstrap.RunProcessAsync(FunctionHandlers.Create(), ProcessEnvironment.Instance, stdout, TimeProvider.System, shutdown.Token);
return (int)exit;
