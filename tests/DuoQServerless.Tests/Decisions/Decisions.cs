using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;
using DuoQServerless.Tests.Findings;

namespace DuoQServerless.Tests.Decisions;

public class Decisions
{
    private static readonly Dictionary<string, string> NoTags = new();
    private static readonly RevertPlan Plan = new RevokeIngressRules(new SecurityGroupRef("sg-0abc", null), [new IngressRule("sgr-1", "tcp", 22, 22, "0.0.0.0/0", null)]);

    private static GuardPolicy Policy(string yaml) => Assert.IsType<PolicyLoad.Loaded>(GuardPolicy.Parse(yaml)).Policy;

    private static Decision Decide(Finding finding, GuardPolicy? policy = null, Dictionary<string, string>? tags = null, bool dryRun = false) =>
        Decider.Decide(finding, policy ?? GuardPolicy.Default, tags ?? NoTags, dryRun);

    [Fact]
    public void Public_ssh_is_reverted_by_default_with_the_findings_plan() =>
        Assert.Equal(new Decision.Revert(Plan, false), Decide(FindingSamples.With(Plan)));

    [Fact]
    public void Iam_changes_go_to_approval_with_the_policys_timeout()
    {
        var decision = Decide(FindingSamples.With(new RestoreTrustPolicy("ci"), Risk.IamChange));
        Assert.Equal(new Decision.Approve(TimeSpan.FromHours(24), TimeoutOutcome.Revert, false), decision);
        Assert.Equal("approve", decision.Action);
    }

    [Theory]
    [InlineData("revert", "revert")]
    [InlineData("approve", "approve")]
    [InlineData("notify", "notify")]
    [InlineData("off", "ignore")]
    public void The_risks_mode_decides_the_action(string mode, string action) =>
        Assert.Equal(action, Decide(FindingSamples.With(Plan), Policy($"risks: {{ public-ssh: {{ mode: {mode} }} }}")).Action);

    [Fact]
    public void A_resource_tagged_exempt_is_ignored_and_says_which_tag()
    {
        var ignore = Assert.IsType<Decision.Ignore>(Decide(FindingSamples.With(Plan), tags: new() { ["duoq:exempt"] = "true" }));
        Assert.Equal(IgnoreReason.ExemptByTag, ignore.Reason);
        Assert.Contains("duoq:exempt=true", ignore.Detail);
    }

    [Theory]
    [InlineData("duoq:exempt", "false")]
    [InlineData("duoq:exempt", "TRUE")]
    [InlineData("DuoQ:Exempt", "true")]
    public void Only_the_exact_tag_and_value_exempt(string key, string value) =>
        Assert.IsType<Decision.Revert>(Decide(FindingSamples.With(Plan), tags: new() { [key] = value }));

    [Fact]
    public void Tags_the_event_itself_set_exempt_too()
    {
        var finding = FindingSamples.With(new StopInstances(["i-01"]), Risk.OversizedInstance);
        finding = finding with { Resource = finding.Resource with { Tags = new Dictionary<string, string> { ["duoq:exempt"] = "true" } } };
        Assert.Equal(IgnoreReason.ExemptByTag, Assert.IsType<Decision.Ignore>(Decide(finding)).Reason);
    }

    [Fact]
    public void An_exempt_principal_pattern_matches_the_role_behind_the_session()
    {
        var policy = Policy("""exemptions: { principals: ["arn:aws:iam::123456789012:role/QDeveloper*"] }""");
        Assert.Equal(IgnoreReason.ExemptByPrincipal, Assert.IsType<Decision.Ignore>(Decide(FindingSamples.With(Plan), policy)).Reason);
    }

    [Fact]
    public void A_change_made_by_a_guard_role_is_its_own_revert_and_ignored_whatever_the_mode()
    {
        var finding = FindingSamples.With(Plan, actorArn: "arn:aws:sts::123456789012:assumed-role/duoq-ssh-guard/duoq-ssh-guard");
        var ignore = Assert.IsType<Decision.Ignore>(Decide(finding, Policy("risks: { public-ssh: { mode: notify } }")));
        Assert.Equal(IgnoreReason.OwnRevert, ignore.Reason);
    }

    [Fact]
    public void A_dry_run_from_the_caller_or_the_policy_marks_what_would_have_been_done()
    {
        var fromCaller = Decide(FindingSamples.With(Plan), dryRun: true);
        var fromPolicy = Decide(FindingSamples.With(Plan), Policy("dryRun: true"));
        Assert.Equal(new Decision.Revert(Plan, true), fromCaller);
        Assert.Equal(new Decision.Revert(Plan, true), fromPolicy);
        Assert.StartsWith("dry run, would revert: revoke tcp 22 from 0.0.0.0/0 (sgr-1) on sg-0abc", fromCaller.Describe());
        Assert.True(Decide(FindingSamples.With(new RestoreTrustPolicy("ci"), Risk.IamChange), dryRun: true).DryRun);
    }

    [Fact]
    public void Exemptions_still_apply_in_a_dry_run() =>
        Assert.IsType<Decision.Ignore>(Decide(FindingSamples.With(Plan), tags: new() { ["duoq:exempt"] = "true" }, dryRun: true));

    [Fact]
    public void A_risk_block_can_change_the_approval_timeout_and_its_meaning()
    {
        var policy = Policy("risks: { rds-delete: { approval: { timeout: 30m, onTimeout: approve } } }");
        var decision = Assert.IsType<Decision.Approve>(Decide(FindingSamples.With(new NothingToRestore("x"), Risk.RdsDelete), policy));
        Assert.Equal(TimeSpan.FromMinutes(30), decision.Timeout);
        Assert.Equal(TimeoutOutcome.Approve, decision.OnTimeout);
    }
}
