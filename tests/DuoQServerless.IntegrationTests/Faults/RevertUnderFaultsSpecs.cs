using System.Net;
using Amazon.EC2.Model;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Core.Audit;
using DuoQServerless.Functions.Guards;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;
using static DuoQServerless.IntegrationTests.Clients.ScriptedAwsServer;

namespace DuoQServerless.IntegrationTests.Faults;

/// <summary>
/// A revert that AWS throttles or answers with a server error is retried with backoff up to the
/// retry policy's limit, then recorded as Failed with AWS's error code and notified with what to
/// do; fewer faults than the limit and the revert goes through. Each spec runs the guard as its
/// function composes it, its calls going through a fault-injecting proxy in front of moto.
/// </summary>
public sealed class RevertUnderFaultsSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string Revoke = "RevokeSecurityGroupIngress";
    private const string Detach = "DetachRolePolicy";
    private const string Role = "ci-deployer";
    private FaultWorld? _world;

    public override async Task DisposeAsync()
    {
        if (_world is not null) await _world.DisposeAsync();
    }

    private async Task<FaultWorld> WorldAsync(params Fault[] faults) => _world = await FaultWorld.CreateAsync(Endpoint, faults);

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "RequestLimitExceeded")]
    [InlineData(HttpStatusCode.BadRequest, "Throttling")]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError")]
    public async Task A_revoke_AWS_keeps_refusing_is_tried_the_retry_limit_then_recorded_as_failed_and_notified_with_what_to_do(HttpStatusCode status, string code)
    {
        var world = await WorldAsync(new Fault(Revoke, Ec2Error(status, code), Times: 100));
        var (groupId, @event) = await WorldOpenSshAsync(world);

        var report = await world.HandleAsync(world.SshGuard(), @event);

        var attempts = world.Proxy.Calls(Revoke);
        Assert.Equal(world.Guarded.Settings.Retry.MaxAttempts, attempts.Count);
        Assert.All(attempts, attempt => Assert.True(attempt.Faulted));
        Assert.Equal(GuardStatus.Failed, report.Status);
        Assert.Contains("tcp 22-22 0.0.0.0/0", await IngressAsync(world, groupId));
        var audit = await world.AuditOfAsync(report.FindingId);
        Assert.Equal(AuditState.Failed, audit.State);
        Assert.StartsWith($"{code}: ", audit.Result);
        var (subject, message) = await world.NotificationAsync();
        Assert.StartsWith($"[DuoQ] Revert FAILED: port 22 opened to 0.0.0.0/0 on {groupId}", subject);
        Assert.Contains($"Result:    FAILED: {code}", message);
        Assert.Contains("The change is still in place. What to do:", message);
        Assert.Contains($"Undo it by hand: revoke ", message);
    }

    [Fact]
    public async Task A_revoke_throttled_fewer_times_than_the_retry_limit_goes_through()
    {
        var world = await WorldAsync(new Fault(Revoke, Ec2Error(HttpStatusCode.ServiceUnavailable, "RequestLimitExceeded"), Times: 2));
        var (groupId, @event) = await WorldOpenSshAsync(world);

        var report = await world.HandleAsync(world.SshGuard(), @event);

        Assert.Equal([true, true, false], world.Proxy.Calls(Revoke).Select(call => call.Faulted));
        Assert.Equal(GuardStatus.Done, report.Status);
        Assert.DoesNotContain("tcp 22-22 0.0.0.0/0", await IngressAsync(world, groupId));
        Assert.Equal(AuditState.Done, (await world.AuditOfAsync(report.FindingId)).State);
        Assert.StartsWith("[DuoQ] Reverted: port 22 opened to 0.0.0.0/0 on " + groupId, (await world.NotificationAsync()).Subject);
    }

    [Fact]
    public async Task A_detach_IAM_keeps_throttling_waits_growing_delays_between_the_attempts_then_is_recorded_as_failed_and_notified()
    {
        var world = await WorldAsync(new Fault(Detach, QueryError(HttpStatusCode.BadRequest, "Throttling"), Times: 100));
        await AdminRoleAsync(world);

        var report = await world.HandleAsync(world.IamGuard(), AdminAttachedEvent());

        Assert.Equal(3, world.Guarded.Settings.Retry.MaxAttempts);
        Assert.Equal(3, world.Proxy.Calls(Detach).Count);
        // Throttling backs off from 500 ms, doubling, scaled by the jitter (fixed at 0.5 here): asked for, not slept.
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)], world.Waits);
        Assert.Equal(GuardStatus.Failed, report.Status);
        Assert.Contains(IamGuardSetup.AdministratorAccess, await AttachedAsync(world));
        var audit = await world.AuditOfAsync(report.FindingId);
        Assert.Equal((AuditState.Failed, "Throttling: scripted Throttling"), (audit.State, audit.Result));
        var (subject, message) = await world.NotificationAsync();
        Assert.StartsWith("[DuoQ] Revert FAILED: ", subject);
        Assert.Contains($"Undo it by hand: detach {IamGuardSetup.AdministratorAccess} from role {Role}.", message);
        Assert.Contains($"The finding {report.FindingId} stays Failed in the audit table", message);
    }

    [Fact]
    public async Task A_detach_answered_once_with_a_server_error_is_retried_after_a_short_wait_and_goes_through()
    {
        var world = await WorldAsync(new Fault(Detach, QueryError(HttpStatusCode.InternalServerError, "ServiceFailure"), Times: 1));
        await AdminRoleAsync(world);

        var report = await world.HandleAsync(world.IamGuard(), AdminAttachedEvent());

        Assert.Equal([true, false], world.Proxy.Calls(Detach).Select(call => call.Faulted));
        // Other retryable errors back off from 100 ms.
        Assert.Equal([TimeSpan.FromMilliseconds(50)], world.Waits);
        Assert.Equal(GuardStatus.Done, report.Status);
        Assert.DoesNotContain(IamGuardSetup.AdministratorAccess, await AttachedAsync(world));
        Assert.Equal(AuditState.Done, (await world.AuditOfAsync(report.FindingId)).State);
        Assert.StartsWith("[DuoQ] Reverted: ", (await world.NotificationAsync()).Subject);
    }

    /// <summary>A group with SSH open to the world, and the CloudTrail event of the agent's call that opened it.</summary>
    internal static async Task<(string GroupId, string Event)> WorldOpenSshAsync(FaultWorld world)
    {
        var ec2 = world.Direct.Ec2;
        var groupId = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest("web", "fault spec"))).GroupId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = groupId,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }],
        });
        var ruleId = ((await ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [groupId])] }))
            .SecurityGroupRules ?? []).Single(rule => rule.IsEgress != true).SecurityGroupRuleId;
        var @event = File.ReadAllText(RepoPaths.Of("events", "ssh/risky-authorize-ipv4-22.json"))
            .Replace("sg-0f3a9c2d7b1e45a01", groupId).Replace("sgr-0a11b22c33d44e501", ruleId);
        return (groupId, @event);
    }

    internal static async Task<List<string>> IngressAsync(FaultWorld world, string groupId) =>
        ((await world.Direct.Ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [groupId])] }))
            .SecurityGroupRules ?? [])
        .Where(rule => rule.IsEgress != true)
        .Select(rule => $"{rule.IpProtocol} {rule.FromPort}-{rule.ToPort} {rule.CidrIpv4 ?? rule.CidrIpv6}").ToList();

    private static async Task AdminRoleAsync(FaultWorld world)
    {
        await world.Direct.Iam.CreateRoleAsync(Role);
        await world.Direct.Iam.AttachRolePolicyForSetUpAsync(Role, IamGuardSetup.AdministratorAccess);
    }

    private static string AdminAttachedEvent() => File.ReadAllText(RepoPaths.Of("events", "iam/risky-attach-role-policy-administrator-access.json"));

    private static async Task<List<string>> AttachedAsync(FaultWorld world) =>
        await world.Direct.Iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest(Role)).Select(policy => policy.PolicyArn).ToListAsync();
}
