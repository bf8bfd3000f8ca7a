using Amazon.EC2.Model;
using DuoQServerless.Aws;
using Xunit.Abstractions;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

public sealed class SshGuardWorld : GuardWorld
{
    public override GuardCase Case { get; } = new("ssh-guard", ["public-ssh"], [OpenSshAsync], [OpenSshAsync]);

    /// <summary>A group with SSH open to the world, and the sample event of that change.</summary>
    private static async Task<string> OpenSshAsync(AwsClientFactory admin)
    {
        var groupId = (await admin.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest($"web-{Guid.NewGuid():N}"[..20], "least privilege"))).GroupId;
        await admin.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = groupId,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }],
        });
        var ruleId = (await admin.Ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [groupId])] }))
            .SecurityGroupRules.Single(r => r.IsEgress != true).SecurityGroupRuleId;
        return GuardCase.Sample("ssh/risky-authorize-ipv4-22.json", new Dictionary<string, string> { ["sg-0f3a9c2d7b1e45a01"] = groupId, ["sgr-0a11b22c33d44e501"] = ruleId });
    }
}

public sealed class SshGuardPrivilegeSpecs(SshGuardWorld world, ITestOutputHelper output) : GuardPrivilegeSpecs(world, output), IClassFixture<SshGuardWorld>
{
    public static IEnumerable<object[]> Actions => GuardWorld.RemovableActions("ssh-guard");

    [Fact]
    public Task Every_ssh_guard_call_is_allowed_by_its_role_in_template_yaml() => Every_call_is_allowed_by_the_role_in_template_yaml_resources_included();

    [Fact]
    public Task Every_action_of_the_ssh_guard_role_is_used() => No_action_the_role_grants_goes_unused();

    [Theory]
    [MemberData(nameof(Actions))]
    public Task Without_one_action_the_ssh_guard_is_refused_and_records_and_notifies(string action) => Without_one_action_the_guard_is_refused_records_and_notifies(action);
}
