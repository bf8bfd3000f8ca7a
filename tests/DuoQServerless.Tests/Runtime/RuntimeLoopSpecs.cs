using System.Text;
using DuoQServerless.Functions.Logging;
using DuoQServerless.Functions.Runtime;
using DuoQServerless.Tests.Runtime.Harness;

namespace DuoQServerless.Tests.Runtime;

/// <summary>The runtime loop in-process: init, then next -> invoke -> respond, until the Runtime API is gone.</summary>
public sealed class RuntimeLoopSpecs
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ScriptedRuntimeApiClient _api = new();
    private readonly InMemoryEnvironment _environment = new([new("_HANDLER", "echo")]);
    private readonly ManualClock _clock = new(Now);
    private readonly MemoryStream _log = new();

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Each_invocation_gets_the_response_its_handler_returned()
    {
        _api.Then("a", """{"x":1}""", Now.AddSeconds(3)).Then("b", """{"x":2}""", Now.AddSeconds(3));

        var exit = await RunAsync(new HandlerRegistry().Add("echo", _ => new DelegateHandler((e, _) => Task.FromResult(Json(e.GetRawText())))));

        Assert.Equal(RuntimeExit.RuntimeApiGone, exit);
        Assert.Equal([("a", """{"x":1}"""), ("b", """{"x":2}""")], _api.Responses);
    }

    [Fact]
    public async Task A_handler_that_throws_fails_only_its_own_invocation()
    {
        _api.Then("boom", "{}", Now.AddSeconds(3)).Then("fine", "{}", Now.AddSeconds(3));
        var handler = new DelegateHandler((_, c) => c.RequestId == "boom"
            ? throw new TimeoutException("the EC2 call timed out")
            : Task.FromResult(Json("{}")));

        await RunAsync(new HandlerRegistry().Add("echo", _ => handler));

        Assert.IsType<TimeoutException>(_api.ErrorOf("boom"));
        Assert.Equal(["fine"], _api.Responses.Select(r => r.RequestId));
    }

    [Fact]
    public async Task A_body_that_is_not_json_fails_its_invocation_without_reaching_the_handler()
    {
        var calls = 0;
        _api.Then("garbled", "{\"detail\":", Now.AddSeconds(3)).Then("fine", "{}", Now.AddSeconds(3));

        await RunAsync(new HandlerRegistry().Add("echo", _ => new DelegateHandler((_, _) => { calls++; return Task.FromResult(Json("{}")); })));

        Assert.IsType<MalformedEventException>(_api.ErrorOf("garbled"));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_handler_whose_configuration_is_bad_is_an_init_error_and_no_invocation_is_fetched()
    {
        var exit = await RunAsync(new HandlerRegistry().Add("echo", ILambdaHandler (_) => throw new InvalidOperationException("DUOQ_POLICY is not set")));

        Assert.Equal(RuntimeExit.InitFailed, exit);
        Assert.Equal("DUOQ_POLICY is not set", Assert.Single(_api.InitErrors).Message);
        Assert.Equal(0, _api.NextCalls);
    }

    [Fact]
    public async Task An_unknown_handler_name_is_an_init_error_listing_the_known_names()
    {
        _environment.Set("_HANDLER", "rds-guard");

        var exit = await RunAsync(new HandlerRegistry().Add("ssh-guard", _ => new DelegateHandler((_, _) => Task.FromResult(Json("{}"))))
            .Add("iam-guard", _ => new DelegateHandler((_, _) => Task.FromResult(Json("{}")))));

        Assert.Equal(RuntimeExit.InitFailed, exit);
        var error = Assert.IsType<UnknownHandlerException>(Assert.Single(_api.InitErrors));
        Assert.Equal("_HANDLER \"rds-guard\" is not a known handler; known handlers: iam-guard, ssh-guard", error.Message);
    }

    [Fact]
    public async Task The_handler_is_built_once_for_all_invocations()
    {
        var built = 0;
        _api.Then("a", "{}", Now.AddSeconds(3)).Then("b", "{}", Now.AddSeconds(3)).Then("c", "{}", Now.AddSeconds(3));

        await RunAsync(new HandlerRegistry().Add("echo", _ => { built++; return new DelegateHandler((_, _) => Task.FromResult(Json("{}"))); }));

        Assert.Equal(1, built);
        Assert.Equal(3, _api.Responses.Count);
    }

    [Fact]
    public async Task Each_invocations_trace_header_is_in_X_AMZN_TRACE_ID_while_it_runs()
    {
        var seen = new List<string?>();
        _api.Then("traced", "{}", Now.AddSeconds(3), traceId: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
            .Then("untraced", "{}", Now.AddSeconds(3));

        await RunAsync(new HandlerRegistry().Add("echo", _ => new DelegateHandler((_, c) =>
        {
            seen.Add(_environment.Get("_X_AMZN_TRACE_ID"));
            return Task.FromResult(Json("{}"));
        })));

        Assert.Equal(["Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", null], seen);
    }

    [Fact]
    public async Task The_context_carries_the_request_id_function_arn_and_time_left_by_the_clock()
    {
        LambdaContext? context = null;
        TimeSpan remaining = default;
        _api.Then("ctx", "{}", Now.AddSeconds(30));

        await RunAsync(new HandlerRegistry().Add("echo", _ => new DelegateHandler((_, c) =>
        {
            context = c;
            _clock.Now = Now.AddSeconds(12);
            remaining = c.RemainingTime;
            return Task.FromResult(Json("{}"));
        })));

        Assert.Equal("ctx", context!.RequestId);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:f", context.InvokedFunctionArn);
        Assert.Equal(TimeSpan.FromSeconds(18), remaining);
        _clock.Now = Now.AddMinutes(5);
        Assert.Equal(TimeSpan.Zero, context.RemainingTime);
    }

    [Fact]
    public async Task An_invocation_with_unusable_headers_fails_alone()
    {
        _api.ThenThrow(new InvalidInvocationException("no-deadline", "no Lambda-Runtime-Deadline-Ms")).Then("next", "{}", Now.AddSeconds(3));

        await RunAsync(new HandlerRegistry().Add("echo", _ => new DelegateHandler((_, _) => Task.FromResult(Json("{}")))));

        Assert.IsType<InvalidInvocationException>(_api.ErrorOf("no-deadline"));
        Assert.Equal(["next"], _api.Responses.Select(r => r.RequestId));
    }

    [Fact]
    public async Task A_response_lambda_refuses_is_logged_and_the_loop_goes_on()
    {
        _api.Then("huge", "{}", Now.AddSeconds(3)).Then("small", "{}", Now.AddSeconds(3));
        _api.RefuseResponse = id => id == "huge" ? new RuntimeApiException("invocation/huge/response", 413, "Payload Too Large") : null;

        await RunAsync(new HandlerRegistry().Add("echo", _ => new DelegateHandler((_, _) => Task.FromResult(Json("{}")))));

        Assert.Equal(["small"], _api.Responses.Select(r => r.RequestId));
        Assert.Contains(LogLines(), l => l.Contains("\"requestId\":\"huge\"") && l.Contains("Lambda refused the response"));
    }

    [Fact]
    public async Task A_container_error_from_the_runtime_api_ends_the_loop()
    {
        _api.Then("a", "{}", Now.AddSeconds(3)).Then("b", "{}", Now.AddSeconds(3));
        _api.RefuseResponse = _ => new RuntimeApiException("invocation/a/response", 500, "Container error");

        var exit = await RunAsync(new HandlerRegistry().Add("echo", _ => new DelegateHandler((_, _) => Task.FromResult(Json("{}")))));

        Assert.Equal(RuntimeExit.RuntimeApiGone, exit);
        Assert.Equal(1, _api.NextCalls);
    }

    [Fact]
    public async Task Shutdown_ends_the_loop_with_exit_code_zero()
    {
        using var shutdown = new CancellationTokenSource();
        _api.WhenDone = () => { shutdown.Cancel(); return new OperationCanceledException(shutdown.Token); };

        var exit = await RunAsync(new HandlerRegistry().Add("echo", _ => new DelegateHandler((_, _) => Task.FromResult(Json("{}")))), shutdown.Token);

        Assert.Equal(RuntimeExit.Shutdown, exit);
        Assert.Equal(0, (int)exit);
    }

    [Fact]
    public async Task A_handler_still_waiting_at_its_deadline_is_cancelled_and_the_loop_goes_on()
    {
        _api.Then("late", "{}", Now.AddMilliseconds(50)).Then("next", "{}", Now.AddSeconds(3));
        var handler = new CancellableHandler(async (c, token) =>
        {
            if (c.RequestId == "late") await Task.Delay(Timeout.Infinite, token);
            return Json("{}");
        });

        var exit = await RunAsync(new HandlerRegistry().Add("echo", _ => handler));

        Assert.IsAssignableFrom<OperationCanceledException>(_api.ErrorOf("late"));
        Assert.Equal(["next"], _api.Responses.Select(r => r.RequestId));
        Assert.Equal(RuntimeExit.RuntimeApiGone, exit);
    }

    private sealed class CancellableHandler(Func<LambdaContext, CancellationToken, Task<byte[]>> handle) : ILambdaHandler
    {
        public Task<byte[]> HandleAsync(System.Text.Json.JsonElement @event, LambdaContext context, CancellationToken cancellationToken) =>
            handle(context, cancellationToken);
    }

    private Task<RuntimeExit> RunAsync(HandlerRegistry registry, CancellationToken shutdown = default) =>
        new LambdaBootstrap(_api, registry, _environment, new LambdaLogger(_log, LogLevel.Info, _clock), _clock).RunAsync(shutdown);

    private string[] LogLines() => Encoding.UTF8.GetString(_log.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
