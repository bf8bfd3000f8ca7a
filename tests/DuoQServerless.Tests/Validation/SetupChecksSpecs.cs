using DuoQServerless.Core.Validation;
using static DuoQServerless.Tests.Validation.CorrectSetup;

namespace DuoQServerless.Tests.Validation;

/// <summary>A setup that follows the guide passes; each single mistake breaks exactly the check about it, which names it.</summary>
public sealed class SetupChecksSpecs
{
    private static CheckResult OnlyBroken(ValidationReport report, CheckDefinition expected, CheckStatus status)
    {
        var notPassing = report.Checks.Where(c => c.Status != CheckStatus.Pass).ToArray();
        var broken = Assert.Single(notPassing);
        Assert.Equal(expected.Id, broken.Id);
        Assert.Equal(status, broken.Status);
        Assert.False(string.IsNullOrWhiteSpace(broken.Fix));
        Assert.Equal(status == CheckStatus.Fail ? CheckStatus.Fail : CheckStatus.Warn, report.Overall);
        return broken;
    }

    private static string Evidence(CheckResult check) => string.Join("\n", check.Evidence);

    [Fact]
    public void A_setup_done_as_the_guide_says_passes_every_check()
    {
        var report = Validate(Facts());

        Assert.All(report.Checks, c => Assert.True(c.Status == CheckStatus.Pass, $"{c.Number} {c.Id}: {c.Status}\n{string.Join("\n", c.Evidence)}"));
        Assert.Equal(CheckStatus.Pass, report.Overall);
        Assert.Equal(Enumerable.Range(1, 11), report.Checks.Select(c => c.Number));
    }

    [Fact]
    public void The_AWS_managed_permissions_policy_instead_of_the_inline_policy_passes()
    {
        var role = Role(inline: [], attached: [new AttachedPolicyFacts(DuoQGuide.ManagedPolicyArn, DuoQGuide.ManagedPolicyName, DefaultVersionDocument: null)]);

        var check = Validate(Facts() with { Role = Observe.Seen(role) }).Checks.Single(c => c.Id == DuoQChecks.Permissions.Id);

        Assert.Equal(CheckStatus.Pass, check.Status);
        Assert.Contains($"{DuoQGuide.ManagedPolicyName} is attached", Evidence(check));
    }

    [Fact]
    public void A_trust_policy_with_the_wrong_audience_fails_the_trust_policy_check()
    {
        var facts = Facts() with { Role = Observe.Seen(Role(TrustPolicy(audience: "gitlab-cc-wrong"))) };

        var broken = OnlyBroken(Validate(facts), DuoQChecks.TrustPolicy, CheckStatus.Fail);

        Assert.Contains("gitlab-cc-wrong", Evidence(broken));
        Assert.Contains($"gitlab-cc-{InstanceId}", broken.Fix);
    }

    [Fact]
    public void An_identity_provider_with_the_wrong_audience_fails_the_identity_provider_check()
    {
        var facts = Facts() with { OidcProviders = Observe.Seen<IReadOnlyList<OidcProviderFacts>>([Provider(audience: "sts.amazonaws.com")]) };

        var broken = OnlyBroken(Validate(facts), DuoQChecks.OidcProvider, CheckStatus.Fail);

        Assert.Contains("sts.amazonaws.com", Evidence(broken));
    }

    [Fact]
    public void A_trust_policy_for_another_instance_id_fails_the_trust_policy_check_and_shows_that_id()
    {
        var facts = Facts() with { Role = Observe.Seen(Role(TrustPolicy(principalInstance: OtherInstanceId, audience: $"gitlab-cc-{OtherInstanceId}"))) };

        var broken = OnlyBroken(Validate(facts), DuoQChecks.TrustPolicy, CheckStatus.Fail);

        Assert.Contains(OtherInstanceId, Evidence(broken));
        Assert.Contains($"oidc-provider/auth.token.gitlab.com/cc/oidc/{InstanceId}", broken.Fix);
    }

    [Fact]
    public void A_one_hour_session_fails_the_session_duration_check()
    {
        var broken = OnlyBroken(Validate(Facts() with { Role = Observe.Seen(Role(maxSession: 3600)) }), DuoQChecks.SessionDuration, CheckStatus.Fail);

        Assert.Contains("3600 s (1 h)", Evidence(broken));
        Assert.Contains("12 hours", broken.Fix);
    }

    [Fact]
    public void A_missing_Amazon_Q_action_fails_the_permissions_check_and_names_the_action()
    {
        var policy = DuoQGuide.PermissionsPolicyDocument.Replace("\"q:SendMessage\",", "");
        var facts = Facts() with { Role = Observe.Seen(Role(inline: [new InlinePolicyFacts("gitlab-duo-amazon-q-policy", policy)])) };

        var broken = OnlyBroken(Validate(facts), DuoQChecks.Permissions, CheckStatus.Fail);

        Assert.Contains("q:SendMessage on *", Evidence(broken));
        Assert.DoesNotContain("q:SendEvent on", Evidence(broken));
    }

    [Fact]
    public void Plugin_actions_on_the_wrong_resource_fail_the_permissions_check()
    {
        var policy = DuoQGuide.PermissionsPolicyDocument.Replace("plugin/GitLabDuoWithAmazonQ/*", "plugin/SomethingElse/*");
        var facts = Facts() with { Role = Observe.Seen(Role(inline: [new InlinePolicyFacts("gitlab-duo-amazon-q-policy", policy)])) };

        var broken = OnlyBroken(Validate(facts), DuoQChecks.Permissions, CheckStatus.Fail);

        foreach (var action in DuoQGuide.PluginActions) Assert.Contains($"{action} on arn:aws:qdeveloper:us-east-1:{Account}:plugin/GitLabDuoWithAmazonQ/*", Evidence(broken));
        Assert.Contains("plugin/SomethingElse/*", Evidence(broken));
    }

    [Fact]
    public void A_deny_on_an_Amazon_Q_action_fails_the_permissions_check_and_names_the_deny()
    {
        var deny = new InlinePolicyFacts("no-chat", """{"Version":"2012-10-17","Statement":[{"Sid":"NoChat","Effect":"Deny","Action":"q:SendMessage","Resource":"*"}]}""");
        var facts = Facts() with { Role = Observe.Seen(Role(inline: [new InlinePolicyFacts("gitlab-duo-amazon-q-policy", DuoQGuide.PermissionsPolicyDocument), deny])) };

        var broken = OnlyBroken(Validate(facts), DuoQChecks.Permissions, CheckStatus.Fail);

        Assert.Contains("denied by inline policy no-chat statement #1 (NoChat)", Evidence(broken));
    }

    [Fact]
    public void A_grant_of_a_whole_other_service_is_a_permissions_warning_that_names_the_statement()
    {
        var s3 = new InlinePolicyFacts("buckets", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
        var facts = Facts() with { Role = Observe.Seen(Role(inline: [new InlinePolicyFacts(DuoQGuide.InlinePolicyName, DuoQGuide.PermissionsPolicyDocument), s3])) };

        var broken = OnlyBroken(Validate(facts), DuoQChecks.Permissions, CheckStatus.Warn);

        Assert.Contains("inline policy buckets statement #1: allows every s3 action (s3:*)", Evidence(broken));
    }

    [Fact]
    public void Administrator_access_on_the_role_warns_about_the_permissions_and_about_the_key_it_opens()
    {
        var admin = new AttachedPolicyFacts("arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        var report = Validate(Facts() with { Role = Observe.Seen(Role(attached: [admin])) });

        var warned = report.Checks.Where(c => c.Status != CheckStatus.Pass).ToArray();

        Assert.Equal([DuoQChecks.Permissions.Id, DuoQChecks.KmsKey.Id], warned.Select(c => c.Id));
        Assert.All(warned, c => Assert.Equal(CheckStatus.Warn, c.Status));
        Assert.Contains("arn:aws:iam::aws:policy/AdministratorAccess statement #1: allows every action (*)", Evidence(warned[0]));
        Assert.Contains("is allowed without going through Amazon Q", Evidence(warned[1]));
    }

    [Fact]
    public void A_key_policy_without_the_ViaService_condition_is_a_warning()
    {
        var broken = OnlyBroken(Validate(Facts() with { KmsKey = Observe.Seen(Key(KeyPolicy(viaService: false))) }), DuoQChecks.KmsKey, CheckStatus.Warn);

        Assert.Contains("kms:ViaService = q.us-east-1.amazonaws.com condition is missing", Evidence(broken));
        Assert.Contains("\"kms:ViaService\": [\"q.us-east-1.amazonaws.com\"]", broken.Fix);
    }

    [Fact]
    public void A_key_policy_missing_one_action_fails_the_key_check_and_names_the_action()
    {
        var actions = """["kms:Decrypt","kms:DescribeKey","kms:Encrypt","kms:GenerateDataKey","kms:ReEncryptFrom","kms:ReEncryptTo"]""";

        var broken = OnlyBroken(Validate(Facts() with { KmsKey = Observe.Seen(Key(KeyPolicy(actions))) }), DuoQChecks.KmsKey, CheckStatus.Fail);

        Assert.Contains("kms:GenerateDataKeyWithoutPlaintext through q.us-east-1.amazonaws.com", Evidence(broken));
        Assert.DoesNotContain("kms:Decrypt through", Evidence(broken));
    }

    [Fact]
    public void A_disabled_key_fails_the_key_check()
    {
        var broken = OnlyBroken(Validate(Facts() with { KmsKey = Observe.Seen(Key(enabled: false, state: "Disabled")) }), DuoQChecks.KmsKey, CheckStatus.Fail);

        Assert.Contains($"{KeyArn} is Disabled", Evidence(broken));
        Assert.Contains($"aws kms enable-key --key-id {KeyId}", broken.Fix);
    }

    [Fact]
    public void An_AWS_managed_key_fails_the_key_check()
    {
        var broken = OnlyBroken(Validate(Facts() with { KmsKey = Observe.Seen(Key(manager: "AWS")) }), DuoQChecks.KmsKey, CheckStatus.Fail);

        Assert.Contains("not a customer managed key", Evidence(broken));
    }

    [Fact]
    public void A_group_missing_one_Amazon_Q_address_fails_the_network_check_and_names_the_address()
    {
        var group = Group("34.228.181.128/32", "54.226.244.221/32");

        var broken = OnlyBroken(Validate(Facts() with { SecurityGroups = Observe.Seen<IReadOnlyList<SecurityGroupFacts>>([group]) }), DuoQChecks.Network, CheckStatus.Fail);

        Assert.Contains("44.219.176.187: no inbound rule", Evidence(broken));
        Assert.Contains("CidrIp=44.219.176.187/32", broken.Fix);
        Assert.DoesNotContain("CidrIp=34.228.181.128/32", broken.Fix);
    }

    [Fact]
    public void A_wider_block_containing_the_addresses_passes_the_network_check()
    {
        var group = Group("34.228.0.0/16", "44.219.176.0/24", "54.226.244.221/32");

        var check = Validate(Facts() with { SecurityGroups = Observe.Seen<IReadOnlyList<SecurityGroupFacts>>([group]) }).Checks.Single(c => c.Id == DuoQChecks.Network.Id);

        Assert.Equal(CheckStatus.Pass, check.Status);
        Assert.Contains("44.219.176.187: allowed on TCP 443 by sg-0a1b2c3d4e5f60718 44.219.176.0/24", string.Join("\n", check.Evidence));
    }

    [Fact]
    public void A_group_open_to_the_world_on_443_is_a_warning()
    {
        var broken = OnlyBroken(Validate(Facts() with { SecurityGroups = Observe.Seen<IReadOnlyList<SecurityGroupFacts>>([Group("0.0.0.0/0")]) }), DuoQChecks.Network, CheckStatus.Warn);

        Assert.Contains("open to the whole internet", Evidence(broken));
    }

    [Fact]
    public void A_rule_on_another_port_does_not_count()
    {
        var group = new SecurityGroupFacts(GroupId, "gitlab",
        [
            new IngressRuleFacts("tcp", 80, 80, ["34.228.181.128/32", "44.219.176.187/32", "54.226.244.221/32"]),
        ]);

        OnlyBroken(Validate(Facts() with { SecurityGroups = Observe.Seen<IReadOnlyList<SecurityGroupFacts>>([group]) }), DuoQChecks.Network, CheckStatus.Fail);
    }
}
