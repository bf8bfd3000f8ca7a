using Amazon.EC2.Model;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Detection;
using DuoQServerless.Functions.Guards;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.Faults;

/// <summary>
/// A revert whose target is already gone when the event arrives (a person revoked the rule, the
/// group was deleted, the instance terminated, the key deleted) is a success with a note: the
/// audit item is Done with the note and the notification says "Already reverted", never an error.
/// The account-level cases are in Guards/*AccountSpecs; these run the whole guard.
/// </summary>
public sealed class AlreadyGoneSpecs(MotoFixture moto) : MotoTest(moto)
{
    private FaultWorld _world = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _world = await FaultWorld.CreateAsync(Endpoint);
    }

    public override async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_world_open_rule_someone_revoked_before_the_event_arrived_is_already_reverted()
    {
        var (groupId, @event) = await RevertUnderFaultsSpecs.WorldOpenSshAsync(_world);
        await _world.Direct.Ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest
        {
            GroupId = groupId,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }],
        });

        var report = await _world.HandleAsync(_world.SshGuard(), @event);

        await AssertAlreadyRevertedAsync(report, "sgr-");
        Assert.Empty(_world.Proxy.Calls("RevokeSecurityGroupIngress"));
    }

    [Fact]
    public async Task A_rule_whose_security_group_was_deleted_is_already_reverted()
    {
        var (groupId, @event) = await RevertUnderFaultsSpecs.WorldOpenSshAsync(_world);
        await _world.Direct.Ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = groupId });

        var report = await _world.HandleAsync(_world.SshGuard(), @event);

        await AssertAlreadyRevertedAsync(report, $"security group {groupId} no longer exists: nothing to revoke");
    }

    [Fact]
    public async Task An_oversized_instance_terminated_before_the_event_arrived_is_already_reverted()
    {
        var instanceId = (await _world.Direct.Ec2.RunInstancesAsync(new RunInstancesRequest("ami-12c6146b", 1, 1) { InstanceType = "m5.24xlarge" }))
            .Reservation.Instances[0].InstanceId;
        await _world.Direct.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest([instanceId]));
        var @event = File.ReadAllText(RepoPaths.Of("events", "instance/risky-run-m5-24xlarge.json")).Replace("i-0c1d2e3f4a5b60002", instanceId);
        var guard = _world.Guard(Detectors.OversizedInstance, (aws, _) => new InstanceAccount(aws.Ec2), "risks:\n  oversized-instance:\n    mode: revert\n");

        var report = await _world.HandleAsync(guard, @event);

        await AssertAlreadyRevertedAsync(report, $"instance terminated: nothing to stop ({instanceId})");
        Assert.Empty(_world.Proxy.Calls("StopInstances"));
    }

    [Fact]
    public async Task An_access_key_deleted_before_the_event_arrived_is_already_reverted()
    {
        await _world.Direct.Iam.CreateUserAsync("build-bot");
        var @event = File.ReadAllText(RepoPaths.Of("events", "iam/risky-create-access-key.json"));

        var report = await _world.HandleAsync(_world.IamGuard(), @event);

        await AssertAlreadyRevertedAsync(report, "access key AKIA3XFRBF53NEWKEY01 of user build-bot no longer exists");
        Assert.Empty(_world.Proxy.Calls("UpdateAccessKey"));
    }

    private async Task AssertAlreadyRevertedAsync(GuardReport report, string note)
    {
        Assert.Equal(("revert", GuardStatus.AlreadyDone), (report.Decision, report.Status));
        Assert.Contains(note, report.Detail);
        var audit = await _world.AuditOfAsync(report.FindingId);
        Assert.Equal(AuditState.Done, audit.State);
        Assert.Contains(note, audit.Result);
        var (subject, message) = await _world.NotificationAsync();
        Assert.StartsWith("[DuoQ] Already reverted: ", subject);
        Assert.Contains("Result:    nothing to do: ", message);
        Assert.Contains(note, message);
        Assert.DoesNotContain("FAILED", subject + message);
        Assert.DoesNotContain(_world.LogLines(), line => line.GetProperty("level").GetString() is "ERROR" or "FATAL");
    }
}
