using System.Text.Json.Nodes;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.IntegrationTests.Races;
using DuoQServerless.Tests.Fuzzing;
using FsCheck.Fluent;

namespace DuoQServerless.IntegrationTests.Fuzzing;

/// <summary>
/// Generated events through the public-SSH guard's real pipeline against moto, every AWS call
/// recorded. The account holds a group with SSH really open to the world, and every generated
/// event names that group: a guard that mistook a malformed or narrow rule for a risky one would
/// find a rule to revoke. Unit-level fuzzing (HostileEventSpecs) covers the volume; this covers
/// the composition: no crash, a report for every input, and no write to EC2 for a non-risky event.
/// </summary>
public sealed class SshGuardPipelineFuzzSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const int NonRiskyRules = 200;
    private const int MutatedSamples = 150;
    private SshGuardWorld _world = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _world = await SshGuardWorld.CreateAsync(Endpoint);
    }

    public override Task DisposeAsync()
    {
        _world.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Generated_non_risky_ingress_events_on_a_world_open_group_never_make_the_guard_write_to_EC2()
    {
        var (groupId, ruleId) = await _world.SeedWorldOpenSshAsync();
        var permissions = SshRuleOracle.Permissions.Where(permission => !SshRuleOracle.IsWellFormedRisky(permission)).Sample(NonRiskyRules);

        var statuses = new List<string>();
        foreach (var (permission, index) in permissions.Select((permission, index) => (permission, index)))
        {
            var report = await _world.DeliverAsync(NonRiskyEvent(groupId, ruleId, permission, index));
            statuses.Add(report.Status);
        }

        Assert.Equal(NonRiskyRules, statuses.Count);
        Assert.All(statuses, status => Assert.Equal("benign", status));
        Assert.Empty(_world.Ec2Writes);
        Assert.Equal([ruleId], await _world.WorldOpenSshRulesAsync(groupId));
        Assert.Empty(await _world.AuditItemsAsync());
    }

    [Fact]
    public async Task Mutated_samples_never_crash_the_guard_and_every_one_gets_a_report()
    {
        var (groupId, ruleId) = await _world.SeedWorldOpenSshAsync();
        var hostile = HostileJson.Events(name => name.StartsWith("ssh/", StringComparison.Ordinal)).Sample(MutatedSamples);

        var reports = new List<string>();
        foreach (var @event in hostile)
        {
            var report = await _world.DeliverAsync(@event.Json);
            reports.Add($"{report.Status} {@event}");
        }

        Assert.Equal(MutatedSamples, reports.Count);
        // Sample group ids are not in this account: whatever was detected found nothing of its own to revoke,
        // and the seeded group, named by no sample, was never touched.
        Assert.DoesNotContain(_world.Ec2Writes, call => call.Request is Amazon.EC2.Model.RevokeSecurityGroupIngressRequest { GroupId: var revoked } && revoked == groupId);
        Assert.Equal([ruleId], await _world.WorldOpenSshRulesAsync(groupId));
    }

    /// <summary>The risky sample for the seeded group, with its permission replaced by a generated one and its own event id.</summary>
    private static string NonRiskyEvent(string groupId, string ruleId, GeneratedPermission p, int index)
    {
        static string Field(string name, string? raw) => raw is null ? "" : $"\"{name}\":{raw},";
        var v4 = p.CidrIp is null ? "" : "{\"cidrIp\":" + p.CidrIp + "}";
        var v6 = p.CidrIpv6 is null ? "" : "{\"cidrIpv6\":" + p.CidrIpv6 + "}";
        var request = "{\"groupId\":\"" + groupId + "\",\"ipPermissions\":{\"items\":[{" + Field("ipProtocol", p.Protocol) + Field("fromPort", p.FromPort) +
                      Field("toPort", p.ToPort) + "\"ipRanges\":{\"items\":[" + v4 + "]},\"ipv6Ranges\":{\"items\":[" + v6 + "]}}]}}";
        var root = JsonNode.Parse(SshGuardWorld.RiskyEvent(groupId, ruleId, $"fuzz-{index:D6}-{Guid.NewGuid():N}"))!;
        root["detail"]!["requestParameters"] = "\u0001request\u0001";
        // The sample's response lists the world-open rule AWS created for the sample's request, and
        // the guard takes AWS's word for what was created: a generated request has no such response.
        root["detail"]!.AsObject().Remove("responseElements");
        return root.ToJsonString().Replace("\"\\u0001request\\u0001\"", request, StringComparison.Ordinal);
    }
}
