using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.IntegrationTests.Harness;
using static DuoQServerless.IntegrationTests.Clients.ScriptedAwsServer;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>
/// The bytes the clients send, read by a scripted server: for what moto accepts without
/// showing (payload hashes) or drops (the cause of SendTaskFailure, history paging).
/// </summary>
public sealed class WireFormatSpecs
{
    private const string Empty = """<PutRolePolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutRolePolicyResponse>""";

    [Fact]
    public async Task A_Query_request_is_a_form_post_with_every_name_and_value_percent_encoded()
    {
        await using var server = Start(Xml(HttpStatusCode.OK, Empty));
        using var aws = Factory(server);

        await aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest("ops+guard", "p=1", """{"a":"x y+z é&="}"""));

        var request = Assert.Single(server.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal(
            "Action=PutRolePolicy&Version=2010-05-08&RoleName=ops%2Bguard&PolicyName=p%3D1&PolicyDocument=%7B%22a%22%3A%22x%20y%2Bz%20%C3%A9%26%3D%22%7D",
            request.Text);
    }

    [Fact]
    public async Task The_payload_is_signed_even_over_plain_HTTP()
    {
        await using var server = Start(Xml(HttpStatusCode.OK, Empty));
        using var aws = Factory(server);

        await aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest("r", "p", "{}"));

        var request = Assert.Single(server.Received);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(request.Body)), request.Headers["X-Amz-Content-SHA256"]);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,", request.Headers["Authorization"]);
        Assert.Contains("/us-east-1/iam/aws4_request", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task A_JSON_request_names_its_operation_in_X_Amz_Target_and_sends_every_member()
    {
        await using var server = Start(Json(HttpStatusCode.OK, "{}"));
        using var aws = Factory(server);

        await aws.StepFunctions.SendTaskFailureAsync(new SendTaskFailureRequest("token+/=", "Rejected", "rejected by Zoë"));

        var request = Assert.Single(server.Received);
        Assert.Equal("AWSStepFunctions.SendTaskFailure", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.0", request.Headers["Content-Type"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(
            [("taskToken", "token+/="), ("error", "Rejected"), ("cause", "rejected by Zoë")],
            body.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
    }

    [Fact]
    public async Task GetExecutionHistory_follows_nextToken_until_the_last_page()
    {
        await using var server = Start(
            Json(HttpStatusCode.OK, """{"events":[{"id":2,"previousEventId":1,"type":"TaskStateEntered","timestamp":1704164645,"stateEnteredEventDetails":{"name":"RequestApproval"}}],"nextToken":"page-2"}"""),
            Json(HttpStatusCode.OK, """{"events":[{"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":"2024-01-02T03:04:00Z","executionStartedEventDetails":{"input":"{}"}}]}"""));
        using var aws = Factory(server);

        var events = await aws.StepFunctions.GetExecutionHistoryAsync(new GetExecutionHistoryRequest("arn:aws:states:us-east-1:123456789012:execution:m:e") { ReverseOrder = true }).ToListAsync();

        Assert.Equal([(2L, "TaskStateEntered", "RequestApproval"), (1L, "ExecutionStarted", null)], events.Select(e => (e.Id, e.Type, e.Detail("name"))));
        Assert.Equal("{}", events[1].Detail("input"));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), events[0].Timestamp);
        var pages = server.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToArray();
        Assert.All(pages, p => Assert.True(p.GetProperty("reverseOrder").GetBoolean()));
        Assert.False(pages[0].TryGetProperty("nextToken", out _));
        Assert.Equal("page-2", pages[1].GetProperty("nextToken").GetString());
    }

    private static AwsClientFactory Factory(ScriptedAwsServer server) => new(new AwsSettings
    {
        Region = RegionEndpoint.USEast1,
        EndpointOverride = server.Endpoint,
        Credentials = TestCredentials.Default,
        EnvironmentVariables = MotoClients.EmptyEnvironment,
        Retry = Aws.Protocol.AwsRetryPolicy.None,
    });
}
