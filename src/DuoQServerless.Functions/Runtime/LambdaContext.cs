using DuoQServerless.Functions.Logging;

namespace DuoQServerless.Functions.Runtime;

/// <summary>One invocation as the Runtime API hands it over: its headers and the raw event body.</summary>
public sealed record Invocation(string RequestId, DateTimeOffset Deadline, string InvokedFunctionArn, string? TraceId, byte[] Event);

/// <summary>What a handler knows about the invocation it is running.</summary>
public sealed class LambdaContext(Invocation invocation, LambdaLogger logger, TimeProvider clock)
{
    public string RequestId => invocation.RequestId;

    public string InvokedFunctionArn => invocation.InvokedFunctionArn;

    /// <summary>The X-Ray trace header (Lambda-Runtime-Trace-Id), also in _X_AMZN_TRACE_ID; null when tracing is off.</summary>
    public string? TraceId => invocation.TraceId;

    /// <summary>When Lambda stops this invocation (Lambda-Runtime-Deadline-Ms).</summary>
    public DateTimeOffset Deadline => invocation.Deadline;

    /// <summary>Time left before the deadline; zero once it has passed.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            var left = invocation.Deadline - clock.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Writes lines that carry this invocation's request id.</summary>
    public LambdaLogger Logger => logger;
}
