using DuoQServerless.Core.Validation;
using static DuoQServerless.Tests.Validation.CorrectSetup;

namespace DuoQServerless.Tests.Validation;

/// <summary>Checks 7 to 11 from GitLab facts: each GitLab-side mistake breaks its own check.</summary>
public sealed class GitLabChecksSpecs
{
    private static CheckResult Check(DuoQSetupFacts facts, CheckDefinition definition) =>
        Validate(facts).Checks.Single(c => c.Id == definition.Id);

    private static string Evidence(CheckResult check) => string.Join("\n", check.Evidence);

    private static DuoQSetupFacts WithGitLab(GitLabFacts gitLab) => Facts() with { GitLab = gitLab };

    [Fact]
    public void A_self_signed_certificate_fails_the_certificate_check()
    {
        var check = Check(WithGitLab(GitLab(tls: Tls(selfSigned: true, trusted: false))), DuoQChecks.GitLabTls);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("self-signed", Evidence(check));
        Assert.Contains("must not be self-signed", check.Fix);
    }

    [Fact]
    public void A_certificate_for_another_host_fails_the_certificate_check()
    {
        var check = Check(WithGitLab(GitLab(tls: Tls(hostMatches: false))), DuoQChecks.GitLabTls);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("not issued for gitlab.example.com", Evidence(check));
    }

    [Fact]
    public void A_certificate_expiring_within_30_days_is_a_warning_and_an_expired_one_fails()
    {
        var soon = Check(WithGitLab(GitLab(tls: Tls(notAfter: Now.AddDays(12)))), DuoQChecks.GitLabTls);
        var expired = Check(WithGitLab(GitLab(tls: Tls(notAfter: Now.AddDays(-1)))), DuoQChecks.GitLabTls);

        Assert.Equal(CheckStatus.Warn, soon.Status);
        Assert.Contains("expires in 12 days", Evidence(soon));
        Assert.Equal(CheckStatus.Fail, expired.Status);
        Assert.Contains("expired on 2025-05-31", Evidence(expired));
    }

    [Theory]
    [InlineData("17.10.3-ee", CheckStatus.Fail)]
    [InlineData("16.11.0-ee", CheckStatus.Fail)]
    [InlineData("17.11.0-ee", CheckStatus.Pass)]
    [InlineData("18.0.1", CheckStatus.Pass)]
    [InlineData("nightly", CheckStatus.Fail)]
    public void GitLab_must_be_17_11_or_later(string version, CheckStatus expected)
    {
        Assert.Equal(expected, Check(WithGitLab(GitLab(version: version)), DuoQChecks.GitLabVersion).Status);
    }

    [Fact]
    public void No_Amazon_Q_OAuth_application_fails_the_Amazon_Q_application_check()
    {
        var check = Check(WithGitLab(GitLab(applications: [new GitLabApplication(3, "Jenkins", null, true)])), DuoQChecks.GitLabAmazonQ);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("no OAuth application named \"Amazon Q OAuth\" among 1 instance applications [Jenkins]", Evidence(check));
        Assert.Contains("IAM role ARN paste arn:aws:iam::123456789012:role/QDeveloperAccess", check.Fix);
    }

    [Fact]
    public void A_missing_or_blocked_amazon_q_user_fails_the_Amazon_Q_application_check()
    {
        var missing = Check(WithGitLab(GitLab(user: Observe.Absent<GitLabUser>("GET /api/v4/users?username=amazon-q returned no user"))), DuoQChecks.GitLabAmazonQ);
        var blocked = Check(WithGitLab(GitLab(user: Observe.Seen(new GitLabUser(42, "amazon-q", "Amazon Q Service", "blocked", true)))), DuoQChecks.GitLabAmazonQ);

        Assert.Equal(CheckStatus.Fail, missing.Status);
        Assert.Contains("no user named amazon-q", Evidence(missing));
        Assert.Equal(CheckStatus.Fail, blocked.Status);
        Assert.Contains("is blocked, not active", Evidence(blocked));
    }

    [Fact]
    public void A_failing_Amazon_Q_probe_fails_the_probe_check_with_its_message()
    {
        const string message = "Amazon Q could not call your GitLab instance. Please review your configuration and try again. Detail: unreachable";
        var probes = PassingProbes.Take(2).Append(new CloudConnectorProbe("end_to_end_probe", false, message)).ToArray();

        var check = Check(WithGitLab(GitLab(probes: probes)), DuoQChecks.GitLabProbes);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains($"FAILED end_to_end_probe: {message}", Evidence(check));
        Assert.Contains("passed license_probe", Evidence(check));
    }

    [Fact]
    public void Probes_without_an_Amazon_Q_probe_are_a_warning()
    {
        var check = Check(WithGitLab(GitLab(probes: PassingProbes.Take(2).ToArray())), DuoQChecks.GitLabProbes);

        Assert.Equal(CheckStatus.Warn, check.Status);
        Assert.Contains("did not run an Amazon Q probe", Evidence(check));
    }

    [Fact]
    public void An_instance_that_answers_null_for_the_probes_skips_the_probe_check()
    {
        var gitLab = GitLab() with { CloudConnector = Observe.Absent<CloudConnectorStatus>("cloudConnectorStatus is null") };

        var check = Check(WithGitLab(gitLab), DuoQChecks.GitLabProbes);

        Assert.Equal(CheckStatus.Skipped, check.Status);
        Assert.Contains("cloudConnectorStatus is null", Evidence(check));
    }

    [Fact]
    public void A_different_GitLab_UUID_fails_the_UUID_check_with_the_guides_recovery_steps()
    {
        var report = Validate(WithGitLab(GitLab(uuid: OtherInstanceId)));

        var check = report.Checks.Single(c => c.Id == DuoQChecks.InstanceUuid.Id);
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains($"--instance-id {InstanceId} differs from GitLab (Service Ping uuid) {OtherInstanceId}", Evidence(check));
        Assert.Contains("GitLab instance UUID mismatch", check.Fix);
        Assert.Contains("Gitlab::CurrentSettings.current_application_settings.uuid", check.Fix);
        Assert.Contains("GitlabSubscriptions::AddOnPurchase.all.destroy_all", check.Fix);
        Assert.Contains("ApplicationSetting.update!(uuid: SecureRandom.uuid)", check.Fix);
        Assert.Contains("Update the identity provider and the IAM role with the new UUID", check.Fix);
        Assert.Equal([DuoQChecks.InstanceUuid.Id], report.Checks.Where(c => c.Status != CheckStatus.Pass).Select(c => c.Id));
    }

    [Fact]
    public void An_identity_provider_only_for_another_instance_fails_the_provider_and_UUID_checks()
    {
        var facts = Facts() with { OidcProviders = Observe.Seen<IReadOnlyList<OidcProviderFacts>>([Provider(OtherInstanceId)]) };

        var failing = Validate(facts).Checks.Where(c => c.Status != CheckStatus.Pass).Select(c => c.Id);

        Assert.Equal([DuoQChecks.OidcProvider.Id, DuoQChecks.InstanceUuid.Id], failing);
    }

    [Fact]
    public void Without_an_instance_id_argument_GitLabs_UUID_is_expected()
    {
        var report = Validate(Facts() with { InstanceIdArgument = null });

        Assert.Equal(CheckStatus.Pass, report.Overall);
        Assert.Contains("instance id from GitLab's Service Ping", Evidence(report.Checks[0]));
    }

    [Fact]
    public void Without_GitLab_facts_the_GitLab_checks_are_skipped_with_the_reason()
    {
        var report = Validate(Facts() with { GitLab = GitLabFacts.NotAsked("no GitLab URL and token were given") });

        var gitLabChecks = report.Checks.Where(c => c.Number is >= 7 and <= 10).ToArray();
        Assert.All(gitLabChecks, c => Assert.Equal(CheckStatus.Skipped, c.Status));
        Assert.All(gitLabChecks, c => Assert.Contains("no GitLab URL and token were given", c.Evidence[0]));
        Assert.Equal(CheckStatus.Pass, report.Checks.Single(c => c.Number == 11).Status);
        Assert.Equal(CheckStatus.Pass, report.Overall);
    }

    [Fact]
    public void A_GitLab_that_refuses_the_token_fails_with_what_the_validator_needs()
    {
        var refused = Observe.Unavailable<string>("GET /api/v4/version answered 401 Unauthorized");
        var check = Check(WithGitLab(GitLab() with { Version = refused }), DuoQChecks.GitLabVersion);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("401 Unauthorized", Evidence(check));
        Assert.Contains("belongs to an administrator", check.Fix);
    }
}
