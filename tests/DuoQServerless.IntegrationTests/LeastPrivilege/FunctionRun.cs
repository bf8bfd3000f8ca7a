using System.Text;
using System.Text.Json;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Functions.Handlers;
using DuoQServerless.Functions.Logging;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>What one invocation did: its answer, or the exception that escaped the handler.</summary>
public sealed record Invoked(JsonElement? Answer, Exception? Escaped)
{
    public string Describe() => Escaped is null ? Answer!.Value.GetRawText() : $"{Escaped.GetType().Name}: {Escaped.Message}";
}

/// <summary>
/// A function as Lambda composes it: the handler registry's entry for its name, initialised from
/// its environment, its AWS calls recorded; invoked directly (no runtime loop), logs kept.
/// </summary>
public sealed class FunctionRun
{
    private readonly MemoryStream _logs = new();
    private readonly LambdaLogger _logger;
    private readonly string _functionArn;
    private readonly ILambdaHandler? _handler;

    private readonly TimeProvider _clock;

    private FunctionRun(string handler, ILambdaHandler? instance, Exception? initError, AwsCallRecorder calls, LambdaLogger logger, MemoryStream logs, TimeProvider clock)
    {
        _clock = clock;
        _functionArn = $"arn:aws:lambda:{StackNames.Region}:{StackNames.Account}:function:duoq-{handler}";
        _handler = instance;
        InitError = initError;
        Calls = calls;
        _logger = logger;
        _logs = logs;
    }

    public AwsCallRecorder Calls { get; }

    /// <summary>The init error Lambda would report (a bad or unreadable configuration).</summary>
    public Exception? InitError { get; }

    public string Logs => Encoding.UTF8.GetString(_logs.ToArray());

    /// <param name="clock">The function's clock (a report run ahead of time ages the access keys).</param>
    public static async Task<FunctionRun> StartAsync(string handler, IReadOnlyDictionary<string, string> environment, TimeProvider? clock = null)
    {
        var recorder = new AwsCallRecorder();
        var time = clock ?? TimeProvider.System;
        var logs = new MemoryStream();
        var logger = new LambdaLogger(logs, LogLevel.Debug, time);
        var init = new HandlerInit(new InMemoryEnvironment(environment), logger, time) { AwsCalls = recorder };
        try
        {
            var instance = await FunctionHandlers.Create().CreateAsync(handler, init, CancellationToken.None);
            return new FunctionRun(handler, instance, null, recorder, logger, logs, time);
        }
        // Lambda reports a failed init as an init error; the specs read it instead of failing here.
        catch (Exception e)
        {
            return new FunctionRun(handler, null, e, recorder, logger, logs, time);
        }
    }

    public async Task<Invoked> InvokeAsync(string eventJson)
    {
        if (_handler is null) throw new InvalidOperationException($"the function did not initialise: {InitError}");
        using var document = JsonDocument.Parse(eventJson);
        var context = new LambdaContext(
            new Invocation($"req-{Guid.NewGuid():N}", _clock.GetUtcNow().AddMinutes(5), _functionArn, null, Encoding.UTF8.GetBytes(eventJson)),
            _logger, _clock);
        try
        {
            var answer = await _handler.HandleAsync(document.RootElement, context, CancellationToken.None);
            return new Invoked(JsonDocument.Parse(answer).RootElement.Clone(), null);
        }
        // What escapes a handler fails the invocation (Lambda reports it); the specs judge it.
        catch (Exception e)
        {
            return new Invoked(null, e);
        }
    }
}
