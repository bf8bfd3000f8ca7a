using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Core.Validation;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Validation;

/// <summary>
/// The AWS side of the validator against an account in moto: a setup seeded as the guide says
/// passes every AWS check; each single mistake breaks exactly the check about it, which names it.
/// </summary>
public sealed class AwsSetupValidationSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private static readonly CheckDefinition[] AwsChecks =
        [DuoQChecks.OidcProvider, DuoQChecks.TrustPolicy, DuoQChecks.SessionDuration, DuoQChecks.Permissions, DuoQChecks.KmsKey, DuoQChecks.Network];

    private async Task<ValidationReport> ValidateAsync(ValidationTarget target) =>
        DuoQValidator.Validate(await new DuoQSetupGatherer(Aws).GatherAsync(target), DateTimeOffset.UtcNow);

    private static CheckResult Check(ValidationReport report, CheckDefinition check) => report.Checks.Single(c => c.Id == check.Id);

    private static string Evidence(CheckResult check) => string.Join("\n", check.Evidence);

    private static string Describe(ValidationReport report) =>
        string.Join("\n", report.Checks.Select(c => $"{c.Number} {c.Id}: {c.Status}\n    {string.Join("\n    ", c.Evidence)}"));

    /// <summary>The one AWS check that does not pass is <paramref name="expected"/>, with this status and a fix.</summary>
    private static CheckResult OnlyBroken(ValidationReport report, CheckDefinition expected, CheckStatus status)
    {
        var notPassing = report.Checks.Where(c => AwsChecks.Any(a => a.Id == c.Id) && c.Status != CheckStatus.Pass).ToArray();
        Assert.True(notPassing.Length == 1, Describe(report));
        var broken = notPassing[0];
        Assert.Equal(expected.Id, broken.Id);
        Assert.Equal(status, broken.Status);
        Assert.False(string.IsNullOrWhiteSpace(broken.Fix));
        Assert.Equal(status, report.Overall);
        return broken;
    }

    [Fact]
    public async Task A_setup_seeded_as_the_guide_says_passes_every_AWS_check()
    {
        var setup = await GuideSetup.SeedAsync(Aws);

        var report = await ValidateAsync(setup.Target);

        Assert.All(AwsChecks, a => Assert.True(Check(report, a).Status == CheckStatus.Pass, Describe(report)));
        Assert.Equal(CheckStatus.Pass, Check(report, DuoQChecks.InstanceUuid).Status);
        Assert.All([DuoQChecks.GitLabTls, DuoQChecks.GitLabVersion, DuoQChecks.GitLabAmazonQ, DuoQChecks.GitLabProbes],
            g => Assert.Equal(CheckStatus.Skipped, Check(report, g).Status));
        Assert.Equal(CheckStatus.Pass, report.Overall);
        Assert.Equal(new ValidationSubject(TestCredentials.AccountId, TestCredentials.Region, GuideSetup.RoleName, GuideSetup.InstanceId, null), report.Subject);
        Assert.Contains($"arn:aws:kms:us-east-1:{TestCredentials.AccountId}:key/{setup.KeyId}", Evidence(Check(report, DuoQChecks.KmsKey)));
        Assert.Contains(setup.GroupId, Evidence(Check(report, DuoQChecks.Network)));
    }

    [Fact]
    public async Task The_validator_calls_only_the_AWS_actions_it_declares_for_its_role()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await Aws.Iam.AttachRolePolicyAsync(new AttachRolePolicyRequest(GuideSetup.RoleName, DuoQGuide.ManagedPolicyArn));
        Calls.Clear();

        await ValidateAsync(setup.Target);

        Assert.Subset(DuoQSetupGatherer.Permissions.ToHashSet(), Calls.Actions.ToHashSet());
        Assert.Contains("iam:GetPolicyVersion", Calls.Actions);
        Assert.Contains("kms:GetKeyPolicy", Calls.Actions);
    }

    [Fact]
    public async Task An_identity_provider_with_the_wrong_audience_fails_the_identity_provider_check()
    {
        var setup = await GuideSetup.SeedAsync(Aws, audience: "sts.amazonaws.com");

        var broken = OnlyBroken(await ValidateAsync(setup.Target), DuoQChecks.OidcProvider, CheckStatus.Fail);

        Assert.Contains("sts.amazonaws.com", Evidence(broken));
        Assert.Contains($"gitlab-cc-{GuideSetup.InstanceId}", broken.Fix);
    }

    [Fact]
    public async Task A_trust_policy_with_the_wrong_audience_fails_the_trust_policy_check()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.UpdateTrustPolicyAsync(GuideSetup.TrustPolicy(audienceInstance: GuideSetup.OtherInstanceId));

        var broken = OnlyBroken(await ValidateAsync(setup.Target), DuoQChecks.TrustPolicy, CheckStatus.Fail);

        Assert.Contains($"gitlab-cc-{GuideSetup.OtherInstanceId}", Evidence(broken));
    }

    [Fact]
    public async Task A_trust_policy_for_another_instance_fails_the_trust_policy_check()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.UpdateTrustPolicyAsync(GuideSetup.TrustPolicy(instance: GuideSetup.OtherInstanceId, audienceInstance: GuideSetup.OtherInstanceId));

        var broken = OnlyBroken(await ValidateAsync(setup.Target), DuoQChecks.TrustPolicy, CheckStatus.Fail);

        Assert.Contains($"oidc-provider/auth.token.gitlab.com/cc/oidc/{GuideSetup.OtherInstanceId}", Evidence(broken));
        Assert.Contains($"oidc-provider/auth.token.gitlab.com/cc/oidc/{GuideSetup.InstanceId}", broken.Fix);
    }

    [Fact]
    public async Task A_one_hour_session_fails_the_session_duration_check()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.SetMaxSessionDurationAsync(3600);

        var broken = OnlyBroken(await ValidateAsync(setup.Target), DuoQChecks.SessionDuration, CheckStatus.Fail);

        Assert.Contains("3600", Evidence(broken));
        Assert.Contains("43200", broken.Fix);
    }

    [Fact]
    public async Task A_permissions_policy_without_one_Amazon_Q_action_fails_the_permissions_check_naming_it()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.PutPermissionsPolicyAsync(GuideSetup.PermissionsPolicy(p => p.Replace("\"q:SendMessage\",", "")));

        var broken = OnlyBroken(await ValidateAsync(setup.Target), DuoQChecks.Permissions, CheckStatus.Fail);

        Assert.Contains("1 of 12 actions are not allowed", Evidence(broken));
        Assert.Contains("q:SendMessage on *", Evidence(broken));
    }

    [Fact]
    public async Task Plugin_actions_on_another_resource_fail_the_permissions_check()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.PutPermissionsPolicyAsync(GuideSetup.PermissionsPolicy(p => p.Replace("plugin/GitLabDuoWithAmazonQ/*", "plugin/SomeOtherPlugin/*")));

        var broken = OnlyBroken(await ValidateAsync(setup.Target), DuoQChecks.Permissions, CheckStatus.Fail);

        Assert.Contains("3 of 12 actions are not allowed", Evidence(broken));
        Assert.Contains($"q:CreatePlugin on arn:aws:qdeveloper:us-east-1:{TestCredentials.AccountId}:plugin/GitLabDuoWithAmazonQ/*", Evidence(broken));
    }

    [Fact]
    public async Task The_AWS_managed_policy_attached_instead_of_the_inline_policy_passes()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await Aws.Iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest(GuideSetup.RoleName, DuoQGuide.InlinePolicyName));
        await Aws.Iam.AttachRolePolicyAsync(new AttachRolePolicyRequest(GuideSetup.RoleName, DuoQGuide.ManagedPolicyArn));

        var check = Check(await ValidateAsync(setup.Target), DuoQChecks.Permissions);

        Assert.Equal(CheckStatus.Pass, check.Status);
        Assert.Contains($"{DuoQGuide.ManagedPolicyName} is attached", Evidence(check));
        Assert.DoesNotContain("could not be read", Evidence(check));
    }

    [Fact]
    public async Task A_key_policy_without_the_ViaService_condition_warns_that_any_service_could_use_the_key()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.PutKeyPolicyAsync(GuideSetup.KeyPolicy(viaService: false));

        var broken = OnlyBroken(await ValidateAsync(setup.Target), DuoQChecks.KmsKey, CheckStatus.Warn);

        Assert.Contains("kms:ViaService = q.us-east-1.amazonaws.com condition is missing", Evidence(broken));
    }

    [Fact]
    public async Task A_key_policy_missing_an_action_fails_the_key_check_naming_it()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.PutKeyPolicyAsync(GuideSetup.KeyPolicy(DuoQGuide.KeyActions.Where(a => a != "kms:GenerateDataKeyWithoutPlaintext")));

        var broken = OnlyBroken(await ValidateAsync(setup.Target), DuoQChecks.KmsKey, CheckStatus.Fail);

        Assert.Contains("kms:GenerateDataKeyWithoutPlaintext through q.us-east-1.amazonaws.com", Evidence(broken));
    }

    [Fact]
    public async Task A_disabled_key_fails_the_key_check()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.DisableKeyAsync();

        var broken = OnlyBroken(await ValidateAsync(setup.Target), DuoQChecks.KmsKey, CheckStatus.Fail);

        Assert.Contains("is Disabled", Evidence(broken));
        Assert.Contains(setup.KeyId, broken.Fix);
    }

    [Fact]
    public async Task A_group_missing_one_Amazon_Q_address_fails_the_network_check_naming_the_address()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.RevokeAsync("44.219.176.187/32");

        var broken = OnlyBroken(await ValidateAsync(setup.Target), DuoQChecks.Network, CheckStatus.Fail);

        Assert.Contains($"44.219.176.187: no inbound rule in [{setup.GroupId}] allows TCP 443", Evidence(broken));
        Assert.Contains("44.219.176.187", broken.Fix);
    }

    [Fact]
    public async Task A_role_that_does_not_exist_fails_the_role_checks_with_how_to_create_it()
    {
        var setup = await GuideSetup.SeedAsync(Aws);

        var report = await ValidateAsync(((TargetOutcome.Valid)ValidationTarget.Create("NoSuchRole", GuideSetup.InstanceId, setup.KeyId, [setup.GroupId], null, null)).Target);

        foreach (var check in new[] { DuoQChecks.TrustPolicy, DuoQChecks.SessionDuration, DuoQChecks.Permissions })
        {
            var result = Check(report, check);
            Assert.Equal(CheckStatus.Fail, result.Status);
            Assert.Contains("the role NoSuchRole does not exist", Evidence(result));
            Assert.Contains("NoSuchEntity", Evidence(result));
        }
    }

    [Fact]
    public async Task A_key_or_group_that_does_not_exist_fails_its_check_as_missing()
    {
        await GuideSetup.SeedAsync(Aws);
        var target = ((TargetOutcome.Valid)ValidationTarget.Create(null, GuideSetup.InstanceId, "0b7c1d3e-aaaa-bbbb-cccc-1234567890ab", ["sg-0123456789abcdef0"], null, null)).Target;

        var report = await ValidateAsync(target);

        Assert.Equal(CheckStatus.Fail, Check(report, DuoQChecks.KmsKey).Status);
        Assert.Contains("the KMS key does not exist", Evidence(Check(report, DuoQChecks.KmsKey)));
        Assert.Equal(CheckStatus.Fail, Check(report, DuoQChecks.Network).Status);
        Assert.Contains("the security group does not exist", Evidence(Check(report, DuoQChecks.Network)));
    }

    [Fact]
    public async Task Without_a_key_or_security_groups_their_checks_are_skipped_and_nothing_is_asked_of_KMS_or_EC2()
    {
        await GuideSetup.SeedAsync(Aws);
        Calls.Clear();

        var report = await ValidateAsync(((TargetOutcome.Valid)ValidationTarget.Create(null, GuideSetup.InstanceId, null, null, null, null)).Target);

        Assert.Equal(CheckStatus.Skipped, Check(report, DuoQChecks.KmsKey).Status);
        Assert.Equal(CheckStatus.Skipped, Check(report, DuoQChecks.Network).Status);
        Assert.DoesNotContain(Calls.Actions, a => a.StartsWith("kms:", StringComparison.Ordinal) || a.StartsWith("ec2:", StringComparison.Ordinal));
        Assert.Equal(CheckStatus.Pass, report.Overall);
    }
}
