using System.Text;
using System.Text.Json;
using DuoQServerless.Functions.Handlers;
using DuoQServerless.Functions.Logging;
using DuoQServerless.Functions.Runtime;
using DuoQServerless.Tests.Runtime.Harness;

using DuoQServerless.Cli.Emulator;

namespace DuoQServerless.Tests.Runtime;

/// <summary>What CloudWatch Logs Insights sees: one JSON object per line.</summary>
public sealed class StructuredLogSpecs
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, 5, TimeSpan.Zero);
    private readonly MemoryStream _output = new();

    [Fact]
    public void A_line_has_timestamp_level_request_id_message_and_the_callers_fields()
    {
        var logger = new LambdaLogger(_output, LogLevel.Info, new ManualClock(Now)).ForRequest("req-1");

        logger.Info("Finding recorded", ("findingId", "ev-123/public-ssh"), ("port", 22), ("reverted", true));

        var line = Assert.Single(Lines());
        Assert.Equal(
            """{"timestamp":"2025-03-01T12:00:00.005Z","level":"INFO","requestId":"req-1","message":"Finding recorded","findingId":"ev-123/public-ssh","port":22,"reverted":true}""",
            line);
    }

    [Fact]
    public void Lines_written_during_init_have_no_request_id()
    {
        new LambdaLogger(_output, LogLevel.Info, new ManualClock(Now)).Warn("Policy has no exemptions");

        Assert.False(Parse(Assert.Single(Lines())).TryGetProperty("requestId", out _));
    }

    [Fact]
    public void A_message_with_newlines_and_quotes_stays_one_line()
    {
        new LambdaLogger(_output, LogLevel.Info, new ManualClock(Now)).Error("first\nsecond \"quoted\" <b>");

        Assert.Equal("first\nsecond \"quoted\" <b>", Parse(Assert.Single(Lines())).GetProperty("message").GetString());
    }

    [Fact]
    public void Levels_below_the_minimum_are_not_written()
    {
        var logger = new LambdaLogger(_output, LogLevel.Warn, new ManualClock(Now));

        logger.Debug("hidden");
        logger.Info("hidden");
        logger.Warn("shown");
        logger.Error("shown");

        Assert.Equal(["WARN", "ERROR"], Lines().Select(l => Parse(l).GetProperty("level").GetString()));
    }

    [Fact]
    public void A_field_named_like_a_standard_key_does_not_replace_it()
    {
        new LambdaLogger(_output, LogLevel.Info, new ManualClock(Now)).Info("real", ("message", "fake"));

        var line = Parse(Assert.Single(Lines()));
        Assert.Equal("real", line.GetProperty("message").GetString());
        Assert.Equal("fake", line.GetProperty("field_message").GetString());
    }

    [Theory]
    [InlineData("debug", new[] { "DEBUG", "ERROR" })]
    [InlineData("ERROR", new[] { "ERROR" })]
    public async Task AWS_LAMBDA_LOG_LEVEL_decides_which_lines_the_runtime_writes(string setting, string[] levels)
    {
        await using var api = LocalRuntimeApi.Start();
        var environment = new InMemoryEnvironment([new("_HANDLER", "ping"), new("AWS_LAMBDA_RUNTIME_API", api.Address), new("AWS_LAMBDA_LOG_LEVEL", setting)]);
        var running = LambdaBootstrap.RunProcessAsync(FunctionHandlers.Create(), environment, _output, TimeProvider.System, CancellationToken.None);

        api.Enqueue(new LocalInvocation("req-1", "{}", DateTimeOffset.UtcNow.AddMinutes(1)));
        await api.ResultOfAsync("req-1");
        await api.DisposeAsync(); // ends the loop, which logs one ERROR line on its way out
        await running;

        Assert.Equal(levels, Lines().Select(l => Parse(l).GetProperty("level").GetString()));
    }

    [Fact]
    public async Task Without_a_runtime_api_address_the_process_logs_why_and_exits_3()
    {
        var environment = new InMemoryEnvironment([new("_HANDLER", "ping"), new("AWS_LAMBDA_LOG_LEVEL", "loud")]);

        var exit = await LambdaBootstrap.RunProcessAsync(new HandlerRegistry(), environment, _output, new ManualClock(Now), CancellationToken.None);

        Assert.Equal(3, (int)exit);
        var lines = Lines().Select(Parse).ToList();
        Assert.Equal(["WARN", "FATAL"], lines.Select(l => l.GetProperty("level").GetString()));
        Assert.Contains("AWS_LAMBDA_LOG_LEVEL", lines[0].GetProperty("message").GetString());
        Assert.Contains("AWS_LAMBDA_RUNTIME_API is not set", lines[1].GetProperty("message").GetString());
    }

    private string[] Lines() => Encoding.UTF8.GetString(_output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement;
}
