using System.Diagnostics;
using System.Text;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Tests.Runtime.Harness;

/// <summary>
/// The bootstrap running as a real process against a runtime API address, with stdout kept
/// for assertions. Disposing kills it if it still runs, so a failing test leaves nothing behind.
/// </summary>
public sealed class BootstrapProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private BootstrapProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The log lines written so far.</summary>
    public IReadOnlyList<string> StdoutLines
    {
        get { lock (_stdout) return _stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries); }
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    /// <param name="command">The native bootstrap, or "dotnet" followed by bootstrap.dll for the JIT.</param>
    public static BootstrapProcess Start(IReadOnlyList<string> command, string runtimeApi, string? handler,
        IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        // Only what the test decides may reach the runtime from the test host's environment.
        foreach (var name in start.Environment.Keys.Where(IsLambdaVariable).ToList()) start.Environment.Remove(name);
        start.Environment[RuntimeVariables.RuntimeApi] = runtimeApi;
        if (handler is not null) start.Environment[RuntimeVariables.Handler] = handler;
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return new BootstrapProcess(Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start"));
    }

    /// <summary>The exit code, or a TimeoutException carrying the output if it keeps running.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        // Still running after the timeout: that is the finding, with the output to explain it.
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The bootstrap did not exit within {timeout}. stdout:\n{string.Join('\n', StdoutLines)}\nstderr:\n{Stderr}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static bool IsLambdaVariable(string name) =>
        name.StartsWith("AWS_LAMBDA_", StringComparison.Ordinal) || name is RuntimeVariables.Handler or RuntimeVariables.TraceId;

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.Append(line).Append('\n');
    }
}
