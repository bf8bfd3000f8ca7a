using System.Text.Json;
using Amazon.EC2.Model;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Aws.Notifications;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Core.Approval;
using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Policy;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Functions.Logging;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.Approval;

/// <summary>
/// The public-SSH guard's revert entry point (<c>{"revert": finding, "reason"}</c>) on its own,
/// against moto: the guard's pipeline with its real services (security groups in moto's EC2, the
/// audit table, the findings topic, the approval state machine). The guard first meets the event
/// in mode approve and hands it to the state machine; a rejection is sent with the task token, and
/// the guard is then invoked with the payload the state machine asked Lambda for (read from the
/// execution history, since moto answers the invoke itself).
/// </summary>
public sealed class GuardRevertEntryPointSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string SshGuardArn = "arn:aws:lambda:us-east-1:123456789012:function:duoq-ssh-guard";
    private const string Sample = "ssh/risky-authorize-ipv4-22.json";
    private const string SampleGroupId = "sg-0f3a9c2d7b1e45a01";
    private const string SampleRuleId = "sgr-0a11b22c33d44e501";
    private ApprovalWorld _world = null!;
    private string? _executionArn;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _world = await ApprovalWorld.CreateAsync(Endpoint);
    }

    public override async Task DisposeAsync()
    {
        if (_executionArn is not null) await _world.EndIfWaitingAsync(_executionArn);
        _world.Dispose();
    }

    private GuardPipeline SshGuard()
    {
        var policy = Assert.IsType<PolicyLoad.Loaded>(GuardPolicy.Parse("risks:\n  public-ssh:\n    mode: approve\n")).Policy;
        return new GuardPipeline(new GuardServices(
            Detectors.PublicSsh,
            policy,
            new SecurityGroupAccount(_world.Aws.Ec2),
            new AuditStore(_world.Dynamo, _world.Stack.AuditTable),
            new SnsFindingNotifier(_world.Aws.Sns, _world.Stack.TopicArn),
            new Aws.Approval.StepFunctionsApprovalStarter(_world.StepFunctions, _world.Stack.StateMachineArn),
            TimeProvider.System));
    }

    private static LambdaLogger Log() => new(Stream.Null, LogLevel.Debug, TimeProvider.System);

    /// <summary>The group's ingress rules as an account owner reads them: "tcp 22-22 0.0.0.0/0".</summary>
    private async Task<List<string>> IngressAsync(string groupId) =>
        ((await _world.Aws.Ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [groupId])] }))
            .SecurityGroupRules ?? [])
        .Where(rule => rule.IsEgress != true)
        .Select(rule => $"{rule.IpProtocol} {rule.FromPort}-{rule.ToPort} {rule.CidrIpv4 ?? rule.CidrIpv6}").Order().ToList();

    [Fact]
    public async Task A_rejected_finding_has_its_world_open_rule_revoked_recorded_and_notified_and_a_repeat_changes_nothing()
    {
        // The agent's change: SSH from anywhere, next to SSH from the private range that stays.
        var ec2 = _world.Aws.Ec2;
        var groupId = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest("web", "approval spec"))).GroupId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = groupId,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "10.0.0.0/8" }, new IpRange { CidrIp = "0.0.0.0/0" }] }],
        });
        var worldRuleId = ((await ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [groupId])] }))
            .SecurityGroupRules ?? []).Single(rule => rule.IsEgress != true && rule.CidrIpv4 == "0.0.0.0/0").SecurityGroupRuleId;
        var @event = File.ReadAllText(RepoPaths.Of("events", Sample)).Replace(SampleGroupId, groupId).Replace(SampleRuleId, worldRuleId);
        var guard = SshGuard();
        var met = await guard.HandleAsync(@event, SshGuardArn, Log(), CancellationToken.None);
        var request = JsonSerializer.Deserialize(Assert.Single(await _world.ReceiveAsync(_world.Stack.ApprovalQueueUrl)).Body, ApprovalJson.Default.ApprovalRequestMessage)!;
        _executionArn = request.ExecutionArn;
        await _world.Callbacks.SendTaskFailureAsync(request.TaskToken, RejectionCause.Error, """{"decidedBy":"Bob"}""", CancellationToken.None);
        var (guardArn, payload) = Assert.Single((await _world.WaitForEndAsync(_executionArn)).LambdaInvokes);

        var reverted = await guard.HandleAsync(payload.GetRawText(), SshGuardArn, Log(), CancellationToken.None);
        var rulesAfterRevert = await IngressAsync(groupId);
        var repeated = await guard.HandleAsync(payload.GetRawText(), SshGuardArn, Log(), CancellationToken.None);

        Assert.Equal(("approve", "request-approval", GuardStatus.Done), (met.Decision, met.Action, met.Status));
        Assert.Equal(SshGuardArn, guardArn);
        Assert.Equal("rejected", payload.GetProperty("reason").GetString());
        Assert.Equal((GuardStatus.Done, met.FindingId), (reverted.Status, reverted.FindingId));
        Assert.Contains(worldRuleId, reverted.Detail);
        Assert.Equal(["tcp 22-22 10.0.0.0/8"], rulesAfterRevert);
        Assert.Equal(GuardStatus.AlreadyDone, repeated.Status);
        Assert.Equal(["tcp 22-22 10.0.0.0/8"], await IngressAsync(groupId));
        var audit = (await new AuditStore(_world.Dynamo, _world.Stack.AuditTable).GetAsync(met.FindingId!))!;
        Assert.Equal(AuditState.Done, audit.State);
        Assert.Contains("(approval rejected)", audit.Action);
        var subjects = (await _world.NotificationsAsync(atLeast: 3)).Select(n => n.Subject).Order().ToList();
        Assert.Equal(3, subjects.Count);
        Assert.StartsWith("[DuoQ] Already reverted: port 22 opened to 0.0.0.0/0 on " + groupId, subjects[0]);
        Assert.StartsWith("[DuoQ] Approval needed: port 22 opened to 0.0.0.0/0 on " + groupId, subjects[1]);
        Assert.StartsWith("[DuoQ] Reverted: port 22 opened to 0.0.0.0/0 on " + groupId, subjects[2]);
    }
}
