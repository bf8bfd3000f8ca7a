using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Amazon.DynamoDBv2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.GitLab;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Validation;
using DuoQServerless.Functions.Runtime;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.GitLab;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.IntegrationTests.Validation;

namespace DuoQServerless.IntegrationTests.Secrets;

/// <summary>
/// The GitLab admin token (an SSM SecureString) never shows: not in the validator's report when the
/// probes fail, when GitLab refuses the token, or when GitLab quotes the token back in any encoding;
/// and not in the duoq-validator function's logs (at the most verbose level), response,
/// notifications or stored result when GitLab's certificate is untrusted or GitLab is unreachable.
/// </summary>
public sealed class GitLabTokenNeverShownSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private const string Parameter = "/duoq/gitlab-admin-token";
    private const string Table = "duoq-audit";
    private readonly X509Certificate2 _authority = TestCertificates.CreateAuthority();
    private FakeGitLab? _gitLab;

    public override async Task DisposeAsync()
    {
        if (_gitLab is not null) await _gitLab.DisposeAsync();
        _authority.Dispose();
        await base.DisposeAsync();
    }

    private Task StoreTokenAsync(string token) => Aws.Ssm.PutParameterAsync(new PutParameterRequest
    {
        Name = Parameter, Value = token, Type = ParameterType.SecureString, Overwrite = true,
    });

    private async Task<ValidationReport> ValidateAsync(FakeGitLabState state)
    {
        _gitLab = await FakeGitLab.StartAsync(TestCertificates.CreateServer(_authority), state);
        var target = ((TargetOutcome.Valid)ValidationTarget.Create(null, GuideSetup.InstanceId, null, null, _gitLab.Url.ToString(), Parameter)).Target;
        var gatherer = new DuoQSetupGatherer(Aws, new GitLabReadOptions { Trust = ServerCertificateTrust.CustomRoots(_authority) });
        return DuoQValidator.Validate(await gatherer.GatherAsync(target), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Failing_probes_that_quote_the_token_back_in_any_encoding_show_it_redacted()
    {
        await GuideSetup.SeedAsync(Aws);
        await StoreTokenAsync(FakeGitLabState.Token);
        var forms = SecretScan.Forms(FakeGitLabState.Token);
        var probes = string.Join(",", forms.Select((form, i) => $$"""{"name": "probe_{{i}}", "success": false, "message": "rejected credentials {{form}} for cloud.gitlab.com"}"""));

        var report = await ValidateAsync(new FakeGitLabState { CloudConnectorStatus = $$"""{"success": false, "probeResults": [{{probes}}]}""" });

        var probeCheck = report.Checks.Single(c => c.Id == DuoQChecks.GitLabProbes.Id);
        Assert.Equal(CheckStatus.Fail, probeCheck.Status);
        Assert.Contains("rejected credentials [redacted] for cloud.gitlab.com", string.Join("\n", probeCheck.Evidence));
        SecretScan.AssertAbsent(FakeGitLabState.Token, new Dictionary<string, string> { ["the validation report"] = report.ToJson() });
    }

    [Fact]
    public async Task A_token_GitLab_refuses_does_not_show_in_the_failed_checks()
    {
        const string Refused = "glpat-RefusedSecret+Token/4c3b2a1f";
        await GuideSetup.SeedAsync(Aws);
        await StoreTokenAsync(Refused);

        var report = await ValidateAsync(new FakeGitLabState());

        Assert.Contains("401", string.Join("\n", report.Checks.Single(c => c.Id == DuoQChecks.GitLabVersion.Id).Evidence));
        SecretScan.AssertAbsent(Refused, new Dictionary<string, string> { ["the validation report"] = report.ToJson() });
    }

    public static TheoryData<string> BrokenGitLabs() => ["untrusted certificate", "nothing listening"];

    [Theory]
    [MemberData(nameof(BrokenGitLabs))]
    public async Task The_validator_function_never_shows_the_token_when_GitLab_cannot_be_reached_safely(string broken)
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await StoreTokenAsync(FakeGitLabState.Token);
        await AuditTable.EnsureExistsAsync(Aws.DynamoDb, Table);
        var topic = await Aws.Sns.CreateTopicAsync(new CreateTopicRequest("duoq-findings"));
        var inbox = await QueueInbox.CreateAsync(Aws.Sqs, "secrets-inbox");
        await Aws.Sns.SubscribeAsync(new SubscribeRequest(topic, "sqs", inbox.Arn));
        // The function trusts only the system's roots: the stand-in's test CA is not among them.
        _gitLab = await FakeGitLab.StartAsync(TestCertificates.CreateServer(_authority));
        var url = broken == "nothing listening" ? $"https://127.0.0.1:{ClosedPort()}/" : _gitLab.Url.ToString();
        var logs = new MemoryStream();
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = Endpoint.ToString(),
            ["AWS_REGION"] = TestCredentials.Region,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["DUOQ_AUDIT_TABLE"] = Table,
            ["DUOQ_TOPIC_ARN"] = topic,
            ["DUOQ_INSTANCE_ID"] = GuideSetup.InstanceId,
            ["DUOQ_KMS_KEY_ID"] = setup.KeyId,
            ["DUOQ_SECURITY_GROUP_IDS"] = setup.GroupId,
            ["DUOQ_GITLAB_URL"] = url,
            ["DUOQ_GITLAB_TOKEN_PARAMETER"] = Parameter,
            [RuntimeVariables.LogLevel] = "TRACE",
        };
        await using var function = LocalFunction.Start("duoq-validator", environment, logs);

        var result = await function.InvokeAsync("""{"action":"validate"}""");

        Assert.True(result.Succeeded, result.Body.GetRawText());
        var tls = ValidationReport.FromJson(result.Body.GetRawText()).Checks.Single(c => c.Id == DuoQChecks.GitLabTls.Id);
        Assert.Equal(CheckStatus.Fail, tls.Status);
        var notification = await inbox.ReceiveAsync();
        var stored = string.Join("\n", (await Aws.DynamoDb.ScanAsync(new ScanRequest(Table))).Items.SelectMany(item => item.Values).Select(value => value.S ?? value.N ?? ""));
        SecretScan.AssertAbsent(FakeGitLabState.Token, new Dictionary<string, string>
        {
            ["the function's logs"] = Encoding.UTF8.GetString(logs.ToArray()),
            ["the function's response"] = result.Body.GetRawText(),
            ["the notification"] = notification,
            ["the stored result"] = stored,
        });
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
