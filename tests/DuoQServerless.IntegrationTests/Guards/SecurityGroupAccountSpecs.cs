using Amazon.EC2;
using Amazon.EC2.Model;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Guards;

public sealed class SecurityGroupAccountSpecs(MotoFixture moto) : MotoTest(moto)
{
    private AmazonEC2Client _ec2 = null!;
    private SecurityGroupAccount _account = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _ec2 = Ec2Samples.Client(Endpoint);
        _account = new SecurityGroupAccount(_ec2);
    }

    public override Task DisposeAsync()
    {
        _ec2.Dispose();
        return Task.CompletedTask;
    }

    private static IpPermission Tcp(int port, params string[] cidrs) => new()
    {
        IpProtocol = "tcp", FromPort = port, ToPort = port, Ipv4Ranges = cidrs.Select(cidr => new IpRange { CidrIp = cidr }).ToList(),
    };

    private static RevokeIngressRules Plan(string group, params IngressRule[] rules) => new(new SecurityGroupRef(group, null), rules);

    private static IngressRule WorldSsh(string? ruleId = null) => new(ruleId, "tcp", 22, 22, "0.0.0.0/0", null);

    private async Task<string> GroupWithAsync(string name, params IpPermission[] permissions)
    {
        var groupId = (await _ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest(name, "guard spec"))).GroupId;
        if (permissions.Length > 0)
            await _ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = groupId, IpPermissions = permissions.ToList() });
        return groupId;
    }

    /// <summary>The group's rules as an account owner reads them: "in tcp 22-22 0.0.0.0/0".</summary>
    private async Task<List<SecurityGroupRule>> RulesAsync(string groupId) =>
        (await _ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [groupId])] }))
        .SecurityGroupRules ?? [];

    private async Task<List<string>> IngressAsync(string groupId) =>
        (await RulesAsync(groupId)).Where(rule => rule.IsEgress != true)
        .Select(rule => $"{rule.IpProtocol} {rule.FromPort}-{rule.ToPort} {rule.CidrIpv4 ?? rule.CidrIpv6}").Order().ToList();

    private async Task<string> RuleIdAsync(string groupId, int port, string cidr) =>
        (await RulesAsync(groupId)).Single(rule => rule.IsEgress != true && rule.FromPort == port && (rule.CidrIpv4 ?? rule.CidrIpv6) == cidr).SecurityGroupRuleId;

    /// <summary>One request adding world SSH, SSH from a private range and world HTTPS, as an agent might.</summary>
    private Task<string> WebGroupAsync() => GroupWithAsync("web", Tcp(22, "10.0.0.0/8", "0.0.0.0/0"), Tcp(443, "0.0.0.0/0"));

    [Fact]
    public async Task A_revert_by_rule_id_revokes_the_world_open_ssh_rule_and_keeps_the_rest_of_the_request()
    {
        var group = await WebGroupAsync();
        var risky = await RuleIdAsync(group, 22, "0.0.0.0/0");

        var result = await _account.RevertAsync(Plan(group, WorldSsh(risky)), CancellationToken.None);

        var done = Assert.IsType<ActionResult.Done>(result);
        Assert.Contains($"revoked tcp 22 from 0.0.0.0/0 ({risky}) on {group}", done.Detail);
        Assert.Equal(["tcp 22-22 10.0.0.0/8", "tcp 443-443 0.0.0.0/0"], await IngressAsync(group));
    }

    [Fact]
    public async Task A_revert_without_rule_ids_revokes_the_exact_permission_and_not_a_narrower_rule_on_the_same_port()
    {
        var group = await WebGroupAsync();

        var result = await _account.RevertAsync(Plan(group, WorldSsh()), CancellationToken.None);

        Assert.IsType<ActionResult.Done>(result);
        Assert.Equal(["tcp 22-22 10.0.0.0/8", "tcp 443-443 0.0.0.0/0"], await IngressAsync(group));
    }

    [Fact]
    public async Task An_ipv6_rule_open_to_the_world_is_revoked_and_the_ipv4_rule_on_the_same_port_stays()
    {
        var group = await GroupWithAsync("v6", new IpPermission
        {
            IpProtocol = "tcp", FromPort = 22, ToPort = 22,
            Ipv4Ranges = [new IpRange { CidrIp = "10.0.0.0/8" }], Ipv6Ranges = [new Ipv6Range { CidrIpv6 = "::/0" }],
        });

        var result = await _account.RevertAsync(Plan(group, new IngressRule(null, "tcp", 22, 22, null, "::/0")), CancellationToken.None);

        Assert.IsType<ActionResult.Done>(result);
        Assert.Equal(["tcp 22-22 10.0.0.0/8"], await IngressAsync(group));
    }

    [Fact]
    public async Task An_all_traffic_rule_is_revoked_and_the_groups_all_traffic_egress_rule_stays()
    {
        var group = await GroupWithAsync("all", new IpPermission { IpProtocol = "-1", Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }, Tcp(22, "10.0.0.0/8"));

        // As the detector reads an all-traffic rule from the event: protocol -1, no ports.
        var result = await _account.RevertAsync(Plan(group, new IngressRule(null, "-1", null, null, "0.0.0.0/0", null)), CancellationToken.None);

        Assert.IsType<ActionResult.Done>(result);
        Assert.Equal(["tcp 22-22 10.0.0.0/8"], await IngressAsync(group));
        Assert.Contains(await RulesAsync(group), rule => rule.IsEgress == true && rule.IpProtocol == "-1" && rule.CidrIpv4 == "0.0.0.0/0");
    }

    [Fact]
    public async Task A_group_named_only_by_name_is_resolved_to_its_id_in_the_default_vpc()
    {
        var group = await WebGroupAsync();

        var result = await _account.RevertAsync(new RevokeIngressRules(new SecurityGroupRef(null, "web"), [WorldSsh()]), CancellationToken.None);

        var done = Assert.IsType<ActionResult.Done>(result);
        Assert.Contains($"on {group} (resolved from the name 'web')", done.Detail);
        Assert.Equal(["tcp 22-22 10.0.0.0/8", "tcp 443-443 0.0.0.0/0"], await IngressAsync(group));
    }

    [Fact]
    public async Task A_name_no_group_has_fails_and_says_so()
    {
        await WebGroupAsync();

        var result = await _account.RevertAsync(new RevokeIngressRules(new SecurityGroupRef(null, "webb"), [WorldSsh()]), CancellationToken.None);

        var failed = Assert.IsType<ActionResult.Failed>(result);
        Assert.Equal("no security group named 'webb' in the default VPC: the rule could not be revoked", failed.Error);
    }

    [Fact]
    public async Task A_second_revert_of_the_same_rule_finds_it_already_revoked()
    {
        var group = await WebGroupAsync();
        var plan = Plan(group, WorldSsh(await RuleIdAsync(group, 22, "0.0.0.0/0")));

        await _account.RevertAsync(plan, CancellationToken.None);
        var second = await _account.RevertAsync(plan, CancellationToken.None);

        var already = Assert.IsType<ActionResult.AlreadyDone>(second);
        Assert.StartsWith("rule already revoked: tcp 22 from 0.0.0.0/0", already.Detail);
        Assert.Equal(["tcp 22-22 10.0.0.0/8", "tcp 443-443 0.0.0.0/0"], await IngressAsync(group));
    }

    [Fact]
    public async Task When_one_of_two_risky_rules_is_already_gone_the_other_is_revoked_and_the_note_says_so()
    {
        var group = await GroupWithAsync("two", Tcp(22, "0.0.0.0/0"), new IpPermission
        {
            IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv6Ranges = [new Ipv6Range { CidrIpv6 = "::/0" }],
        });
        var v4 = await RuleIdAsync(group, 22, "0.0.0.0/0");
        var v6 = await RuleIdAsync(group, 22, "::/0");
        await _ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest { GroupId = group, SecurityGroupRuleIds = [v4] });

        var result = await _account.RevertAsync(Plan(group, WorldSsh(v4), new IngressRule(v6, "tcp", 22, 22, null, "::/0")), CancellationToken.None);

        var done = Assert.IsType<ActionResult.Done>(result);
        Assert.Equal($"revoked tcp 22 from ::/0 ({v6}) on {group}; rule already revoked: tcp 22 from 0.0.0.0/0 ({v4})", done.Detail);
        Assert.Empty(await IngressAsync(group));
    }

    [Fact]
    public async Task A_rule_changed_to_a_narrow_source_since_the_event_is_left_alone()
    {
        var group = await GroupWithAsync("changed", Tcp(22, "0.0.0.0/0"));
        var ruleId = await RuleIdAsync(group, 22, "0.0.0.0/0");
        await _ec2.ModifySecurityGroupRulesAsync(new ModifySecurityGroupRulesRequest
        {
            GroupId = group,
            SecurityGroupRules = [new SecurityGroupRuleUpdate
            {
                SecurityGroupRuleId = ruleId,
                SecurityGroupRule = new SecurityGroupRuleRequest { IpProtocol = "tcp", FromPort = 22, ToPort = 22, CidrIpv4 = "10.0.0.0/8" },
            }],
        });

        var result = await _account.RevertAsync(Plan(group, WorldSsh(ruleId)), CancellationToken.None);

        var already = Assert.IsType<ActionResult.AlreadyDone>(result);
        Assert.Contains($"changed since the event, left alone: {ruleId} is now tcp 22 from 10.0.0.0/8", already.Detail);
        Assert.Equal(["tcp 22-22 10.0.0.0/8"], await IngressAsync(group));
    }

    [Fact]
    public async Task A_group_deleted_since_the_event_leaves_nothing_to_revoke()
    {
        var group = await WebGroupAsync();
        var plan = Plan(group, WorldSsh(await RuleIdAsync(group, 22, "0.0.0.0/0")));
        await _ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = group });

        var result = await _account.RevertAsync(plan, CancellationToken.None);

        var already = Assert.IsType<ActionResult.AlreadyDone>(result);
        Assert.Equal($"security group {group} no longer exists: nothing to revoke", already.Detail);
    }

    [Fact]
    public async Task Tags_are_read_from_the_group_and_a_deleted_group_has_none()
    {
        var group = await WebGroupAsync();
        await _ec2.CreateTagsAsync(new CreateTagsRequest([group], [new Tag("duoq:exempt", "true"), new Tag("team", "web")]));
        var resource = AffectedResource.Of(SecurityGroupAccount.ResourceType, group);

        var tags = await _account.TagsOfAsync(resource, CancellationToken.None);
        await _ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = group });
        var afterDelete = await _account.TagsOfAsync(resource, CancellationToken.None);

        Assert.Equal(new Dictionary<string, string> { ["duoq:exempt"] = "true", ["team"] = "web" }, tags);
        Assert.Empty(afterDelete);
    }

    [Fact]
    public async Task An_approved_group_carries_the_approval_id_as_a_tag()
    {
        var group = await WebGroupAsync();

        var result = await _account.MarkApprovedAsync(AffectedResource.Of(SecurityGroupAccount.ResourceType, group), "appr-42", CancellationToken.None);

        Assert.IsType<ActionResult.Done>(result);
        var described = await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [group] });
        Assert.Contains(described.SecurityGroups.Single().Tags, tag => tag.Key == "duoq:approved" && tag.Value == "appr-42");
    }

    [Fact]
    public async Task The_detectors_plan_from_a_multi_rule_sample_revokes_only_its_risky_rule()
    {
        var group = await GroupWithAsync("app-servers", Tcp(443, "0.0.0.0/0"), Tcp(22, "198.51.100.0/24", "0.0.0.0/0"));
        var finding = Ec2Samples.FindingFrom("ssh/risky-multi-rule-one-risky.json", Detectors.PublicSsh, new Dictionary<string, string>
        {
            ["sg-0f3a9c2d7b1e45a01"] = group,
            ["sgr-0a11b22c33d44e506"] = await RuleIdAsync(group, 443, "0.0.0.0/0"),
            ["sgr-0a11b22c33d44e507"] = await RuleIdAsync(group, 22, "198.51.100.0/24"),
            ["sgr-0a11b22c33d44e508"] = await RuleIdAsync(group, 22, "0.0.0.0/0"),
        });

        var tags = await _account.TagsOfAsync(finding.Resource, CancellationToken.None);
        var result = await _account.RevertAsync(finding.Revert, CancellationToken.None);

        Assert.Empty(tags);
        Assert.IsType<ActionResult.Done>(result);
        Assert.Equal(["tcp 22-22 198.51.100.0/24", "tcp 443-443 0.0.0.0/0"], await IngressAsync(group));
    }

    [Fact]
    public async Task The_detectors_plan_from_a_sample_naming_only_the_default_group_revokes_the_rule_there()
    {
        await _ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupName = "default", IpPermissions = [Tcp(22, "0.0.0.0/0")] });
        var defaultGroup = (await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupNames = ["default"] })).SecurityGroups.Single().GroupId;
        var finding = Ec2Samples.FindingFrom("ssh/risky-authorize-group-name-only.json", Detectors.PublicSsh, new Dictionary<string, string>());

        var result = await _account.RevertAsync(finding.Revert, CancellationToken.None);

        Assert.True(((RevokeIngressRules)finding.Revert).Group.NeedsResolution);
        var done = Assert.IsType<ActionResult.Done>(result);
        Assert.Contains($"on {defaultGroup} (resolved from the name 'default')", done.Detail);
        Assert.DoesNotContain("tcp 22-22 0.0.0.0/0", await IngressAsync(defaultGroup));
    }

    [Fact]
    public async Task The_detectors_plan_from_a_modified_rule_sample_revokes_that_rule_by_id()
    {
        var group = await GroupWithAsync("debug", Tcp(22, "10.1.0.0/16"), Tcp(443, "0.0.0.0/0"));
        var ruleId = await RuleIdAsync(group, 22, "10.1.0.0/16");
        await _ec2.ModifySecurityGroupRulesAsync(new ModifySecurityGroupRulesRequest
        {
            GroupId = group,
            SecurityGroupRules = [new SecurityGroupRuleUpdate
            {
                SecurityGroupRuleId = ruleId,
                SecurityGroupRule = new SecurityGroupRuleRequest { IpProtocol = "tcp", FromPort = 22, ToPort = 22, CidrIpv4 = "0.0.0.0/0" },
            }],
        });
        var finding = Ec2Samples.FindingFrom("ssh/risky-modify-rule-to-world.json", Detectors.PublicSsh, new Dictionary<string, string>
        {
            ["sg-0f3a9c2d7b1e45a01"] = group, ["sgr-0a11b22c33d44e509"] = ruleId,
        });

        var result = await _account.RevertAsync(finding.Revert, CancellationToken.None);

        Assert.IsType<ActionResult.Done>(result);
        Assert.Equal(["tcp 443-443 0.0.0.0/0"], await IngressAsync(group));
    }
}
