using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;

namespace DuoQServerless.Cli.Emulator;

/// <summary>Settings for one emulator process; each maps to a moto server setting.</summary>
public sealed record MotoOptions
{
    /// <summary>When set, moto enforces SigV4 and IAM after this many unauthenticated calls.</summary>
    public int? InitialNoAuthActionCount { get; init; }

    /// <summary>Refuse instance types moto does not know (MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION).</summary>
    public bool ValidateInstanceTypes { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The process whose end stops the emulator; this one by default.</summary>
    internal int ParentProcessId { get; init; } = Environment.ProcessId;
}

/// <summary>Thrown when the emulator cannot start; the message says what to install or fix.</summary>
public sealed class EmulatorUnavailableException(string message) : Exception(message);

/// <summary>
/// The embedded AWS emulator: moto's server on a free 127.0.0.1 port, started through the
/// project's launcher (tools/moto/duoq_moto.py, embedded in this assembly). It executes Step
/// Functions definitions, and exits by itself when this process is gone.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private static readonly Lazy<string> Launcher = new(WriteLauncher);
    private readonly Process _process;
    private readonly StringBuilder _output;

    private MotoServer(Process process, Uri endpoint, StringBuilder output)
    {
        _process = process;
        Endpoint = endpoint;
        _output = output;
    }

    public Uri Endpoint { get; }

    public int ProcessId => _process.Id;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<MotoServer> StartAsync(MotoOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MotoOptions();
        var port = LoopbackPort.Free();
        var endpoint = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DUOQ_PYTHON") ?? "python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Launcher.Value, "--port", port.ToString(), "--parent-pid", options.ParentProcessId.ToString() })
            start.ArgumentList.Add(argument);
        start.Environment["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true";
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["PYTHONUNBUFFERED"] = "1";
        if (options.InitialNoAuthActionCount is { } count)
            start.Environment["INITIAL_NO_AUTH_ACTION_COUNT"] = count.ToString();
        if (options.ValidateInstanceTypes)
            start.Environment["MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION"] = "1";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new EmulatorUnavailableException("python3 did not start");
        }
        // Process.Start throws Win32Exception when the interpreter is not on PATH: say what to install.
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EmulatorUnavailableException(
                $"Cannot start the emulator: {start.FileName} not found ({e.Message}). Install Python 3 and moto: pip install 'moto[server]==5.2.1'");
        }

        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new MotoServer(process, endpoint, output);
        try
        {
            await server.WaitUntilReadyAsync(options.StartTimeout, cancellationToken);
            await server.ConfigureAsync(cancellationToken);
            return server;
        }
        // Any failure while starting must not leave a python process behind.
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Forgets every resource in every service: the next test starts from an empty account.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.PostAsync(new Uri(Endpoint, "/moto-api/reset"), null, cancellationToken);
        response.EnsureSuccessStatusCode();
        await ConfigureAsync(cancellationToken);
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

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the redirected output
                throw new EmulatorUnavailableException(Output.Contains("No module named", StringComparison.Ordinal)
                    ? $"moto is not installed for {_process.StartInfo.FileName}: pip install 'moto[server]==5.2.1'\n{Output}"
                    : $"The emulator exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await Http.GetAsync(new Uri(Endpoint, "/moto-api/data.json"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            // Connection refused until the server binds its port: keep polling.
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new EmulatorUnavailableException($"The emulator did not answer on {Endpoint} within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    // Step Functions executes definitions; Lambda invokes answer without Docker (none here).
    private async Task ConfigureAsync(CancellationToken cancellationToken)
    {
        const string config = """{"stepfunctions":{"execute_state_machine":true},"lambda":{"use_docker":false}}""";
        using var content = new StringContent(config, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(Endpoint, "/moto-api/config"), content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    // The launcher ships inside this assembly so `duoq` works from any directory.
    private static string WriteLauncher()
    {
        var path = Path.Combine(Path.GetTempPath(), $"duoq_moto_{Environment.ProcessId}.py");
        using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("duoq_moto.py")
            ?? throw new InvalidOperationException("duoq_moto.py is not embedded in the CLI assembly");
        using var file = File.Create(path);
        resource.CopyTo(file);
        return path;
    }
}
