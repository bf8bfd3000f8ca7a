using System.Net;
using System.Text;
using System.Text.Json;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Audit;
using DuoQServerless.Functions.Guards;
using DuoQServerless.IntegrationTests.Harness;
using static DuoQServerless.IntegrationTests.Clients.ScriptedAwsServer;

namespace DuoQServerless.IntegrationTests.Faults;

/// <summary>
/// SNS down: the finding is still recorded with its action done, the failure is logged naming the
/// finding, and the function answers normally (no retry, no lost revert). The audit table down:
/// the invocation fails on the runtime API's /error, so Lambda retries it and then dead-letters it;
/// a retry never reverts twice. The functions run as Lambda runs them (<see cref="LocalFunction"/>),
/// their calls through a fault-injecting proxy in front of moto.
/// </summary>
public sealed class OutageSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string Revoke = "RevokeSecurityGroupIngress";
    private readonly MemoryStream _logs = new();
    private FaultWorld _world = null!;

    public override async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<FaultWorld> WorldAsync(params Fault[] faults) => _world = await FaultWorld.CreateAsync(Endpoint, faults);

    [Fact]
    public async Task With_SNS_answering_500_the_rule_is_still_revoked_and_recorded_and_the_failure_logged_naming_the_finding()
    {
        var world = await WorldAsync(new Fault("Publish", QueryError(HttpStatusCode.InternalServerError, "InternalFailure"), Times: 100));
        var (groupId, @event) = await RevertUnderFaultsSpecs.WorldOpenSshAsync(world);

        var report = await world.HandleAsync(world.SshGuard(), @event);

        Assert.Equal(GuardStatus.Done, report.Status);
        Assert.DoesNotContain("tcp 22-22 0.0.0.0/0", await RevertUnderFaultsSpecs.IngressAsync(world, groupId));
        Assert.Equal(AuditState.Done, (await world.AuditOfAsync(report.FindingId)).State);
        Assert.Equal(world.Guarded.Settings.Retry.MaxAttempts, world.Proxy.Calls("Publish").Count);
        var error = Assert.Single(world.LogLines(), line => line.GetProperty("level").GetString() == "ERROR");
        Assert.Equal("Notification not sent; the finding is recorded in the audit table", error.GetProperty("message").GetString());
        Assert.Equal(report.FindingId, error.GetProperty("findingId").GetString());
        Assert.StartsWith("InternalFailure: ", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task With_the_findings_topic_deleted_the_function_still_answers_normally_with_the_revert_done_and_recorded()
    {
        var world = await WorldAsync();
        var (groupId, @event) = await RevertUnderFaultsSpecs.WorldOpenSshAsync(world);
        await world.Direct.QueryClient(AwsService.Sns).InvokeAsync("DeleteTopic", new QueryParameters().Add("TopicArn", world.Stack.TopicArn));
        await using var function = LocalFunction.Start("ssh-guard", world.FunctionEnvironment(), _logs);

        var result = await function.InvokeAsync(@event);

        Assert.True(result.Succeeded, result.Body.GetRawText());
        var report = result.Body.Deserialize(GuardJson.Default.GuardReport)!;
        Assert.Equal(GuardStatus.Done, report.Status);
        Assert.DoesNotContain("tcp 22-22 0.0.0.0/0", await RevertUnderFaultsSpecs.IngressAsync(world, groupId));
        Assert.Equal(AuditState.Done, (await world.AuditOfAsync(report.FindingId)).State);
        Assert.Single(world.Proxy.Calls("Publish")); // NotFound is not retried: no storm
        var error = Assert.Single(LogLines(), line => line.GetProperty("level").GetString() == "ERROR");
        Assert.Equal(report.FindingId, error.GetProperty("findingId").GetString());
        Assert.StartsWith("NotFound", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task With_the_audit_table_throttled_past_its_retries_the_rule_is_still_revoked_and_notified_and_the_invocation_fails_for_a_retry()
    {
        var world = await WorldAsync(new Fault("PutItem", DynamoDbError(HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException"), Times: 100));
        var (groupId, @event) = await RevertUnderFaultsSpecs.WorldOpenSshAsync(world);
        await using var function = LocalFunction.Start("ssh-guard", world.FunctionEnvironment(), _logs);

        var result = await function.InvokeAsync(@event);

        Assert.False(result.Succeeded); // posted to /error: Lambda retries, then dead-letters
        Assert.Equal("AuditUnavailableException", result.Body.GetProperty("errorType").GetString());
        Assert.Contains("ProvisionedThroughputExceededException", result.Body.GetProperty("errorMessage").GetString());
        Assert.Equal(3, world.Proxy.Calls("PutItem").Count);
        Assert.Single(world.Proxy.Calls(Revoke));
        Assert.DoesNotContain("tcp 22-22 0.0.0.0/0", await RevertUnderFaultsSpecs.IngressAsync(world, groupId));
        Assert.StartsWith("[DuoQ] Reverted: port 22 opened to 0.0.0.0/0 on " + groupId, (await world.NotificationAsync()).Subject);
        Assert.Contains(LogLines(), line => line.GetProperty("level").GetString() == "ERROR"
            && line.GetProperty("message").GetString()!.StartsWith("Finding not recorded in the audit table", StringComparison.Ordinal)
            && line.GetProperty("findingId").GetString()!.Length > 0);
    }

    [Fact]
    public async Task With_the_audit_record_unfinishable_the_revert_is_notified_the_invocation_fails_and_the_retry_reverts_nothing_more()
    {
        var world = await WorldAsync(new Fault("UpdateItem", DynamoDbError(HttpStatusCode.InternalServerError, "InternalServerError"), Times: 3));
        var (groupId, @event) = await RevertUnderFaultsSpecs.WorldOpenSshAsync(world);
        await using var function = LocalFunction.Start("ssh-guard", world.FunctionEnvironment(), _logs);

        var failed = await function.InvokeAsync(@event);
        var retried = await function.InvokeAsync(@event); // Lambda's retry of the same event

        Assert.False(failed.Succeeded);
        Assert.Equal("AuditUnavailableException", failed.Body.GetProperty("errorType").GetString());
        Assert.Equal(3, world.Proxy.Calls("UpdateItem").Count(call => call.Faulted));
        Assert.True(retried.Succeeded, retried.Body.GetRawText());
        Assert.Equal(GuardStatus.Duplicate, retried.Body.Deserialize(GuardJson.Default.GuardReport)!.Status);
        Assert.Single(world.Proxy.Calls(Revoke));
        Assert.DoesNotContain("tcp 22-22 0.0.0.0/0", await RevertUnderFaultsSpecs.IngressAsync(world, groupId));
        Assert.StartsWith("[DuoQ] Reverted: port 22 opened to 0.0.0.0/0 on " + groupId, (await world.NotificationAsync()).Subject);
        await Assert.ThrowsAsync<TimeoutException>(() => world.Inbox.ReceiveAsync(TimeSpan.FromSeconds(2)));
    }

    private IReadOnlyList<JsonElement> LogLines() =>
        Encoding.UTF8.GetString(_logs.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
}
