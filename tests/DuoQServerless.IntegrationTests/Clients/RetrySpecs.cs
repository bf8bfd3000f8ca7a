using System.Net;
using Amazon;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.IntegrationTests.Harness;
using static DuoQServerless.IntegrationTests.Clients.ScriptedAwsServer;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>Throttling and server errors are retried with growing, jittered delays; other errors are not.</summary>
public sealed class RetrySpecs
{
    private const string GetRoleAnswer = """
        <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <GetRoleResult><Role>
            <Path>/</Path><RoleName>guarded</RoleName><RoleId>AROAEXAMPLE</RoleId>
            <Arn>arn:aws:iam::123456789012:role/guarded</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate>
          </Role></GetRoleResult>
          <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>
        </GetRoleResponse>
        """;

    private readonly List<TimeSpan> _waits = [];
    private readonly AwsCallRecorder _calls = new();

    [Fact]
    public async Task A_throttled_call_is_retried_after_growing_delays_until_it_succeeds()
    {
        await using var server = Start(QueryError(HttpStatusCode.BadRequest, "Throttling"), QueryError(HttpStatusCode.BadRequest, "Throttling"), Xml(HttpStatusCode.OK, GetRoleAnswer));
        using var aws = Factory(server);

        var role = await aws.Iam.GetRoleAsync(new GetRoleRequest("guarded"));

        Assert.Equal("arn:aws:iam::123456789012:role/guarded", role.Arn);
        Assert.Equal(3, server.Received.Count);
        Assert.All(server.Received, r => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=testing/", r.Headers["Authorization"]));
        // Throttling backs off from 500 ms, doubling, scaled by the jitter (fixed at 0.5 here).
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)], _waits);
        Assert.Equal([new AwsCall("iam", "GetRole", new GetRoleRequest("guarded"), null)], _calls.Calls);
    }

    [Fact]
    public async Task Throttling_that_does_not_stop_fails_after_three_attempts_with_the_Throttling_code()
    {
        await using var server = Start(Enumerable.Repeat(QueryError(HttpStatusCode.BadRequest, "Throttling"), 5).ToArray());
        using var aws = Factory(server);

        var error = await Assert.ThrowsAsync<AwsApiException>(() => aws.Iam.GetRoleAsync(new GetRoleRequest("guarded")));

        Assert.Equal((AwsErrorCodes.Throttling, HttpStatusCode.BadRequest, "req-Throttling"), (error.ErrorCode, error.StatusCode, error.RequestId));
        Assert.Equal(3, server.Received.Count);
        Assert.Equal(AwsErrorCodes.Throttling, Assert.Single(_calls.Calls).ErrorCode);
    }

    [Fact]
    public async Task A_server_error_without_an_AWS_body_is_retried()
    {
        await using var server = Start(new Answer(HttpStatusCode.ServiceUnavailable, "text/html", "<html>busy</html>"), Xml(HttpStatusCode.OK, GetRoleAnswer));
        using var aws = Factory(server);

        var role = await aws.Iam.GetRoleAsync(new GetRoleRequest("guarded"));

        Assert.Equal("guarded", role.RoleName);
        Assert.Equal(2, server.Received.Count);
        // Other retryable errors back off from 100 ms.
        Assert.Equal([TimeSpan.FromMilliseconds(50)], _waits);
    }

    [Fact]
    public async Task An_error_that_repeating_cannot_fix_is_not_retried()
    {
        await using var server = Start(QueryError(HttpStatusCode.Forbidden, "AccessDenied"), Xml(HttpStatusCode.OK, GetRoleAnswer));
        using var aws = Factory(server);

        var error = await Assert.ThrowsAsync<AwsApiException>(() => aws.Iam.GetRoleAsync(new GetRoleRequest("guarded")));

        Assert.Equal((AwsErrorCodes.AccessDenied, "req-AccessDenied"), (error.ErrorCode, error.RequestId));
        Assert.Single(server.Received);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task A_throttled_Step_Functions_call_is_retried_too()
    {
        await using var server = Start(
            Json(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.swf.service.v2.model#ThrottlingException","message":"Rate exceeded"}"""),
            Json(HttpStatusCode.OK, """{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:e","startDate":1704164645.5}"""));
        using var aws = Factory(server);

        var started = await aws.StepFunctions.StartExecutionAsync(new StartExecutionRequest("arn:aws:states:us-east-1:123456789012:stateMachine:m", "{}", "e"));

        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 500, TimeSpan.Zero), started.StartDate);
        Assert.Equal(2, server.Received.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(250)], _waits);
    }

    [Fact]
    public void Without_a_test_jitter_every_delay_stays_under_its_ceiling_and_the_20_second_cap()
    {
        var policy = AwsRetryPolicy.Standard;

        for (var retry = 1; retry <= 40; retry++)
        {
            var ceiling = TimeSpan.FromMilliseconds(Math.Min(20_000, 500 * Math.Pow(2, retry - 1)));
            Assert.InRange(policy.DelayBeforeRetry(retry, throttled: true), TimeSpan.Zero, ceiling);
        }
    }

    private AwsClientFactory Factory(ScriptedAwsServer server) => new(new AwsSettings
    {
        Region = RegionEndpoint.USEast1,
        EndpointOverride = server.Endpoint,
        Credentials = TestCredentials.Default,
        EnvironmentVariables = MotoClients.EmptyEnvironment,
        Observer = _calls,
        Retry = AwsRetryPolicy.Standard with
        {
            Jitter = () => 0.5,
            Wait = (delay, _) =>
            {
                _waits.Add(delay);
                return Task.CompletedTask;
            },
        },
    });
}
