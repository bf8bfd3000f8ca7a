using System.Text;
using System.Text.Json;
using DuoQServerless.Functions.Runtime;
using DuoQServerless.Tests.Runtime.Harness;

using DuoQServerless.Cli.Emulator;

namespace DuoQServerless.Tests.Runtime;

/// <summary>The Runtime API client over real HTTP, against the test's Runtime API on 127.0.0.1.</summary>
public sealed class RuntimeApiClientSpecs : IAsyncLifetime
{
    private readonly HttpClient _http = RuntimeApiHttp.CreateHttpClient();
    private LocalRuntimeApi _api = null!;
    private RuntimeApiClient _client = null!;

    public Task InitializeAsync()
    {
        _api = LocalRuntimeApi.Start();
        _client = new RuntimeApiClient(new RuntimeApiHttp(_http, _api.Address));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task The_next_invocation_carries_the_request_id_deadline_function_arn_trace_id_and_event()
    {
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(1_740_830_400_123);
        _api.Enqueue(new LocalInvocation("8476a536-e9f4-11e8-9739-2dfe598c3fcd", """{"detail":{}}""", deadline,
            "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
            "arn:aws:lambda:us-east-1:123456789012:function:duoq-ssh-guard"));

        var invocation = await _client.NextInvocationAsync(CancellationToken.None);

        Assert.Equal("8476a536-e9f4-11e8-9739-2dfe598c3fcd", invocation.RequestId);
        Assert.Equal(deadline, invocation.Deadline);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:duoq-ssh-guard", invocation.InvokedFunctionArn);
        Assert.Equal("Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1", invocation.TraceId);
        Assert.Equal("""{"detail":{}}""", Encoding.UTF8.GetString(invocation.Event));
    }

    [Fact]
    public async Task An_invocation_without_a_deadline_is_refused_with_its_request_id()
    {
        _api.Enqueue(new LocalInvocation("no-deadline", "{}", Deadline: null));

        var error = await Assert.ThrowsAsync<InvalidInvocationException>(() => _client.NextInvocationAsync(CancellationToken.None));

        Assert.Equal("no-deadline", error.RequestId);
    }

    [Fact]
    public async Task A_response_is_posted_for_its_request_id_as_given()
    {
        await _client.SendResponseAsync("req-7", """{"ok":true}"""u8.ToArray(), CancellationToken.None);

        var posted = await _api.ResultOfAsync("req-7");
        Assert.Equal(PostKind.Response, posted.Kind);
        Assert.Equal("""{"ok":true}""", posted.Body);
    }

    [Fact]
    public async Task An_invocation_error_is_posted_with_the_error_shape_and_the_error_type_header()
    {
        await _client.ReportInvocationErrorAsync("req-8", Thrown(new TimeoutException("EC2 did not answer")), CancellationToken.None);

        var posted = await _api.ResultOfAsync("req-8");
        Assert.Equal(PostKind.Error, posted.Kind);
        Assert.Equal("TimeoutException", posted.ErrorTypeHeader);
        Assert.Equal("TimeoutException", posted.Json.GetProperty("errorType").GetString());
        Assert.Equal("EC2 did not answer", posted.Json.GetProperty("errorMessage").GetString());
        Assert.Contains(posted.Json.GetProperty("stackTrace").EnumerateArray(), f => f.GetString()!.Contains(nameof(Thrown)));
    }

    [Fact]
    public async Task An_init_error_is_posted_to_init_error()
    {
        await _client.ReportInitErrorAsync(new UnknownHandlerException("nope", ["ping"]), CancellationToken.None);

        var posted = await _api.InitErrorAsync();
        Assert.Equal("UnknownHandlerException", posted.ErrorTypeHeader);
        Assert.Equal("_HANDLER \"nope\" is not a known handler; known handlers: ping", posted.Json.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Once_the_runtime_api_is_gone_asking_for_the_next_invocation_throws_HttpRequestException()
    {
        await _api.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => _client.NextInvocationAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_answer_without_a_request_id_is_a_runtime_api_error()
    {
        var waiting = _client.NextInvocationAsync(CancellationToken.None);
        await WaitUntil(() => _api.NextRequests == 1);

        // HttpListener answers a long-poll it abandons with an empty 200.
        await _api.DisposeAsync();

        var error = await Assert.ThrowsAsync<RuntimeApiException>(() => waiting);
        Assert.Equal("invocation/next", error.Operation);
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        // Thrown only to give the exception a real stack trace.
        catch (Exception e)
        {
            return e;
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(25);
        Assert.True(condition());
    }
}
