using System.Text;
using Amazon.Runtime;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Validation;
using DuoQServerless.IntegrationTests.Clients;

namespace DuoQServerless.IntegrationTests.Validation;

/// <summary>
/// An emulator that enforces IAM once the guide's setup is seeded: the user "validator" holds
/// exactly the actions <see cref="DuoQSetupGatherer.Permissions"/> declares; "no-key-policy"
/// holds the same but kms:GetKeyPolicy.
/// </summary>
public sealed class EnforcingValidatorMoto : IAsyncLifetime
{
    private MotoServer? _server;

    public Uri Endpoint => (_server ?? throw new InvalidOperationException("not started")).Endpoint;

    public GuideSetup Setup { get; private set; } = null!;

    public BasicAWSCredentials Validator { get; private set; } = null!;

    public BasicAWSCredentials WithoutKeyPolicy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await MotoServer.StartAsync();
        using var setUp = MotoClients.Factory(_server.Endpoint);
        Setup = await GuideSetup.SeedAsync(setUp);
        Validator = await UserAsync(setUp, "validator", DuoQSetupGatherer.Permissions);
        WithoutKeyPolicy = await UserAsync(setUp, "no-key-policy", DuoQSetupGatherer.Permissions.Where(p => p != "kms:GetKeyPolicy"));

        // From here on moto checks every signature and every identity policy.
        using var http = new HttpClient();
        using var enforce = await http.PostAsync(new Uri(_server.Endpoint, "/moto-api/reset-auth"), new StringContent("0", Encoding.UTF8));
        enforce.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    private static async Task<BasicAWSCredentials> UserAsync(DuoQServerless.Aws.AwsClientFactory aws, string name, IEnumerable<string> actions)
    {
        await aws.Iam.CreateUserAsync(name);
        var key = await aws.Iam.CreateAccessKeyAsync(name);
        await aws.Iam.PutUserPolicyAsync(name, "validate", IamSetup.AllowPolicy([.. actions]));
        return new BasicAWSCredentials(key.AccessKeyId, key.SecretAccessKey);
    }
}

/// <summary>The validator's declared permissions are enough, and a permission it lacks is named in the report.</summary>
public sealed class ValidatorPermissionSpecs(EnforcingValidatorMoto moto) : IClassFixture<EnforcingValidatorMoto>
{
    private async Task<ValidationReport> ValidateAsAsync(AWSCredentials credentials)
    {
        using var aws = MotoClients.Factory(moto.Endpoint, credentials: credentials);
        return DuoQValidator.Validate(await new DuoQSetupGatherer(aws).GatherAsync(moto.Setup.Target), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_validator_holding_exactly_its_declared_permissions_sees_the_whole_setup()
    {
        var report = await ValidateAsAsync(moto.Validator);

        Assert.True(report.Overall == CheckStatus.Pass, string.Join("\n", report.Checks.Select(c => $"{c.Id} {c.Status}: {string.Join(" / ", c.Evidence)}")));
    }

    [Fact]
    public async Task A_validator_that_may_not_read_the_key_policy_fails_the_key_check_naming_the_permission()
    {
        var report = await ValidateAsAsync(moto.WithoutKeyPolicy);

        var key = report.Checks.Single(c => c.Id == DuoQChecks.KmsKey.Id);
        Assert.Equal(CheckStatus.Fail, key.Status);
        Assert.Contains("could not read the KMS key: AccessDenied", key.Evidence[0]);
        Assert.Contains("kms:GetKeyPolicy", key.Evidence[0]);
        Assert.Contains("kms:GetKeyPolicy", key.Fix);
        Assert.All(report.Checks.Where(c => c.Id != DuoQChecks.KmsKey.Id), c => Assert.NotEqual(CheckStatus.Fail, c.Status));
    }
}
