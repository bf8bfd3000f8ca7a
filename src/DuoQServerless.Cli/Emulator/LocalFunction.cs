using System.Text.Json;
using DuoQServerless.Functions.Handlers;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Cli.Emulator;

/// <summary>
/// One Lambda function run locally the way Lambda runs it: the bootstrap's own loop, in this
/// process, polling a <see cref="LocalRuntimeApi"/> on 127.0.0.1. Invocations go through the
/// real runtime path (next, response or error), so what works here works in Lambda.
/// </summary>
public sealed class LocalFunction : IAsyncDisposable
{
    private readonly LocalRuntimeApi _api;
    private readonly CancellationTokenSource _shutdown;
    private readonly Task<RuntimeExit> _loop;
    private readonly string _functionArn;
    private int _invocations;

    private LocalFunction(LocalRuntimeApi api, CancellationTokenSource shutdown, Task<RuntimeExit> loop, string functionArn)
    {
        _api = api;
        _shutdown = shutdown;
        _loop = loop;
        _functionArn = functionArn;
    }

    /// <param name="handler">The function's Handler in template.yaml, e.g. "ping".</param>
    /// <param name="environment">The function's environment (endpoint, table, topic...).</param>
    /// <param name="logs">Where the function's JSON log lines go.</param>
    public static LocalFunction Start(string handler, IReadOnlyDictionary<string, string> environment, Stream logs, string account = "123456789012", string region = "us-east-1")
    {
        var api = LocalRuntimeApi.Start();
        var variables = new Dictionary<string, string>(environment)
        {
            [RuntimeVariables.RuntimeApi] = api.Address,
            [RuntimeVariables.Handler] = handler,
        };
        var shutdown = new CancellationTokenSource();
        var loop = Task.Run(() => LambdaBootstrap.RunProcessAsync(FunctionHandlers.Create(), new InMemoryEnvironment(variables), logs, TimeProvider.System, shutdown.Token));
        return new LocalFunction(api, shutdown, loop, $"arn:aws:lambda:{region}:{account}:function:duoq-{handler}");
    }

    /// <summary>Invokes the function with one event; the outcome is its response or its error report.</summary>
    public async Task<LocalInvocationResult> InvokeAsync(string eventJson, TimeSpan? timeout = null)
    {
        var requestId = $"local-{Interlocked.Increment(ref _invocations):D4}-{Guid.NewGuid():N}"[..24];
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        _api.Enqueue(new LocalInvocation(requestId, eventJson, DateTimeOffset.UtcNow + limit, FunctionArn: _functionArn));
        var waitForResult = _api.ResultOfAsync(requestId, limit + TimeSpan.FromSeconds(5));
        if (await Task.WhenAny(waitForResult, _loop) == _loop)
            throw new InvalidOperationException($"The function stopped ({await _loop}) before answering: see its logs");
        var posted = await waitForResult;
        return new LocalInvocationResult(requestId, posted.Kind == PostKind.Response, JsonDocument.Parse(posted.Body).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync();
        await _api.DisposeAsync();
        await _loop;
        _shutdown.Dispose();
    }
}

/// <summary>What a local invocation answered: the handler's response, or the runtime's error report.</summary>
public sealed record LocalInvocationResult(string RequestId, bool Succeeded, JsonElement Body);
