using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Guards.Ssh;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Tests.Guards;

public class PublicSshDetection
{
    private static DetectionOutcome Authorize(string protocol, int? from, int? to, string cidr, GuardPolicy? policy = null)
    {
        var ports = from is null ? "" : $"\"fromPort\": {from}, \"toPort\": {to},";
        var range = cidr.Contains(':') ? $"\"ipv6Ranges\": {{\"items\": [{{\"cidrIpv6\": \"{cidr}\"}}]}}" : $"\"ipRanges\": {{\"items\": [{{\"cidrIp\": \"{cidr}\"}}]}}";
        var request = "{\"groupId\": \"sg-0abc\", \"ipPermissions\": {\"items\": [{\"ipProtocol\": \"" + protocol + "\", " + ports + range + "}]}}";
        return Detectors.PublicSsh.Detect(TestRecords.Ec2("AuthorizeSecurityGroupIngress", request), policy ?? GuardPolicy.Default);
    }

    private static GuardPolicy Policy(string yaml) => Assert.IsType<PolicyLoad.Loaded>(GuardPolicy.Parse(yaml)).Policy;

    [Theory]
    [InlineData("tcp", 22, 22)]
    [InlineData("6", 22, 22)]
    [InlineData("TCP", 22, 22)]
    [InlineData("tcp", 0, 65535)]
    [InlineData("tcp", 20, 23)]
    [InlineData("-1", null, null)]
    [InlineData("-1", -1, -1)]
    public void A_rule_open_to_the_world_whose_range_contains_22_is_a_finding(string protocol, int? from, int? to) =>
        Assert.IsType<DetectionOutcome.Detected>(Authorize(protocol, from, to, "0.0.0.0/0"));

    [Theory]
    [InlineData("tcp", 23, 25)]
    [InlineData("tcp", 0, 21)]
    [InlineData("udp", 22, 22)]
    [InlineData("17", 0, 65535)]
    [InlineData("icmp", -1, -1)]
    public void A_rule_not_reaching_tcp_22_is_benign_even_when_open_to_the_world(string protocol, int from, int to) =>
        Assert.IsType<DetectionOutcome.Benign>(Authorize(protocol, from, to, "0.0.0.0/0"));

    [Fact]
    public void Ssh_open_to_all_of_ipv6_is_a_finding() =>
        Assert.Equal("port 22 opened to ::/0 on sg-0abc",
            Assert.IsType<DetectionOutcome.Detected>(Authorize("tcp", 22, 22, "::/0")).Finding.Summary);

    [Theory]
    [InlineData("0.0.0.0/1")]
    [InlineData("10.0.0.0/8")]
    [InlineData("198.51.100.7")]
    [InlineData("2001:db8::/32")]
    public void A_source_narrower_than_the_whole_internet_is_benign_by_default(string cidr) =>
        Assert.IsType<DetectionOutcome.Benign>(Authorize("tcp", 22, 22, cidr));

    [Fact]
    public void A_wider_than_slash_N_policy_also_flags_half_the_internet_but_not_a_slash_8()
    {
        var policy = Policy("risks: { public-ssh: { ipv4WiderThan: 8 } }");
        Assert.IsType<DetectionOutcome.Detected>(Authorize("tcp", 22, 22, "0.0.0.0/1", policy));
        Assert.IsType<DetectionOutcome.Detected>(Authorize("tcp", 22, 22, "1.0.0.0/7", policy));
        Assert.IsType<DetectionOutcome.Benign>(Authorize("tcp", 22, 22, "10.0.0.0/8", policy));
    }

    [Fact]
    public void More_ports_in_the_policy_make_rdp_open_to_the_world_a_finding()
    {
        Assert.IsType<DetectionOutcome.Benign>(Authorize("tcp", 3389, 3389, "0.0.0.0/0"));
        var policy = Policy("risks: { public-ssh: { ports: [22, 3389] } }");
        var finding = Assert.IsType<DetectionOutcome.Detected>(Authorize("tcp", 3389, 3389, "0.0.0.0/0", policy)).Finding;
        Assert.Equal("port 3389 opened to 0.0.0.0/0 on sg-0abc", finding.Summary);
    }

    [Fact]
    public void Only_the_world_open_ssh_rule_of_a_multi_rule_request_is_in_the_revert_plan()
    {
        var request = """
            {"groupId": "sg-0abc", "ipPermissions": {"items": [
              {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}},
              {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
               "ipRanges": {"items": [{"cidrIp": "198.51.100.0/24"}, {"cidrIp": "0.0.0.0/0"}]},
               "ipv6Ranges": {"items": [{"cidrIpv6": "::/0"}]}}]}}
            """;
        var response = """
            {"_return": true, "securityGroupRuleSet": {"items": [
              {"groupId": "sg-0abc", "securityGroupRuleId": "sgr-https", "isEgress": false, "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"},
              {"groupId": "sg-0abc", "securityGroupRuleId": "sgr-office", "isEgress": false, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "198.51.100.0/24"},
              {"groupId": "sg-0abc", "securityGroupRuleId": "sgr-v6", "isEgress": false, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv6": "::/0"},
              {"groupId": "sg-0abc", "securityGroupRuleId": "sgr-world", "isEgress": false, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"}]}}
            """;
        var finding = Assert.IsType<DetectionOutcome.Detected>(
            Detectors.PublicSsh.Detect(TestRecords.Ec2("AuthorizeSecurityGroupIngress", request, response), GuardPolicy.Default)).Finding;

        var plan = Assert.IsType<RevokeIngressRules>(finding.Revert);
        Assert.Equal(["sgr-world", "sgr-v6"], plan.Rules.Select(rule => rule.RuleId));
        Assert.True(plan.AllRulesHaveIds);
        Assert.Equal("port 22 opened to 0.0.0.0/0 and ::/0 on sg-0abc", finding.Summary);
        Assert.Equal("2", finding.Facts["rulesKept"]);
    }

    [Fact]
    public void Without_rule_ids_in_the_response_the_plan_holds_the_exact_permission_to_revoke()
    {
        var plan = Assert.IsType<RevokeIngressRules>(
            Assert.IsType<DetectionOutcome.Detected>(Authorize("tcp", 20, 23, "0.0.0.0/0")).Finding.Revert);
        var rule = Assert.Single(plan.Rules);
        Assert.Equal(new IngressRule(null, "tcp", 20, 23, "0.0.0.0/0", null), rule);
        Assert.False(plan.AllRulesHaveIds);
    }

    [Fact]
    public void A_group_named_only_by_name_is_flagged_for_resolution_unless_the_response_gives_its_id()
    {
        var request = """{"groupName": "default", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}""";
        var unresolved = Assert.IsType<DetectionOutcome.Detected>(
            Detectors.PublicSsh.Detect(TestRecords.Ec2("AuthorizeSecurityGroupIngress", request, """{"_return": true}"""), GuardPolicy.Default)).Finding;
        Assert.True(Assert.IsType<RevokeIngressRules>(unresolved.Revert).Group.NeedsResolution);
        Assert.Contains("groupResolution", unresolved.Facts.Keys);

        var response = """{"_return": true, "securityGroupRuleSet": {"items": [{"groupId": "sg-0def", "securityGroupRuleId": "sgr-1", "isEgress": false, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"}]}}""";
        var resolved = Assert.IsType<DetectionOutcome.Detected>(
            Detectors.PublicSsh.Detect(TestRecords.Ec2("AuthorizeSecurityGroupIngress", request, response), GuardPolicy.Default)).Finding;
        Assert.Equal(new SecurityGroupRef("sg-0def", "default"), Assert.IsType<RevokeIngressRules>(resolved.Revert).Group);
    }

    [Fact]
    public void The_older_flat_request_form_is_read_too()
    {
        var request = """{"groupId": "sg-0abc", "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIp": "0.0.0.0/0"}""";
        Assert.IsType<DetectionOutcome.Detected>(
            Detectors.PublicSsh.Detect(TestRecords.Ec2("AuthorizeSecurityGroupIngress", request), GuardPolicy.Default));
    }

    [Fact]
    public void Modifying_several_rules_flags_only_the_one_widened_to_the_world()
    {
        var request = """
            {"ModifySecurityGroupRulesRequest": {"GroupId": "sg-0abc", "SecurityGroupRule": [
              {"SecurityGroupRuleId": "sgr-a", "SecurityGroupRule": {"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIpv4": "10.0.0.0/8"}},
              {"SecurityGroupRuleId": "sgr-b", "SecurityGroupRule": {"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIpv4": "0.0.0.0/0"}}]}}
            """;
        var plan = Assert.IsType<RevokeIngressRules>(Assert.IsType<DetectionOutcome.Detected>(
            Detectors.PublicSsh.Detect(TestRecords.Ec2("ModifySecurityGroupRules", request), GuardPolicy.Default)).Finding.Revert);
        Assert.Equal("sgr-b", Assert.Single(plan.Rules).RuleId);
    }

    [Fact]
    public void A_refused_call_is_a_failed_call_carrying_what_was_attempted()
    {
        var request = """{"groupId": "sg-0abc", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}""";
        var failed = Assert.IsType<DetectionOutcome.FailedCall>(Detectors.PublicSsh.Detect(
            TestRecords.Ec2("AuthorizeSecurityGroupIngress", request, errorCode: "Client.UnauthorizedOperation"), GuardPolicy.Default));
        Assert.Equal("Client.UnauthorizedOperation", failed.ErrorCode);
        Assert.Equal(Risk.PublicSsh, failed.Attempted.Risk);
    }

    [Theory]
    [InlineData("0.0.0.0/0", 0)]
    [InlineData("::/0", 0)]
    [InlineData("198.51.100.7", 32)]
    [InlineData("2001:db8::1", 128)]
    [InlineData("10.0.0.0/33", null)]
    [InlineData("not-an-address/0", null)]
    public void Prefix_lengths_are_read_from_cidrs_and_bare_addresses(string cidr, int? prefix) =>
        Assert.Equal(prefix, IngressMatch.PrefixLength(cidr));
}
