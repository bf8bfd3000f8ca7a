using System.Text.Json.Nodes;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;
using DuoQServerless.Tests.Guards;

namespace DuoQServerless.Tests.Fuzzing;

/// <summary>
/// The cases the fuzzer found (HostileEventSpecs) that crashed a guard or were misjudged, each
/// pinned by name. What counts as world-open follows what EC2 accepts: a malformed source or port
/// range is refused by EC2, so a successful record cannot carry one and nothing is reverted; a
/// spelling EC2 normalises to the whole internet (::0/0, host bits under /0) is a finding.
/// </summary>
public sealed class FuzzFoundEdgeCaseSpecs
{
    private static DetectionOutcome Ingress(string protocol, string? fromPort, string? toPort, string source, bool ipv6 = false)
    {
        var ports = (fromPort is null ? "" : $"\"fromPort\": {fromPort}, ") + (toPort is null ? "" : $"\"toPort\": {toPort}, ");
        var ranges = ipv6
            ? $"\"ipv6Ranges\": {{\"items\": [{{\"cidrIpv6\": \"{source}\"}}]}}"
            : $"\"ipRanges\": {{\"items\": [{{\"cidrIp\": \"{source}\"}}]}}";
        var request = "{\"groupId\": \"sg-0abc\", \"ipPermissions\": {\"items\": [{\"ipProtocol\": \"" + protocol + "\", " + ports + ranges + "}]}}";
        return Detectors.PublicSsh.Detect(TestRecords.Ec2("AuthorizeSecurityGroupIngress", request), GuardPolicy.Default);
    }

    [Theory]
    [InlineData("0.0.0.0/00")]
    [InlineData("000.000.000.000/0")]
    [InlineData("00.0.0.0/0")]
    [InlineData("0/0")]
    [InlineData("0x0.0.0.0/0")]
    [InlineData("0.0.0.0/+0")]
    public void A_cidr_EC2_refuses_as_malformed_like_0_0_0_0_slash_00_is_not_a_finding(string cidr) =>
        Assert.IsType<DetectionOutcome.Benign>(Ingress("tcp", "22", "22", cidr));

    [Fact]
    public void A_source_spelled_oddly_in_the_request_but_stored_by_AWS_as_0_0_0_0_slash_0_is_revoked_by_its_rule_id()
    {
        const string request = """{"groupId": "sg-0abc", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": {"items": [{"cidrIp": "000.000.000.000/0"}]}}]}}""";
        const string response = """{"_return": true, "securityGroupRuleSet": {"items": [{"groupId": "sg-0abc", "securityGroupRuleId": "sgr-0odd", "isEgress": false, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"}]}}""";

        var outcome = Detectors.PublicSsh.Detect(TestRecords.Ec2("AuthorizeSecurityGroupIngress", request, response), GuardPolicy.Default);

        var plan = Assert.IsType<RevokeIngressRules>(Assert.IsType<DetectionOutcome.Detected>(outcome).Finding.Revert);
        Assert.Equal("sgr-0odd", Assert.Single(plan.Rules).RuleId);
    }

    [Theory]
    [InlineData(" 0.0.0.0/0")]
    [InlineData("0.0.0.0/0 ")]
    [InlineData("0.0.0.0 /0")]
    [InlineData("0.0.0.0/0\\n")]
    public void A_cidr_of_0_0_0_0_slash_0_with_spaces_is_malformed_and_not_a_finding(string cidr) =>
        Assert.IsType<DetectionOutcome.Benign>(Ingress("tcp", "22", "22", cidr));

    [Theory]
    [InlineData("::0/0")]
    [InlineData("0:0:0:0:0:0:0:0/0")]
    [InlineData("::/0")]
    public void A_cidr_of_colon_colon_0_slash_0_is_the_whole_ipv6_internet_and_a_finding(string cidr) =>
        Assert.IsType<DetectionOutcome.Detected>(Ingress("tcp", "22", "22", cidr, ipv6: true));

    [Fact]
    public void An_ipv4_cidr_with_host_bits_under_slash_0_is_stored_by_EC2_as_0_0_0_0_slash_0_and_is_a_finding() =>
        Assert.IsType<DetectionOutcome.Detected>(Ingress("tcp", "22", "22", "10.1.2.3/0"));

    [Fact]
    public void An_ipv6_range_written_in_the_ipv4_field_is_malformed_and_not_a_finding() =>
        Assert.IsType<DetectionOutcome.Benign>(Ingress("tcp", "22", "22", "::/0"));

    [Fact]
    public void An_ipv4_range_written_in_the_ipv6_field_is_malformed_and_not_a_finding() =>
        Assert.IsType<DetectionOutcome.Benign>(Ingress("tcp", "22", "22", "0.0.0.0/0", ipv6: true));

    [Theory]
    [InlineData("::%eth0/0")]
    [InlineData("[::]/0")]
    [InlineData("::/00")]
    public void An_ipv6_cidr_with_a_zone_brackets_or_a_padded_prefix_is_malformed_and_not_a_finding(string cidr) =>
        Assert.IsType<DetectionOutcome.Benign>(Ingress("tcp", "22", "22", cidr, ipv6: true));

    [Theory]
    [InlineData("-1", "-1")]
    [InlineData("22", "65536")]
    [InlineData("-2", "22")]
    [InlineData("23", "22")]
    [InlineData(null, null)]
    [InlineData("22.0", "22.0")]
    [InlineData("\" 22\"", "\" 22\"")]
    public void A_tcp_rule_without_a_port_range_EC2_accepts_is_not_a_finding(string? from, string? to) =>
        Assert.IsType<DetectionOutcome.Benign>(Ingress("tcp", from, to, "0.0.0.0/0"));

    [Theory]
    [InlineData("tcp")]
    [InlineData("TCP")]
    [InlineData("6")]
    [InlineData("-1")]
    [InlineData("all")]
    public void Protocol_names_and_numbers_for_tcp_and_all_traffic_with_port_22_are_findings(string protocol) =>
        Assert.IsType<DetectionOutcome.Detected>(Ingress(protocol, "\"22\"", "22", "0.0.0.0/0"));

    [Theory]
    [InlineData(" tcp")]
    [InlineData("06")]
    [InlineData("17")]
    public void Other_protocols_or_padded_protocol_names_are_not_findings(string protocol) =>
        Assert.IsType<DetectionOutcome.Benign>(Ingress(protocol, "22", "22", "0.0.0.0/0"));

    [Fact]
    public void A_permission_without_a_protocol_is_not_read_as_all_traffic()
    {
        var request = """{"groupId": "sg-0abc", "ipPermissions": {"items": [{"ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}""";
        Assert.IsType<DetectionOutcome.Benign>(Detectors.PublicSsh.Detect(TestRecords.Ec2("AuthorizeSecurityGroupIngress", request), GuardPolicy.Default));
    }

    [Fact]
    public void An_ingress_event_naming_no_security_group_is_not_a_finding()
    {
        var request = """{"ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}""";
        Assert.IsType<DetectionOutcome.Benign>(Detectors.PublicSsh.Detect(TestRecords.Ec2("AuthorizeSecurityGroupIngress", request), GuardPolicy.Default));
    }

    [Fact]
    public void A_lone_surrogate_in_a_group_id_reads_as_absent_instead_of_crashing_the_guard()
    {
        var json = Sample("ssh/risky-authorize-ipv4-22.json").Replace("\"groupId\": \"sg-0f3a9c2d7b1e45a01\"", "\"groupId\": \"sg-\\ud800\"");
        var record = Assert.IsType<GuardInput.Event>(GuardInput.Parse(json)).Record;
        // Request and response both lose their group: no group is named, so nothing can be reverted.
        Assert.IsType<DetectionOutcome.Benign>(Detectors.PublicSsh.Detect(record, GuardPolicy.Default));
    }

    [Fact]
    public void A_lone_surrogate_in_the_event_id_is_invalid_input()
    {
        var json = Sample("ssh/risky-authorize-ipv4-22.json").Replace("ce580ab5-fe7c-5c3d-8641-2f74df2d25ef", "\\udc00");
        Assert.Equal("detail.eventID", Assert.IsType<GuardInput.Invalid>(GuardInput.Parse(json)).Field);
    }

    [Fact]
    public void A_revert_request_whose_plan_has_no_kind_is_invalid_input_not_a_crash()
    {
        var request = JsonNode.Parse(RevertRequest())!;
        request["revert"]!["revert"]!.AsObject().Remove("kind");
        Assert.IsType<GuardInput.Invalid>(GuardInput.Parse(request.ToJsonString()));
    }

    [Theory]
    [InlineData("severity", "22")]
    [InlineData("severity", "\"22\"")]
    [InlineData("risk", "0")]
    public void A_revert_request_with_an_enum_written_as_a_number_is_invalid_input_not_a_crash(string field, string value)
    {
        var request = JsonNode.Parse(RevertRequest())!;
        request["revert"]![field] = JsonNode.Parse(value);
        Assert.IsType<GuardInput.Invalid>(GuardInput.Parse(request.ToJsonString()));
    }

    [Theory]
    [InlineData("id", "\"other-event:public-ssh\"")]
    [InlineData("id", "\"\"")]
    [InlineData("summary", "null")]
    [InlineData("resource", "null")]
    public void A_revert_request_whose_finding_is_not_one_a_guard_made_is_invalid_input(string field, string value)
    {
        var request = JsonNode.Parse(RevertRequest())!;
        request["revert"]![field] = JsonNode.Parse(value);
        Assert.IsType<GuardInput.Invalid>(GuardInput.Parse(request.ToJsonString()));
    }

    [Fact]
    public void A_revert_request_with_a_lone_surrogate_in_its_summary_is_invalid_input_not_a_crash_when_written_back() =>
        Assert.IsType<GuardInput.Invalid>(GuardInput.Parse(RevertRequest().Replace("\"summary\":\"", "\"summary\":\"\\udc00\\ud800x", StringComparison.Ordinal)));

    [Fact]
    public void An_instance_id_written_as_a_number_is_no_instance_to_stop()
    {
        var json = Sample("instance/risky-run-m5-24xlarge.json").Replace("\"i-0", "1234567, \"was\": \"i-0", StringComparison.Ordinal);
        var record = Assert.IsType<GuardInput.Event>(GuardInput.Parse(json)).Record;

        var finding = Assert.IsType<DetectionOutcome.Detected>(Detectors.OversizedInstance.Detect(record, GuardPolicy.Default)).Finding;

        Assert.IsType<NothingToRestore>(finding.Revert);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1000)]
    public void Nesting_deeper_than_the_readers_limit_of_64_is_invalid_input(int depth)
    {
        var json = Sample("ssh/risky-authorize-ipv4-22.json").Replace("\"groups\": {}", "\"groups\": " + HostileJson.Nested(depth));
        Assert.Equal("$", Assert.IsType<GuardInput.Invalid>(GuardInput.Parse(json)).Field);
    }

    private static string Sample(string name) => HostileJson.Samples.Single(sample => sample.Name == name).Json;

    private static string RevertRequest()
    {
        var record = Assert.IsType<GuardInput.Event>(GuardInput.Parse(Sample("ssh/risky-authorize-ipv4-22.json"))).Record;
        var finding = Assert.IsType<DetectionOutcome.Detected>(Detectors.PublicSsh.Detect(record, GuardPolicy.Default)).Finding;
        return FindingJson.SerializeRevertRequest(finding);
    }
}
