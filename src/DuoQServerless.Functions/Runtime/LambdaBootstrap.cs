using System.Text.Json;
using DuoQServerless.Functions.Logging;

namespace DuoQServerless.Functions.Runtime;

/// <summary>How the process ends; the value is its exit code.</summary>
public enum RuntimeExit
{
    /// <summary>SIGTERM (or the caller's token) ended the loop between invocations.</summary>
    Shutdown = 0,

    /// <summary>No handler could be built; /init/error was posted.</summary>
    InitFailed = 1,

    /// <summary>The Runtime API stopped answering or reported a container error.</summary>
    RuntimeApiGone = 2,

    /// <summary>AWS_LAMBDA_RUNTIME_API is not set: not running inside Lambda or an emulator.</summary>
    NotConfigured = 3,
}

/// <summary>
/// The runtime loop: build the handler named by _HANDLER once, then next -> invoke -> respond
/// until the Runtime API is gone. A failing invocation (handler threw, event not JSON) is
/// reported on /error and the loop goes on.
/// </summary>
public sealed class LambdaBootstrap(
    IRuntimeApiClient client, HandlerRegistry handlers, IRuntimeEnvironment environment, LambdaLogger logger, TimeProvider clock)
{
    private static readonly TimeSpan LongestDeadline = TimeSpan.FromDays(1);

    /// <summary>The process entry: reads the environment, talks HTTP to the Runtime API, logs to <paramref name="logOutput"/>.</summary>
    public static async Task<RuntimeExit> RunProcessAsync(
        HandlerRegistry handlers, IRuntimeEnvironment environment, Stream logOutput, TimeProvider clock, CancellationToken shutdown)
    {
        var level = environment.Get(RuntimeVariables.LogLevel);
        var logger = new LambdaLogger(logOutput, LogLevels.Parse(level) ?? LogLevel.Info, clock);
        if (level is not null && LogLevels.Parse(level) is null)
            logger.Warn($"{RuntimeVariables.LogLevel} names no level; logging INFO and above", ("value", level));
        var runtimeApi = environment.Get(RuntimeVariables.RuntimeApi);
        if (string.IsNullOrEmpty(runtimeApi))
        {
            logger.Fatal($"{RuntimeVariables.RuntimeApi} is not set: run this inside Lambda or against a local Runtime API");
            return RuntimeExit.NotConfigured;
        }
        using var http = RuntimeApiHttp.CreateHttpClient();
        var client = new RuntimeApiClient(new RuntimeApiHttp(http, runtimeApi));
        return await new LambdaBootstrap(client, handlers, environment, logger, clock).RunAsync(shutdown);
    }

    public async Task<RuntimeExit> RunAsync(CancellationToken shutdown)
    {
        try
        {
            if (await InitializeAsync(shutdown) is not { } handler) return RuntimeExit.InitFailed;
            while (true)
            {
                var invocation = await NextAsync(shutdown);
                if (invocation is not null) await InvokeAsync(handler, invocation, shutdown);
            }
        }
        // These, and only these, end the loop. The Runtime API refusing or dropping the
        // connection means the sandbox is going away (locally: the emulator stopped).
        catch (HttpRequestException e)
        {
            logger.Error("The Runtime API is unreachable; stopping", ("errorMessage", e.Message));
            return RuntimeExit.RuntimeApiGone;
        }
        // invocation/next refusing to hand over work, or a 5xx (the documented "container
        // error") on any call: nothing more can be served. A 4xx on a post is handled per invocation.
        catch (RuntimeApiException e)
        {
            logger.Error("The Runtime API reported an error; stopping", ("errorMessage", e.Message));
            return RuntimeExit.RuntimeApiGone;
        }
        // Our own shutdown token (SIGTERM), never a handler's deadline: those are caught per invocation.
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            logger.Info("Shutting down");
            return RuntimeExit.Shutdown;
        }
    }

    private async Task<ILambdaHandler?> InitializeAsync(CancellationToken shutdown)
    {
        var name = environment.Get(RuntimeVariables.Handler);
        try
        {
            return await handlers.CreateAsync(name, new HandlerInit(environment, logger, clock), shutdown);
        }
        // Whatever stops the handler from being built (unknown name, bad configuration) is an
        // init error: Lambda shows it to the caller and retries init on the next invoke.
        catch (Exception e) when (e is not OperationCanceledException || !shutdown.IsCancellationRequested)
        {
            logger.Fatal("Init failed", ("handler", name), ("errorType", e.GetType().Name), ("errorMessage", e.Message));
            await ReportInitErrorAsync(e, shutdown);
            return null;
        }
    }

    private async Task ReportInitErrorAsync(Exception error, CancellationToken shutdown)
    {
        try
        {
            await client.ReportInitErrorAsync(error, shutdown);
        }
        // The process exits as an init failure either way; the log line above already says why.
        catch (Exception e) when (e is HttpRequestException or RuntimeApiException)
        {
            logger.Error("Could not report the init error", ("errorMessage", e.Message));
        }
    }

    private async Task<Invocation?> NextAsync(CancellationToken shutdown)
    {
        try
        {
            return await client.NextInvocationAsync(shutdown);
        }
        // The invocation has a request id but headers we cannot run with: fail that one only.
        catch (InvalidInvocationException e)
        {
            await ReportAsync(e.RequestId, e, logger.ForRequest(e.RequestId), shutdown);
            return null;
        }
    }

    private async Task InvokeAsync(ILambdaHandler handler, Invocation invocation, CancellationToken shutdown)
    {
        // Set per invocation, removed when tracing is off, so the SDK never sends a stale trace.
        environment.Set(RuntimeVariables.TraceId, invocation.TraceId);
        var requestLogger = logger.ForRequest(invocation.RequestId);
        var context = new LambdaContext(invocation, requestLogger, clock);
        byte[] response;
        try
        {
            using var document = ParseEvent(invocation.Event);
            using var deadline = new CancellationTokenSource(Clamp(context.RemainingTime), clock);
            response = await handler.HandleAsync(document.RootElement, context, deadline.Token);
        }
        // Any exception from the event or the handler fails this invocation only; the function
        // stays warm for the next one. Shutdown does not reach the handler, so none is lost here.
        catch (Exception e)
        {
            await ReportAsync(invocation.RequestId, e, requestLogger, shutdown);
            return;
        }
        try
        {
            await client.SendResponseAsync(invocation.RequestId, response, shutdown);
        }
        // 4xx: Lambda refused this response (e.g. 413 over 6 MB) and fails the invocation itself.
        catch (RuntimeApiException e) when (!e.IsContainerError)
        {
            requestLogger.Error("Lambda refused the response", ("errorMessage", e.Message), ("responseBytes", response.Length));
        }
    }

    private async Task ReportAsync(string requestId, Exception error, LambdaLogger requestLogger, CancellationToken shutdown)
    {
        var report = ErrorReport.From(error);
        requestLogger.Error("Invocation failed",
            ("errorType", report.ErrorType), ("errorMessage", report.ErrorMessage), ("stackTrace", report.StackTrace));
        try
        {
            await client.ReportInvocationErrorAsync(requestId, error, shutdown);
        }
        // 4xx: Lambda no longer accepts a result for this request; the loop continues.
        catch (RuntimeApiException e) when (!e.IsContainerError)
        {
            requestLogger.Error("Lambda refused the error report", ("errorMessage", e.Message));
        }
    }

    private static JsonDocument ParseEvent(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        // The handler contract is a JSON document; name the failure for the caller, keep the parser's detail.
        catch (JsonException e)
        {
            throw new MalformedEventException($"The event body is not valid JSON: {e.Message}", e);
        }
    }

    private static TimeSpan Clamp(TimeSpan remaining) => remaining < LongestDeadline ? remaining : LongestDeadline;
}
