using System.Text.Json.Nodes;
using Amazon;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2.Model;
using Amazon.SQS.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Cli;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.Cli;

/// <summary>`duoq replay` against the emulator: the events of events/, with their resource ids
/// replaced by the emulator's, go through the real guard handlers via the Lambda runtime path.</summary>
public sealed class ReplaySpecs(MotoFixture moto) : MotoTest(moto), IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("duoq-replay-").FullName;
    private AwsClientFactory _aws = null!;
    private EmulatorStack _stack = null!;
    private string _inbox = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _aws = new AwsClientFactory(new AwsSettings { Region = RegionEndpoint.USEast1, EndpointOverride = Endpoint, Credentials = TestCredentials.Default });
        _stack = await EmulatorStack.EnsureAsync(_aws, CancellationToken.None);
        _inbox = (await _aws.Sqs.CreateQueueAsync("inbox")).QueueUrl;
        var inboxArn = (await _aws.Sqs.GetQueueAttributesAsync(_inbox, ["QueueArn"])).QueueARN;
        await _aws.Sns.SubscribeAsync(new SubscribeRequest(_stack.TopicArn, "sqs", inboxArn));
    }

    public void Dispose()
    {
        _aws.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task The_world_open_SSH_rule_is_revoked_while_the_office_rule_and_HTTPS_in_the_same_request_stay()
    {
        var (groupId, ids) = await SeedMultiRuleGroupAsync();
        var sample = Rewrite("ssh/risky-multi-rule-one-risky.json", ids);

        var (exit, lines, _) = await ReplayAsync(sample);

        Assert.Equal(0, exit);
        var line = Assert.Single(lines);
        Assert.Equal("public-ssh", line["risk"]!.GetValue<string>());
        Assert.Equal("revert", line["decision"]!.GetValue<string>());
        Assert.Equal("done", line["status"]!.GetValue<string>());
        var rules = await IngressRulesAsync(groupId);
        Assert.DoesNotContain(rules, r => r.FromPort == 22 && r.CidrIpv4 == "0.0.0.0/0");
        Assert.Contains(rules, r => r.FromPort == 22 && r.CidrIpv4 == "198.51.100.0/24");
        Assert.Contains(rules, r => r.FromPort == 443 && r.CidrIpv4 == "0.0.0.0/0");
        var mail = Assert.Single(await InboxAsync());
        Assert.StartsWith("[DuoQ] Reverted", mail["Subject"]!.GetValue<string>());
        Assert.Contains(groupId, mail["Subject"]!.GetValue<string>() + mail["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_event_delivered_three_times_acts_once_and_is_recorded_once()
    {
        var (_, ids) = await SeedMultiRuleGroupAsync();
        var sample = Rewrite("ssh/risky-multi-rule-one-risky.json", ids);

        var (_, lines, _) = await ReplayAsync(sample, sample, sample);

        Assert.Equal(["done", "duplicate", "duplicate"], lines.Select(l => l["status"]!.GetValue<string>()));
        var items = await _aws.DynamoDb.ScanAsync(new ScanRequest(_stack.AuditTable));
        Assert.Single(items.Items, i => i.ContainsKey("risk"));
        Assert.Single(await InboxAsync());
    }

    [Fact]
    public async Task A_dry_run_reports_what_it_would_revoke_and_changes_nothing()
    {
        var (groupId, ids) = await SeedMultiRuleGroupAsync();
        var sample = Rewrite("ssh/risky-multi-rule-one-risky.json", ids);

        var (_, lines, _) = await ReplayAsync(["--dry-run", sample]);

        var line = Assert.Single(lines);
        Assert.Equal("would-revoke-ingress-rules", line["action"]!.GetValue<string>());
        Assert.Equal("not-taken", line["status"]!.GetValue<string>());
        Assert.Contains(await IngressRulesAsync(groupId), r => r.FromPort == 22 && r.CidrIpv4 == "0.0.0.0/0");
    }

    [Fact]
    public async Task A_group_tagged_exempt_keeps_its_rule()
    {
        var (groupId, ids) = await SeedMultiRuleGroupAsync();
        await _aws.Ec2.CreateTagsAsync(new CreateTagsRequest([groupId], [new Amazon.EC2.Model.Tag("duoq:exempt", "true")]));
        var sample = Rewrite("ssh/risky-multi-rule-one-risky.json", ids);

        var (_, lines, _) = await ReplayAsync(sample);

        Assert.Equal("ignore", Assert.Single(lines)["decision"]!.GetValue<string>());
        Assert.Contains(await IngressRulesAsync(groupId), r => r.FromPort == 22 && r.CidrIpv4 == "0.0.0.0/0");
    }

    [Fact]
    public async Task An_m5_24xlarge_launch_is_stopped_and_a_t3_micro_keeps_running()
    {
        var big = await RunInstanceAsync("m5.24xlarge");
        var small = await RunInstanceAsync("t3.micro");
        var risky = Rewrite("instance/risky-run-m5-24xlarge.json", new() { ["i-0c1d2e3f4a5b60002"] = big });

        var (_, lines, _) = await ReplayAsync(risky, RepoPaths.Of("events", "instance", "benign-run-t3-micro.json"));

        Assert.Equal("done", lines[0]["status"]!.GetValue<string>());
        Assert.Equal("benign", lines[1]["status"]!.GetValue<string>());
        Assert.Contains(await StateOfAsync(big), new[] { "stopping", "stopped" });
        Assert.Equal("running", await StateOfAsync(small));
        Assert.Contains("4.608", Assert.Single(await InboxAsync())["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_a_stack_it_uses_the_resources_the_stack_outputs_name_and_creates_nothing()
    {
        await Aws.Audit.AuditTable.EnsureExistsAsync(_aws.DynamoDb, "deployed-audit");
        var template = new JsonObject
        {
            ["Resources"] = new JsonObject { ["Placeholder"] = new JsonObject { ["Type"] = "AWS::SQS::Queue" } },
            ["Outputs"] = new JsonObject
            {
                ["AuditTableName"] = new JsonObject { ["Value"] = "deployed-audit" },
                ["FindingsTopicArn"] = new JsonObject { ["Value"] = _stack.TopicArn },
                ["ApprovalStateMachineArn"] = new JsonObject { ["Value"] = _stack.StateMachineArn },
            },
        };
        await _aws.QueryClient(Aws.Protocol.AwsService.CloudFormation).InvokeAsync("CreateStack",
            new Aws.Protocol.QueryParameters().Add("StackName", "duoq-prod").Add("TemplateBody", template.ToJsonString()));
        var (groupId, ids) = await SeedMultiRuleGroupAsync();

        var (exit, lines, _) = await ReplayAsync(["--stack", "duoq-prod", Rewrite("ssh/risky-multi-rule-one-risky.json", ids)]);
        var (unknownExit, _, error) = await ReplayAsync(["--stack", "no-such-stack", Rewrite("ssh/risky-multi-rule-one-risky.json", ids)]);

        Assert.Equal(0, exit);
        Assert.Equal("done", Assert.Single(lines)["status"]!.GetValue<string>());
        Assert.Single((await _aws.DynamoDb.ScanAsync(new ScanRequest("deployed-audit"))).Items, i => i.ContainsKey("risk"));
        Assert.DoesNotContain((await _aws.DynamoDb.ScanAsync(new ScanRequest(_stack.AuditTable))).Items, i => i.ContainsKey("risk"));
        Assert.Equal(2, unknownExit);
        Assert.Contains("no-such-stack", error);
    }

    [Fact]
    public async Task A_file_that_is_not_an_event_gets_its_own_invalid_line_and_exit_code_1_while_the_rest_still_run()
    {
        var garbage = Path.Combine(_dir, "garbage.json");
        await File.WriteAllTextAsync(garbage, "{\"detail\": {\"eventName\": 42");

        var (exit, lines, _) = await ReplayAsync(garbage, RepoPaths.Of("events", "ssh", "benign-authorize-office-cidr.json"));

        Assert.Equal(1, exit);
        Assert.Equal(["invalid", "benign"], lines.Select(l => l["status"]!.GetValue<string>()));
    }

    private Task<(int Exit, List<JsonNode> Lines, string Error)> ReplayAsync(params string[] files) =>
        ReplayAsync(files.AsEnumerable());

    private async Task<(int Exit, List<JsonNode> Lines, string Error)> ReplayAsync(IEnumerable<string> arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await DuoqCommand.RunAsync(["replay", "--endpoint", Endpoint.ToString(), .. arguments],
            new CliContext(output, error, new Dictionary<string, string?>(), _dir));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        return (exit, lines, error.ToString());
    }

    // The sample's group with the sample's three rules, added in one call as the event says.
    private async Task<(string GroupId, Dictionary<string, string> Ids)> SeedMultiRuleGroupAsync()
    {
        var groupId = (await _aws.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest("web", "replay spec"))).GroupId;
        await _aws.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = groupId,
            IpPermissions =
            [
                new IpPermission { IpProtocol = "tcp", FromPort = 443, ToPort = 443, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] },
                new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "198.51.100.0/24" }, new IpRange { CidrIp = "0.0.0.0/0" }] },
            ],
        });
        var rules = await IngressRulesAsync(groupId);
        string RuleId(int port, string cidr) => rules.Single(r => r.FromPort == port && r.CidrIpv4 == cidr).SecurityGroupRuleId;
        return (groupId, new Dictionary<string, string>
        {
            ["sg-0f3a9c2d7b1e45a01"] = groupId,
            ["sgr-0a11b22c33d44e506"] = RuleId(443, "0.0.0.0/0"),
            ["sgr-0a11b22c33d44e507"] = RuleId(22, "198.51.100.0/24"),
            ["sgr-0a11b22c33d44e508"] = RuleId(22, "0.0.0.0/0"),
        });
    }

    private string Rewrite(string sample, Dictionary<string, string> ids)
    {
        var json = File.ReadAllText(RepoPaths.Of("events", sample));
        foreach (var (from, to) in ids)
        {
            Assert.Contains(from, json);
            json = json.Replace(from, to, StringComparison.Ordinal);
        }
        var path = Path.Combine(_dir, Path.GetFileName(sample));
        File.WriteAllText(path, json);
        return path;
    }

    private async Task<List<SecurityGroupRule>> IngressRulesAsync(string groupId) =>
        (await _aws.Ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [groupId])] }))
            .SecurityGroupRules.Where(r => r.IsEgress != true).ToList();

    private async Task<string> RunInstanceAsync(string type) =>
        (await _aws.Ec2.RunInstancesAsync(new RunInstancesRequest("ami-12c6146b", 1, 1) { InstanceType = type })).Reservation.Instances[0].InstanceId;

    private async Task<string> StateOfAsync(string instanceId) =>
        (await _aws.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] })).Reservations[0].Instances[0].State.Name.Value;

    private async Task<List<JsonNode>> InboxAsync()
    {
        var received = await _aws.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(_inbox) { MaxNumberOfMessages = 10 });
        return (received.Messages ?? []).Select(m => JsonNode.Parse(m.Body)!).ToList();
    }
}
