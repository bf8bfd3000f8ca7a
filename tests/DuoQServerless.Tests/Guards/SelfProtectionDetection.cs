using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Tests.Guards;

/// <summary>Changes to DuoQ's own resources are critical whoever made them; the same calls on anyone
/// else's resources are not the self guard's business.</summary>
public class SelfProtectionDetection
{
    private const string Rule = "duoq-serverless-SshGuardFunctionCloudTrail-1K2L3M4N5O6P";
    private const string Function = "duoq-serverless-ssh-guard";

    private static CloudTrailRecord Call(string service, string eventName, string request, string? errorCode = null,
        string actorArn = TestRecords.AgentArn, string? issuerArn = TestRecords.AgentRoleArn) =>
        TestRecords.Record($"{service}.amazonaws.com", eventName, request, errorCode: errorCode, actorArn: actorArn, issuerArn: issuerArn);

    private static Finding Found(DetectionOutcome outcome) => Assert.IsType<DetectionOutcome.Detected>(outcome).Finding;

    private static GuardPolicy Policy(string yaml) => Assert.IsType<PolicyLoad.Loaded>(GuardPolicy.Parse(yaml)).Policy;

    [Fact]
    public void A_disabled_DuoQ_rule_is_a_critical_finding_whose_revert_enables_it_again()
    {
        var finding = Found(Detectors.SelfProtection.Detect(Call("events", "DisableRule", $$"""{"name": "{{Rule}}"}"""), GuardPolicy.Default));

        Assert.Equal(Risk.SelfProtection, finding.Risk);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(new EnableRule(Rule, null), finding.Revert);
        Assert.Equal(("AWS::Events::Rule", Rule), (finding.Resource.Type, finding.Resource.Id));
    }

    [Theory]
    [InlineData("events", "DisableRule", """{"name": "orders-nightly-export"}""")]
    [InlineData("events", "RemoveTargets", """{"rule": "orders-nightly-export", "ids": ["export"]}""")]
    [InlineData("lambda", "UpdateFunctionConfiguration20150331v2", """{"functionName": "orders-api", "memorySize": 512}""")]
    [InlineData("lambda", "PutFunctionConcurrency20171031", """{"functionName": "arn:aws:lambda:us-east-1:123456789012:function:orders-export", "reservedConcurrentExecutions": 0}""")]
    [InlineData("iam", "DetachRolePolicy", """{"roleName": "ci-deployer", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}""")]
    [InlineData("sns", "DeleteTopic", """{"topicArn": "arn:aws:sns:us-east-1:123456789012:orders-alerts"}""")]
    [InlineData("dynamodb", "DeleteTable", """{"tableName": "orders-sessions"}""")]
    public void The_same_call_on_someone_elses_resource_is_benign(string service, string eventName, string request) =>
        Assert.IsType<DetectionOutcome.Benign>(Detectors.SelfProtection.Detect(Call(service, eventName, request), GuardPolicy.Default));

    [Theory]
    [InlineData("duoq-serverless-rds-guard")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:duoq-serverless-rds-guard")]
    [InlineData("123456789012:function:duoq-serverless-rds-guard")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:duoq-serverless-rds-guard:live")]
    public void A_DuoQ_function_is_recognised_by_name_full_arn_partial_arn_or_qualified_arn(string functionName)
    {
        var finding = Found(Detectors.SelfProtection.Detect(Call("lambda", "DeleteFunction20150331", $$"""{"functionName": "{{functionName}}"}"""), GuardPolicy.Default));
        Assert.Equal("duoq-serverless-rds-guard", finding.Resource.Id);
    }

    [Fact]
    public void Reserved_concurrency_zero_turns_a_guard_off_and_the_finding_says_how_to_turn_it_on_again()
    {
        var finding = Found(Detectors.SelfProtection.Detect(
            Call("lambda", "PutFunctionConcurrency20171031", $$"""{"functionName": "{{Function}}", "reservedConcurrentExecutions": 0}"""), GuardPolicy.Default));

        Assert.Equal($"Lambda function {Function} disabled: reserved concurrency set to 0", finding.Summary);
        var plan = Assert.IsType<NothingToRestore>(finding.Revert);
        Assert.Contains($"aws lambda delete-function-concurrency --function-name {Function}", plan.Reason);
    }

    [Fact]
    public void A_principal_the_policy_exempts_is_still_reverted()
    {
        var policy = Policy("""
            exemptions:
              principals: ["arn:aws:sts::*:assumed-role/QDeveloperAccess/*"]
            """);
        var finding = Found(Detectors.SelfProtection.Detect(Call("events", "DisableRule", $$"""{"name": "{{Rule}}"}"""), policy));

        var decision = Decider.Decide(finding, policy, new Dictionary<string, string>(), dryRun: false);

        Assert.Equal(new Decision.Revert(new EnableRule(Rule, null), DryRun: false), decision);
    }

    [Fact]
    public void A_resource_carrying_the_exemption_tag_is_still_reverted()
    {
        var finding = Found(Detectors.SelfProtection.Detect(Call("events", "DisableRule", $$"""{"name": "{{Rule}}"}"""), GuardPolicy.Default));

        var decision = Decider.Decide(finding, GuardPolicy.Default, new Dictionary<string, string> { ["duoq:exempt"] = "true" }, dryRun: false);

        Assert.IsType<Decision.Revert>(decision);
    }

    [Fact]
    public void The_deployer_is_reported_too()
    {
        var record = Call("iam", "PutRolePolicy", """{"roleName": "duoq-serverless-IamGuardFunctionRole-9C0D", "policyName": "IamGuardFunctionRolePolicy0", "policyDocument": "{}"}""",
            actorArn: "arn:aws:sts::123456789012:assumed-role/cfn-deployer/AWSCloudFormation", issuerArn: "arn:aws:iam::123456789012:role/cfn-deployer");
        var finding = Found(Detectors.SelfProtection.Detect(record, GuardPolicy.Default));

        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains("sam deploy", Assert.IsType<NothingToRestore>(finding.Revert).Reason); // a deploy's own change is never undone
    }

    [Fact]
    public void A_dry_run_holds_back_the_revert_but_not_the_critical_notification()
    {
        var finding = Found(Detectors.SelfProtection.Detect(Call("events", "DisableRule", $$"""{"name": "{{Rule}}"}"""), GuardPolicy.Default));
        var decision = Decider.Decide(finding, GuardPolicy.Default with { DryRun = true }, new Dictionary<string, string>(), dryRun: false);

        var notification = NotificationComposer.Compose(finding, decision, new ActionResult.NotTaken());

        Assert.Equal(new Decision.Revert(new EnableRule(Rule, null), DryRun: true), decision);
        Assert.StartsWith("[DuoQ] CRITICAL Would revert", notification.Subject);
        Assert.Equal("critical", notification.Attributes["severity"]);
        Assert.Equal("self-protection", notification.Attributes["risk"]);
    }

    [Fact]
    public void The_guards_own_calls_are_not_echoed()
    {
        var record = Call("events", "DisableRule", $$"""{"name": "{{Rule}}"}""",
            actorArn: "arn:aws:sts::123456789012:assumed-role/duoq-serverless-SelfGuardFunctionRole-1/duoq-serverless-self-guard",
            issuerArn: "arn:aws:iam::123456789012:role/duoq-serverless-SelfGuardFunctionRole-1");
        var finding = Found(Detectors.SelfProtection.Detect(record, GuardPolicy.Default));

        var decision = Decider.Decide(finding, GuardPolicy.Default, new Dictionary<string, string>(), dryRun: false);

        Assert.Equal(IgnoreReason.OwnRevert, Assert.IsType<Decision.Ignore>(decision).Reason);
    }

    [Fact]
    public void A_refused_call_is_recorded_as_attempted_never_reverted()
    {
        var outcome = Detectors.SelfProtection.Detect(Call("events", "DisableRule", $$"""{"name": "{{Rule}}"}""", errorCode: "AccessDeniedException"), GuardPolicy.Default);

        Assert.Equal(Severity.Critical, Assert.IsType<DetectionOutcome.FailedCall>(outcome).Attempted.Severity);
    }

    [Fact]
    public void The_policy_names_the_stacks_own_resources()
    {
        var policy = Policy("""
            selfResources: ["guardrails-*"]
            """);
        var record = Call("events", "DisableRule", """{"name": "guardrails-SshGuardFunctionCloudTrail-1"}""");

        Assert.IsType<DetectionOutcome.Detected>(Detectors.SelfProtection.Detect(record, policy));
        Assert.IsType<DetectionOutcome.Benign>(Detectors.SelfProtection.Detect(Call("events", "DisableRule", $$"""{"name": "{{Rule}}"}"""), policy));
    }

    [Theory]
    [InlineData("mode: off", "risks.self-protection.mode")]
    [InlineData("mode: approve", "risks.self-protection.mode")]
    [InlineData("exemptions: {principals: []}", "risks.self-protection.exemptions")]
    public void The_policy_block_takes_only_revert_or_notify_and_no_exemptions(string setting, string field)
    {
        var rejected = Assert.IsType<PolicyLoad.Rejected>(GuardPolicy.Parse($"risks:\n  self-protection:\n    {setting}\n"));
        Assert.Contains(rejected.Errors, error => error.Path == field);
    }

    [Fact]
    public void Notify_mode_reports_without_reverting()
    {
        var policy = Policy("risks:\n  self-protection:\n    mode: notify\n");
        var finding = Found(Detectors.SelfProtection.Detect(Call("events", "DisableRule", $$"""{"name": "{{Rule}}"}"""), policy));

        Assert.Equal(new Decision.Notify(DryRun: false), Decider.Decide(finding, policy, new Dictionary<string, string>(), dryRun: false));
    }

    [Fact]
    public void The_rule_delivers_only_calls_naming_the_stacks_resources()
    {
        var pattern = System.Text.Json.Nodes.JsonNode.Parse(EventRulePattern.For(Detectors.SelfProtection, stackPrefix: "duoq-serverless-"))!;
        var filters = pattern["detail"]!["$or"]!.AsArray();

        Assert.Equal(Detectors.SelfProtection.RuleNameFilters.Count, filters.Count);
        Assert.Contains(filters, filter => filter!["requestParameters"]!["functionName"] is { } function
            && function.ToJsonString().Contains("*:function:duoq-serverless-*", StringComparison.Ordinal));
    }
}
