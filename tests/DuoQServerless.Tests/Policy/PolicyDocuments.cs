using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;
using DuoQServerless.Tests.Guards;

namespace DuoQServerless.Tests.Policy;

public class PolicyDocuments
{
    private static GuardPolicy Loaded(string text) => Assert.IsType<PolicyLoad.Loaded>(GuardPolicy.Parse(text)).Policy;

    private static IReadOnlyList<PolicyError> Errors(string text) => Assert.IsType<PolicyLoad.Rejected>(GuardPolicy.Parse(text)).Errors;

    [Fact]
    public void The_bundled_default_has_the_documented_modes_and_thresholds()
    {
        var policy = GuardPolicy.Default;
        Assert.Equal(PolicyMode.Revert, policy.For(Risk.PublicSsh).Mode);
        Assert.Equal(PolicyMode.Revert, policy.For(Risk.RdsDeletionProtectionOff).Mode);
        Assert.Equal(PolicyMode.Approve, policy.For(Risk.RdsDelete).Mode);
        Assert.Equal(PolicyMode.Approve, policy.For(Risk.IamChange).Mode);
        Assert.Equal(PolicyMode.Revert, policy.For(Risk.OversizedInstance).Mode);
        Assert.Equal(new ExemptionTag("duoq:exempt", "true"), policy.For(Risk.PublicSsh).Exemptions.Tag);
        Assert.Equal(new ApprovalSettings(TimeSpan.FromHours(24), TimeoutOutcome.Revert), policy.For(Risk.IamChange).Approval);
        Assert.Equal("QDeveloperAccess", policy.ProtectedRole);
        Assert.Equal(1.00m, policy.OversizedInstance.MaxHourlyUsd);
        Assert.False(policy.DryRun);
    }

    [Fact]
    public void An_empty_document_means_exactly_the_bundled_default()
    {
        foreach (var empty in new[] { "", "{}", "# nothing\n" })
            Assert.Equal(FindingShape(GuardPolicy.Default), FindingShape(Loaded(empty)));
    }

    [Fact]
    public void The_copy_at_policy_default_yaml_is_the_bundled_default_word_for_word()
    {
        var copy = Path.Combine(Path.GetDirectoryName(EventsFolder.Path)!, "policy", "default.yaml");
        Assert.Equal(File.ReadAllText(copy), GuardPolicy.DefaultDocument);
    }

    [Fact]
    public void Json_documents_are_read_like_yaml()
    {
        var policy = Loaded("""
            {
            	"dryRun": true,
            	"risks": {"public-ssh": {"mode": "notify", "ports": [22, 3389]}, "iam-change": {"approval": {"timeout": "2h", "onTimeout": "approve"}}}
            }
            """);
        Assert.True(policy.DryRun);
        Assert.Equal(PolicyMode.Notify, policy.For(Risk.PublicSsh).Mode);
        Assert.Equal([22, 3389], policy.PublicSsh.Ports);
        Assert.Equal(new ApprovalSettings(TimeSpan.FromHours(2), TimeoutOutcome.Approve), policy.For(Risk.IamChange).Approval);
        Assert.Equal(TimeSpan.FromHours(24), policy.For(Risk.RdsDelete).Approval.Timeout);
    }

    [Fact]
    public void A_risk_block_sets_its_own_tag_and_adds_principals_to_the_global_ones()
    {
        var policy = Loaded("""
            exemptions:
              principals: ["arn:aws:iam::123456789012:role/platform-admin"]
            risks:
              oversized-instance:
                exemptions:
                  tag: { key: cost-approved, value: "yes" }
                  principals: ["arn:aws:iam::123456789012:role/ml-*"]
            """);
        var instance = policy.For(Risk.OversizedInstance).Exemptions;
        Assert.Equal(new ExemptionTag("cost-approved", "yes"), instance.Tag);
        Assert.Equal(["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:role/ml-*"], instance.Principals);
        Assert.Equal(new ExemptionTag("duoq:exempt", "true"), policy.For(Risk.PublicSsh).Exemptions.Tag);
        Assert.Single(policy.For(Risk.PublicSsh).Exemptions.Principals);
    }

    [Fact]
    public void The_report_lists_access_keys_older_than_90_days_unless_the_iam_change_block_says_otherwise()
    {
        Assert.Equal(90, GuardPolicy.Default.IamChange.AccessKeyMaxAgeDays);
        Assert.Equal(30, Loaded("risks: { iam-change: { accessKeyMaxAgeDays: 30 } }").IamChange.AccessKeyMaxAgeDays);
    }

    [Theory]
    [InlineData("risks: { public-ssh: { mode: block } }", "risks.public-ssh.mode", "valid: revert, approve, notify, off")]
    [InlineData("risks: { public-ssh: { prots: [22] } }", "risks.public-ssh.prots", "valid keys: mode, exemptions, approval, ports, ipv4WiderThan, ipv6WiderThan")]
    [InlineData("risks: { public-sh: { mode: off } }", "risks.public-sh", "valid keys: public-ssh, rds-deletion-protection-off, rds-delete, iam-change, oversized-instance")]
    [InlineData("dryrun: true", "dryrun", "valid keys: version, dryRun,")]
    [InlineData("dryRun: maybe", "dryRun", "valid: true, false")]
    [InlineData("approval: { timeout: 1 week }", "approval.timeout", "e.g. 24h")]
    [InlineData("approval: { onTimeout: ignore }", "approval.onTimeout", "valid: revert, approve")]
    [InlineData("risks: { public-ssh: { ports: [22, 70000] } }", "risks.public-ssh.ports[1]", "from 1 to 65535")]
    [InlineData("risks: { public-ssh: { ipv4WiderThan: 0 } }", "risks.public-ssh.ipv4WiderThan", "from 1 to 32")]
    [InlineData("risks: { oversized-instance: { maxHourlyUsd: cheap } }", "risks.oversized-instance.maxHourlyUsd", "not a number")]
    [InlineData("risks: { oversized-instance: { denyPatterns: [\"P3.*\"] } }", "risks.oversized-instance.denyPatterns[0]", "instance type pattern")]
    [InlineData("risks: { iam-change: { minSessionDuration: 60 } }", "risks.iam-change.minSessionDuration", "from 3600 to 43200")]
    [InlineData("risks: { iam-change: { accessKeyMaxAgeDays: 0 } }", "risks.iam-change.accessKeyMaxAgeDays", "from 1 to 3650")]
    [InlineData("selfPrincipals: [\"duoq-*\"]", "selfPrincipals[0]", "must start with 'arn:'")]
    [InlineData("reportRegions: [us-east]", "reportRegions[0]", "region name")]
    [InlineData("protectedRole: \"Q Role\"", "protectedRole", "IAM role name")]
    [InlineData("exemptions: { tag: { name: x } }", "exemptions.tag.name", "valid keys: key, value")]
    [InlineData("risks: { rds-delete: [approve] }", "risks.rds-delete", "expected a mapping")]
    [InlineData("version: 2", "version", "valid: 1")]
    public void A_bad_field_is_named_with_the_valid_choices(string document, string path, string hint)
    {
        var error = Assert.Single(Errors(document));
        Assert.Equal(path, error.Path);
        Assert.Contains(hint, error.Message);
    }

    [Fact]
    public void All_errors_of_a_document_are_reported_at_once()
    {
        var errors = Errors("dryRun: perhaps\nrisks: { iam-change: { mode: ask }, oversized-instance: { maxVcpus: -4 } }");
        Assert.Equal(["dryRun", "risks.iam-change.mode", "risks.oversized-instance.maxVcpus"], errors.Select(error => error.Path).Order());
    }

    [Theory]
    [InlineData("risks: { public-ssh: { mode: revert }\n")]
    [InlineData("a: 1\na: 2")]
    [InlineData("- just\n- a list")]
    public void A_malformed_document_is_rejected_at_the_root_with_where_it_broke(string document) =>
        Assert.Equal("$", Assert.Single(Errors(document)).Path);

    // Records holding lists compare by reference: compare what a reader of the policy would see.
    private static string FindingShape(GuardPolicy policy) => string.Join("\n",
        policy.DryRun, policy.ProtectedRole, string.Join(",", policy.SelfPrincipals), string.Join(",", policy.ReportRegions),
        string.Join(";", policy.Risks.OrderBy(pair => pair.Key).Select(pair =>
            $"{pair.Key}:{pair.Value.Mode}:{pair.Value.Exemptions.Tag}:{string.Join(",", pair.Value.Exemptions.Principals)}:{pair.Value.Approval}")),
        string.Join(",", policy.PublicSsh.Ports), policy.PublicSsh.Ipv4WiderThan, policy.PublicSsh.Ipv6WiderThan,
        policy.RdsDelete, string.Join(",", policy.IamChange.AdminPolicies), policy.IamChange.MinSessionDuration,
        policy.OversizedInstance.MaxHourlyUsd, policy.OversizedInstance.MaxVcpus, string.Join(",", policy.OversizedInstance.DenyPatterns));
}
