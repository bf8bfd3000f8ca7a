using System.Text;
using System.Text.Json;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Tests.Runtime.Harness;

/// <summary>
/// A hand-written Runtime API client for in-process tests of the loop: invocation/next plays
/// the scripted steps in order, then behaves like a Runtime API that has gone away.
/// Everything the bootstrap posts is recorded.
/// </summary>
public sealed class ScriptedRuntimeApiClient : IRuntimeApiClient
{
    private readonly Queue<Func<Invocation>> _steps = new();

    public List<(string RequestId, string Body)> Responses { get; } = [];

    public List<(string RequestId, Exception Error)> InvocationErrors { get; } = [];

    public List<Exception> InitErrors { get; } = [];

    public int NextCalls { get; private set; }

    /// <summary>Set to make the Runtime API refuse a response, e.g. with a 413.</summary>
    public Func<string, Exception?> RefuseResponse { get; set; } = _ => null;

    /// <summary>What invocation/next throws once the script is played; by default the API is gone.</summary>
    public Func<Exception> WhenDone { get; set; } = () => new HttpRequestException("Connection refused (127.0.0.1:9001)");

    public ScriptedRuntimeApiClient Then(Invocation invocation)
    {
        _steps.Enqueue(() => invocation);
        return this;
    }

    public ScriptedRuntimeApiClient Then(string requestId, string @event, DateTimeOffset deadline, string? traceId = null) =>
        Then(new Invocation(requestId, deadline, "arn:aws:lambda:us-east-1:123456789012:function:f", traceId, Encoding.UTF8.GetBytes(@event)));

    public ScriptedRuntimeApiClient ThenThrow(Exception exception)
    {
        _steps.Enqueue(() => throw exception);
        return this;
    }

    public JsonElement ResponseOf(string requestId) =>
        JsonDocument.Parse(Responses.Single(r => r.RequestId == requestId).Body).RootElement;

    public Exception ErrorOf(string requestId) => InvocationErrors.Single(e => e.RequestId == requestId).Error;

    public Task<Invocation> NextInvocationAsync(CancellationToken cancellationToken)
    {
        NextCalls++;
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_steps.TryDequeue(out var step) ? step() : throw WhenDone());
    }

    public Task SendResponseAsync(string requestId, byte[] response, CancellationToken cancellationToken)
    {
        if (RefuseResponse(requestId) is { } refusal) throw refusal;
        Responses.Add((requestId, Encoding.UTF8.GetString(response)));
        return Task.CompletedTask;
    }

    public Task ReportInvocationErrorAsync(string requestId, Exception error, CancellationToken cancellationToken)
    {
        InvocationErrors.Add((requestId, error));
        return Task.CompletedTask;
    }

    public Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken)
    {
        InitErrors.Add(error);
        return Task.CompletedTask;
    }
}

/// <summary>A clock the test sets.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A handler made of a lambda, for tests that need a handler to do one particular thing.</summary>
public sealed class DelegateHandler(Func<JsonElement, LambdaContext, Task<byte[]>> handle) : ILambdaHandler
{
    public Task<byte[]> HandleAsync(JsonElement @event, LambdaContext context, CancellationToken cancellationToken) =>
        handle(@event, context);
}
