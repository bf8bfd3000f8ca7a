using System.Text.Json;
using DuoQServerless.Tests.Runtime.Harness;

using DuoQServerless.Cli.Emulator;
using DuoQServerless.Functions.Handlers;

namespace DuoQServerless.Tests.Runtime;

/// <summary>The Native AOT bootstrap, as Lambda runs it: a process talking to the Runtime API.</summary>
[Collection(PublishedBootstrapCollection.Name)]
public sealed class PublishedBootstrapSpecs(PublishedBootstrap bootstrap)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_good_invocation_posts_the_handlers_response()
    {
        await using var api = LocalRuntimeApi.Start();
        await using var process = Start(api, "ping");

        api.Enqueue(new LocalInvocation("req-1", """{"detail":{"eventName":"AuthorizeSecurityGroupIngress"}}""", DateTimeOffset.UtcNow + Minute));
        var posted = await api.ResultOfAsync("req-1");

        Assert.Equal(PostKind.Response, posted.Kind);
        Assert.Equal("req-1", posted.Json.GetProperty("requestId").GetString());
        Assert.Equal("AuthorizeSecurityGroupIngress", posted.Json.GetProperty("event").GetProperty("detail").GetProperty("eventName").GetString());
    }

    [Fact]
    public async Task A_throwing_handler_posts_an_error_with_its_type_and_the_next_invocation_still_runs()
    {
        await using var api = LocalRuntimeApi.Start();
        await using var process = Start(api, "ping");

        api.Enqueue(new LocalInvocation("req-bad", "[1, 2, 3]", DateTimeOffset.UtcNow + Minute));
        api.Enqueue(new LocalInvocation("req-good", """{"n":2}""", DateTimeOffset.UtcNow + Minute));
        var failed = await api.ResultOfAsync("req-bad");
        var answered = await api.ResultOfAsync("req-good");

        Assert.Equal(PostKind.Error, failed.Kind);
        Assert.Equal("InvalidEventException", failed.Json.GetProperty("errorType").GetString());
        Assert.Equal("InvalidEventException", failed.ErrorTypeHeader);
        Assert.Contains("JSON object", failed.Json.GetProperty("errorMessage").GetString());
        Assert.Equal(JsonValueKind.Array, failed.Json.GetProperty("stackTrace").ValueKind);
        Assert.Equal(PostKind.Response, answered.Kind);
    }

    [Fact]
    public async Task A_malformed_event_body_posts_an_error_and_the_process_keeps_serving()
    {
        await using var api = LocalRuntimeApi.Start();
        await using var process = Start(api, "ping");

        api.Enqueue(new LocalInvocation("req-garbled", """{"detail": {"eventName": """, DateTimeOffset.UtcNow + Minute));
        var failed = await api.ResultOfAsync("req-garbled");
        api.Enqueue(new LocalInvocation("req-after", """{"n":3}""", DateTimeOffset.UtcNow + Minute));
        var answered = await api.ResultOfAsync("req-after");

        Assert.Equal(PostKind.Error, failed.Kind);
        Assert.Equal("MalformedEventException", failed.Json.GetProperty("errorType").GetString());
        Assert.Equal(PostKind.Response, answered.Kind);
        Assert.False(process.HasExited);
    }

    [Theory]
    [InlineData("no-such-guard")]
    [InlineData(null)]
    public async Task An_unknown_or_missing_handler_posts_an_init_error_naming_the_known_handlers_and_exits_non_zero(string? handler)
    {
        await using var api = LocalRuntimeApi.Start();
        await using var process = Start(api, handler);

        var exitCode = await process.ExitCodeAsync(Minute);
        var initError = await api.InitErrorAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Equal("UnknownHandlerException", initError.Json.GetProperty("errorType").GetString());
        Assert.Equal("UnknownHandlerException", initError.ErrorTypeHeader);
        Assert.Contains($"known handlers: {string.Join(", ", FunctionHandlers.Create().Names)}", initError.Json.GetProperty("errorMessage").GetString());
        Assert.Equal(0, api.NextRequests);
    }

    [Fact]
    public async Task The_deadline_header_reaches_the_handlers_context()
    {
        await using var api = LocalRuntimeApi.Start();
        await using var process = Start(api, "ping");
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90);

        api.Enqueue(new LocalInvocation("req-deadline", "{}", deadline));
        var posted = await api.ResultOfAsync("req-deadline");

        Assert.Equal(deadline.ToUnixTimeMilliseconds(), posted.Json.GetProperty("deadlineMs").GetInt64());
        var remainingMs = posted.Json.GetProperty("remainingMs").GetInt64();
        Assert.InRange(remainingMs, 1, 90_000);
        // Far from zero: the handler saw this deadline, not an already expired or default one.
        Assert.True(remainingMs > 30_000, $"remainingMs = {remainingMs}");
    }

    [Fact]
    public async Task A_failed_invocation_is_logged_as_one_json_line_with_its_request_id()
    {
        await using var api = LocalRuntimeApi.Start();
        await using var process = Start(api, "ping");

        api.Enqueue(new LocalInvocation("req-logged", "\"just a string\"", DateTimeOffset.UtcNow + Minute));
        await api.ResultOfAsync("req-logged");
        // The log line is written before the error is posted.
        var line = process.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement)
            .Single(l => l.TryGetProperty("requestId", out var id) && id.GetString() == "req-logged");

        Assert.Equal("ERROR", line.GetProperty("level").GetString());
        Assert.Equal("InvalidEventException", line.GetProperty("errorType").GetString());
        Assert.EndsWith("Z", line.GetProperty("timestamp").GetString());
        Assert.True(DateTimeOffset.TryParse(line.GetProperty("timestamp").GetString(), out _));
    }

    private BootstrapProcess Start(LocalRuntimeApi api, string? handler) =>
        BootstrapProcess.Start([bootstrap.Path], api.Address, handler);
}
