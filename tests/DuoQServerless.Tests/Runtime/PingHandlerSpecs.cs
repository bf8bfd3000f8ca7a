using System.Text;
using System.Text.Json;
using DuoQServerless.Functions.Handlers;
using DuoQServerless.Functions.Logging;
using DuoQServerless.Functions.Runtime;
using DuoQServerless.Tests.Runtime.Harness;

namespace DuoQServerless.Tests.Runtime;

/// <summary>The ping function: the caller's event comes back with what Lambda told the runtime.</summary>
public sealed class PingHandlerSpecs
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Ping_echoes_the_event_with_the_request_id_deadline_and_time_left()
    {
        var response = await PingAsync("""{"message":"hello","n":[1,2]}""", deadline: Now.AddSeconds(3));

        Assert.Equal(
            """{"requestId":"req-ping","event":{"message":"hello","n":[1,2]},"deadlineMs":1740830403000,"remainingMs":3000}""",
            response);
    }

    [Theory]
    [InlineData("[1,2]", "array")]
    [InlineData("\"hello\"", "string")]
    [InlineData("null", "null")]
    public async Task Ping_refuses_an_event_that_is_not_a_json_object(string @event, string kind)
    {
        var error = await Assert.ThrowsAsync<InvalidEventException>(() => PingAsync(@event, Now.AddSeconds(3)));

        Assert.Equal($"ping takes a JSON object event, not {kind}", error.Message);
    }

    [Fact]
    public void The_function_catalog_offers_ping()
    {
        Assert.Contains("ping", FunctionHandlers.Create().Names);
    }

    [Fact]
    public void A_name_cannot_be_registered_twice()
    {
        var registry = new HandlerRegistry().Add("ssh-guard", _ => new PingHandler());

        Assert.Throws<ArgumentException>(() => registry.Add("ssh-guard", _ => new PingHandler()));
    }

    private static async Task<string> PingAsync(string @event, DateTimeOffset deadline)
    {
        var clock = new ManualClock(Now);
        var invocation = new Invocation("req-ping", deadline, "arn:aws:lambda:us-east-1:123456789012:function:duoq-ping", null, Encoding.UTF8.GetBytes(@event));
        var context = new LambdaContext(invocation, new LambdaLogger(Stream.Null, LogLevel.Info, clock).ForRequest("req-ping"), clock);
        using var document = JsonDocument.Parse(invocation.Event);
        return Encoding.UTF8.GetString(await new PingHandler().HandleAsync(document.RootElement, context, CancellationToken.None));
    }
}
