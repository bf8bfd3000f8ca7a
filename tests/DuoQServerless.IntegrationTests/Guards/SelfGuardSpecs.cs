using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using Amazon;
using DuoQServerless.Aws.Sns;
using Amazon.SQS.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Events;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Cli;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Findings;
using DuoQServerless.Functions.Guards;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.Guards;

/// <summary>
/// The self guard end to end against moto: a DuoQ rule in moto's EventBridge is disabled, the
/// DisableRule sample goes through the self-guard function (the bootstrap's handler on the Lambda
/// runtime path, as `duoq replay` runs it), and the account shows the rule enabled again, the
/// audit table a critical finding, and the findings topic a critical message.
/// </summary>
public sealed class SelfGuardSpecs(MotoFixture moto) : MotoTest(moto), IDisposable
{
    private const string Rule = "duoq-serverless-SshGuardFunctionCloudTrail-1K2L3M4N5O6P";
    private static readonly JsonTypeInfo<JsonObject> Json = (JsonTypeInfo<JsonObject>)JsonSerializerOptions.Default.GetTypeInfo(typeof(JsonObject));
    private AwsClientFactory _aws = null!;
    private EmulatorStack _stack = null!;
    private string _inbox = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _aws = new AwsClientFactory(new AwsSettings { Region = RegionEndpoint.USEast1, EndpointOverride = Endpoint, Credentials = TestCredentials.Default });
        _stack = await EmulatorStack.EnsureAsync(_aws, CancellationToken.None);
        _inbox = (await _aws.Sqs.CreateQueueAsync("self-inbox")).QueueUrl;
        var inboxArn = (await _aws.Sqs.GetQueueAttributesAsync(_inbox, ["QueueArn"])).QueueARN;
        await _aws.Sns.SubscribeAsync(new SubscribeRequest(_stack.TopicArn, "sqs", inboxArn));
    }

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task A_disabled_DuoQ_rule_is_enabled_again_recorded_as_critical_and_notified_as_critical()
    {
        await CreateDisabledRuleAsync();

        var report = await RunSelfGuardAsync("self/risky-disable-rule.json", dryRun: false);

        Assert.Equal(("self-protection", "revert", GuardStatus.Done), (report.Risk, report.Decision, report.Status));
        Assert.Equal("ENABLED", (await Events().DescribeRuleAsync(new RuleRequest(Rule))).State);
        var audit = await new AuditStore(_aws.DynamoDb, _stack.AuditTable).GetAsync(report.FindingId!);
        Assert.Equal("critical", audit!.Severity);
        Assert.Equal("self-protection", audit.Risk);
        var mail = Assert.Single(await InboxAsync());
        Assert.StartsWith("[DuoQ] CRITICAL Reverted", mail["Subject"]!.GetValue<string>());
        Assert.Equal("critical", mail["MessageAttributes"]!["severity"]!["Value"]!.GetValue<string>());
        Assert.Contains($"enabled rule {Rule} again", mail["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dry_run_leaves_the_rule_disabled_but_still_sends_the_critical_notification()
    {
        await CreateDisabledRuleAsync();

        var report = await RunSelfGuardAsync("self/risky-disable-rule.json", dryRun: true);

        Assert.Equal("would-enable-rule", report.Action);
        Assert.Equal("DISABLED", (await Events().DescribeRuleAsync(new RuleRequest(Rule))).State);
        var mail = Assert.Single(await InboxAsync());
        Assert.StartsWith("[DuoQ] CRITICAL Would revert", mail["Subject"]!.GetValue<string>());
        Assert.Equal("critical", mail["MessageAttributes"]!["severity"]!["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_guard_switched_off_by_reserved_concurrency_zero_is_notified_with_the_command_that_undoes_it()
    {
        var report = await RunSelfGuardAsync("self/risky-put-function-concurrency-zero.json", dryRun: false);

        Assert.Equal(("self-protection", GuardStatus.NotTaken), (report.Risk, report.Status));
        var mail = Assert.Single(await InboxAsync());
        Assert.StartsWith("[DuoQ] CRITICAL Cannot restore", mail["Subject"]!.GetValue<string>());
        Assert.Contains("aws lambda delete-function-concurrency --function-name duoq-serverless-ssh-guard", mail["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Someone_elses_rule_disabled_is_left_alone_and_nobody_is_told()
    {
        var report = await RunSelfGuardAsync("self/benign-disable-rule-other.json", dryRun: false);

        Assert.Equal(GuardStatus.Benign, report.Status);
        Assert.Empty(await InboxAsync());
    }

    private EventBridgeClient Events() => new(_aws.JsonClient(AwsService.EventBridge));

    private async Task CreateDisabledRuleAsync()
    {
        var events = _aws.JsonClient(AwsService.EventBridge);
        await events.InvokeAsync("PutRule", new JsonObject { ["Name"] = Rule, ["EventPattern"] = """{"source":["aws.ec2"]}""", ["State"] = "ENABLED" }, Json, Json);
        await events.InvokeAsync("DisableRule", new JsonObject { ["Name"] = Rule }, Json, Json);
        Assert.Equal("DISABLED", (await Events().DescribeRuleAsync(new RuleRequest(Rule))).State);
    }

    private async Task<GuardReport> RunSelfGuardAsync(string sample, bool dryRun)
    {
        var json = File.ReadAllText(RepoPaths.Of("events", sample));
        Assert.IsType<ParseOutcome.Parsed>(CloudTrailParser.Parse(json));
        await using var guards = new LocalGuards(_stack.FunctionEnvironment(Endpoint, dryRun));
        var result = await guards.InvokeAsync(Guard.Self, json, CancellationToken.None);
        Assert.True(result.Succeeded, result.Body.GetRawText());
        return result.Body.Deserialize(GuardJson.Default.GuardReport)!;
    }

    private async Task<List<JsonNode>> InboxAsync()
    {
        var received = await _aws.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(_inbox) { MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
        return (received.Messages ?? []).Select(m => JsonNode.Parse(m.Body)!).ToList();
    }
}
