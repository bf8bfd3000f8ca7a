using System.Security.Cryptography.X509Certificates;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws.GitLab;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Core.Validation;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.GitLab;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Validation;

/// <summary>
/// The gatherer's GitLab side: the admin token read from an SSM SecureString parameter in moto,
/// then the GitLab stand-in asked over HTTPS with a certificate from a CA the test trusts.
/// </summary>
public sealed class GitLabSideValidationSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private const string Parameter = "/duoq/gitlab-admin-token";
    private readonly X509Certificate2 _authority = TestCertificates.CreateAuthority();
    private FakeGitLab? _gitLab;

    public override async Task DisposeAsync()
    {
        if (_gitLab is not null) await _gitLab.DisposeAsync();
        _authority.Dispose();
        await base.DisposeAsync();
    }

    private async Task<ValidationReport> ValidateAsync(string? tokenParameter)
    {
        _gitLab ??= await FakeGitLab.StartAsync(TestCertificates.CreateServer(_authority));
        var target = ((TargetOutcome.Valid)ValidationTarget.Create(null, GuideSetup.InstanceId, null, null, _gitLab.Url.ToString(), tokenParameter)).Target;
        var gatherer = new DuoQSetupGatherer(Aws, new GitLabReadOptions { Trust = ServerCertificateTrust.CustomRoots(_authority) });
        return DuoQValidator.Validate(await gatherer.GatherAsync(target), DateTimeOffset.UtcNow);
    }

    private static CheckResult Check(ValidationReport report, CheckDefinition check) => report.Checks.Single(c => c.Id == check.Id);

    private Task StoreTokenAsync() => Aws.Ssm.PutParameterAsync(new PutParameterRequest
    {
        Name = Parameter,
        Value = FakeGitLabState.Token,
        Type = ParameterType.SecureString,
    });

    [Fact]
    public async Task With_the_token_in_an_SSM_SecureString_every_check_that_runs_passes_and_the_token_never_shows()
    {
        await GuideSetup.SeedAsync(Aws);
        await StoreTokenAsync();

        var report = await ValidateAsync(Parameter);

        var ran = report.Checks.Where(c => c.Status != CheckStatus.Skipped).ToArray();
        Assert.Equal([1, 2, 3, 4, 7, 8, 9, 10, 11], ran.Select(c => c.Number));
        Assert.All(ran, c => Assert.True(c.Status == CheckStatus.Pass, $"{c.Id}: {string.Join(" / ", c.Evidence)}"));
        Assert.Contains("GitLab (Service Ping uuid): " + GuideSetup.InstanceId, string.Join("\n", Check(report, DuoQChecks.InstanceUuid).Evidence));
        Assert.DoesNotContain(FakeGitLabState.Token, report.ToJson());
        Assert.Contains("ssm:GetParameter", Calls.Actions);
    }

    [Fact]
    public async Task A_token_parameter_that_does_not_exist_still_checks_the_certificate_and_fails_the_API_checks_naming_it()
    {
        await GuideSetup.SeedAsync(Aws);

        var report = await ValidateAsync("/duoq/no-such-parameter");

        Assert.Equal(CheckStatus.Pass, Check(report, DuoQChecks.GitLabTls).Status);
        foreach (var check in new[] { DuoQChecks.GitLabVersion, DuoQChecks.GitLabAmazonQ, DuoQChecks.GitLabProbes })
        {
            var result = Check(report, check);
            Assert.Equal(CheckStatus.Fail, result.Status);
            Assert.Contains("the GitLab admin token could not be read", string.Join("\n", result.Evidence));
            Assert.Contains("ParameterNotFound", string.Join("\n", result.Evidence));
        }
        Assert.DoesNotContain(_gitLab!.Requests, r => r.Path.StartsWith("/api", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_GitLab_URL_without_a_token_parameter_asks_GitLab_nothing()
    {
        await GuideSetup.SeedAsync(Aws);

        var report = await ValidateAsync(tokenParameter: null);

        Assert.All(report.Checks.Where(c => c.Number is >= 7 and <= 10), c => Assert.Equal(CheckStatus.Skipped, c.Status));
        Assert.Contains("no SSM parameter with a GitLab admin token was given", Check(report, DuoQChecks.GitLabVersion).Evidence[0]);
        Assert.Empty(_gitLab!.Requests);
    }
}
