using System.Security.Cryptography.X509Certificates;
using DuoQServerless.Aws.GitLab;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.IntegrationTests.GitLab;

/// <summary>
/// The GitLab side of the validator against a GitLab stand-in on 127.0.0.1 over HTTPS: what the
/// probe collects, and which check each GitLab-side mistake fails.
/// </summary>
public sealed class GitLabProbeSpecs : IAsyncLifetime
{
    private readonly X509Certificate2 _authority = TestCertificates.CreateAuthority();
    private readonly List<IAsyncDisposable> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
        _authority.Dispose();
    }

    private async Task<FakeGitLab> Serve(X509Certificate2? certificate = null, FakeGitLabState? state = null)
    {
        var server = await FakeGitLab.StartAsync(certificate ?? TestCertificates.CreateServer(_authority), state);
        _servers.Add(server);
        return server;
    }

    private GitLabProbe Probe(FakeGitLab server, string token = FakeGitLabState.Token) =>
        new(new GitLabProbeOptions(server.Url, new GitLabAdminToken(token)) { Trust = ServerCertificateTrust.CustomRoots(_authority) });

    private static async Task<ValidationReport> Validate(GitLabProbe probe)
    {
        var facts = new DuoQSetupFacts
        {
            AccountId = "123456789012",
            Region = "us-east-1",
            InstanceIdArgument = FakeGitLabState.Uuid,
            GitLab = await probe.CollectAsync(),
        };
        var report = DuoQValidator.Validate(facts, DateTimeOffset.UtcNow);
        Assert.DoesNotContain(FakeGitLabState.Token, report.ToJson());
        return report;
    }

    private static CheckResult Check(ValidationReport report, CheckDefinition definition) => report.Checks.Single(c => c.Id == definition.Id);

    private static string Evidence(CheckResult check) => string.Join("\n", check.Evidence);

    [Fact]
    public async Task A_GitLab_with_a_certificate_from_a_trusted_CA_and_Amazon_Q_set_up_passes_every_GitLab_check()
    {
        var server = await Serve();

        var report = await Validate(Probe(server));

        foreach (var definition in new[] { DuoQChecks.GitLabTls, DuoQChecks.GitLabVersion, DuoQChecks.GitLabAmazonQ, DuoQChecks.GitLabProbes, DuoQChecks.InstanceUuid })
        {
            var check = Check(report, definition);
            Assert.True(check.Status == CheckStatus.Pass, $"{check.Id}: {check.Status}\n{Evidence(check)}");
        }
        Assert.Contains("GitLab 17.11.2-ee", Evidence(Check(report, DuoQChecks.GitLabVersion)));
        Assert.Contains($"GitLab (Service Ping uuid): {FakeGitLabState.Uuid}", Evidence(Check(report, DuoQChecks.InstanceUuid)));
    }

    [Fact]
    public async Task A_self_signed_certificate_fails_the_certificate_check_and_the_token_is_never_sent()
    {
        var server = await Serve(TestCertificates.CreateSelfSignedServer());

        var report = await Validate(Probe(server));

        var tls = Check(report, DuoQChecks.GitLabTls);
        Assert.Equal(CheckStatus.Fail, tls.Status);
        Assert.Contains("self-signed", Evidence(tls));
        Assert.Empty(server.Requests);
        Assert.All(report.Checks.Where(c => c.Number is >= 8 and <= 10), c =>
        {
            Assert.Equal(CheckStatus.Skipped, c.Status);
            Assert.Contains("admin token is not sent", c.Evidence[0]);
        });
    }

    [Fact]
    public async Task A_certificate_for_another_host_fails_the_certificate_check()
    {
        var server = await Serve(TestCertificates.CreateServer(_authority, 90, "gitlab.example.com"));

        var tls = Check(await Validate(Probe(server)), DuoQChecks.GitLabTls);

        Assert.Equal(CheckStatus.Fail, tls.Status);
        Assert.Contains("not issued for 127.0.0.1", Evidence(tls));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_certificate_expiring_within_30_days_is_a_warning()
    {
        var server = await Serve(TestCertificates.CreateServer(_authority, validDays: 10));

        var tls = Check(await Validate(Probe(server)), DuoQChecks.GitLabTls);

        Assert.Equal(CheckStatus.Warn, tls.Status);
        Assert.Contains("expires in", Evidence(tls));
    }

    [Fact]
    public async Task A_certificate_the_validator_does_not_trust_fails_the_certificate_check()
    {
        var server = await Serve(TestCertificates.CreateServer(TestCertificates.CreateAuthority("CN=Unknown CA")));

        var tls = Check(await Validate(Probe(server)), DuoQChecks.GitLabTls);

        Assert.Equal(CheckStatus.Fail, tls.Status);
        Assert.Contains("does not chain to a trusted root", Evidence(tls));
    }

    [Fact]
    public async Task An_old_GitLab_fails_the_version_check()
    {
        var server = await Serve(state: new FakeGitLabState { Version = "17.8.1-ee" });

        var check = Check(await Validate(Probe(server)), DuoQChecks.GitLabVersion);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("GitLab 17.8.1-ee is older than 17.11", Evidence(check));
    }

    [Fact]
    public async Task No_Amazon_Q_OAuth_application_fails_the_Amazon_Q_application_check()
    {
        var state = new FakeGitLabState();
        state.ApplicationNames.Remove("Amazon Q OAuth");
        var server = await Serve(state: state);

        var check = Check(await Validate(Probe(server)), DuoQChecks.GitLabAmazonQ);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("no OAuth application named \"Amazon Q OAuth\"", Evidence(check));
    }

    [Fact]
    public async Task The_Amazon_Q_OAuth_application_is_found_on_a_later_page()
    {
        var state = new FakeGitLabState();
        state.ApplicationNames.Clear();
        state.ApplicationNames.AddRange(Enumerable.Range(1, 150).Select(i => $"app-{i}"));
        state.ApplicationNames.Add("Amazon Q OAuth");
        var server = await Serve(state: state);

        var check = Check(await Validate(Probe(server)), DuoQChecks.GitLabAmazonQ);

        Assert.Equal(CheckStatus.Pass, check.Status);
        Assert.Contains(server.Requests, r => r.Path.Contains("page=2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_amazon_q_user_fails_the_Amazon_Q_application_check()
    {
        var server = await Serve(state: new FakeGitLabState { AmazonQUserState = null });

        var check = Check(await Validate(Probe(server)), DuoQChecks.GitLabAmazonQ);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("no user named amazon-q", Evidence(check));
    }

    [Fact]
    public async Task A_failing_Amazon_Q_probe_fails_the_probe_check_with_its_message()
    {
        const string message = "The GitLab instance can be reached but the credentials stored in Amazon Q are not valid. Please disconnect and start over.";
        var server = await Serve(state: new FakeGitLabState
        {
            CloudConnectorStatus = $$"""
                {"success": false, "probeResults": [
                  {"name": "license_probe", "success": true, "message": "Subscription can be synchronized."},
                  {"name": "end_to_end_probe", "success": true, "message": "Amazon Q successfully received the callback request from your GitLab instance."},
                  {"name": "end_to_end_probe", "success": false, "message": "{{message}}"}]}
                """,
        });

        var check = Check(await Validate(Probe(server)), DuoQChecks.GitLabProbes);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains($"FAILED end_to_end_probe: {message}", Evidence(check));
        Assert.Contains("1 of 3 probes failed", Evidence(check));
    }

    [Fact]
    public async Task An_instance_answering_null_for_the_probes_skips_the_probe_check()
    {
        var server = await Serve(state: new FakeGitLabState { CloudConnectorStatus = "null" });

        var check = Check(await Validate(Probe(server)), DuoQChecks.GitLabProbes);

        Assert.Equal(CheckStatus.Skipped, check.Status);
        Assert.Contains("answered null for cloudConnectorStatus", Evidence(check));
    }

    [Fact]
    public async Task A_different_instance_UUID_fails_the_UUID_check_with_the_guides_recovery_steps()
    {
        const string restored = "77777777-6666-4555-8444-333333333333";
        var server = await Serve(state: new FakeGitLabState { ServicePingUuid = restored });

        var check = Check(await Validate(Probe(server)), DuoQChecks.InstanceUuid);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains($"--instance-id {FakeGitLabState.Uuid} differs from GitLab (Service Ping uuid) {restored}", Evidence(check));
        Assert.Contains("GitLab instance UUID mismatch", check.Fix);
        Assert.Contains("ApplicationSetting.update!(uuid: SecureRandom.uuid)", check.Fix);
        Assert.Contains("Update the identity provider and the IAM role with the new UUID", check.Fix);
    }

    [Fact]
    public async Task A_token_GitLab_refuses_fails_the_GitLab_checks_without_showing_the_token()
    {
        const string wrong = "glpat-NotTheAdminToken-000";
        var server = await Serve();

        var report = await Validate(Probe(server, wrong));

        var version = Check(report, DuoQChecks.GitLabVersion);
        Assert.Equal(CheckStatus.Fail, version.Status);
        Assert.Contains("GET /api/v4/version answered 401 Unauthorized: 401 Unauthorized", Evidence(version));
        Assert.DoesNotContain(wrong, report.ToJson());
    }

    [Fact]
    public async Task The_token_goes_in_the_PRIVATE_TOKEN_header_for_REST_and_as_a_bearer_token_for_GraphQL()
    {
        var server = await Serve();

        await Probe(server).CollectAsync();

        Assert.Equal(
            ["/api/v4/version", "/api/v4/applications?per_page=100&page=1", "/api/v4/users?username=amazon-q", "/api/graphql", "/api/v4/usage_data/service_ping"],
            server.Requests.Select(r => r.Path));
        Assert.All(server.Requests, r => Assert.True(r.HadToken, r.Path));
    }

    [Fact]
    public async Task An_https_port_nobody_listens_on_fails_the_certificate_check_and_asks_nothing_else()
    {
        var server = await Serve();
        var closed = new UriBuilder(server.Url) { Port = FreePort() }.Uri;
        var probe = new GitLabProbe(new GitLabProbeOptions(closed, new GitLabAdminToken(FakeGitLabState.Token)) { Trust = ServerCertificateTrust.CustomRoots(_authority) });

        var report = await Validate(probe);

        var tls = Check(report, DuoQChecks.GitLabTls);
        Assert.Equal(CheckStatus.Fail, tls.Status);
        Assert.Contains("could not connect to 127.0.0.1", Evidence(tls));
        Assert.Equal(CheckStatus.Skipped, Check(report, DuoQChecks.GitLabVersion).Status);
    }

    [Fact]
    public void The_token_never_prints_not_even_inside_the_probe_options()
    {
        var options = new GitLabProbeOptions(new Uri("https://gitlab.example.com"), new GitLabAdminToken(FakeGitLabState.Token));

        Assert.DoesNotContain(FakeGitLabState.Token, options.ToString());
        Assert.Equal("GitLabAdminToken([redacted])", options.Token.ToString());
    }

    [Fact]
    public async Task A_plain_http_URL_is_refused_without_sending_the_token()
    {
        var probe = new GitLabProbe(new GitLabProbeOptions(new Uri("http://127.0.0.1:9/"), new GitLabAdminToken(FakeGitLabState.Token)));

        var report = await Validate(probe);

        var tls = Check(report, DuoQChecks.GitLabTls);
        Assert.Equal(CheckStatus.Fail, tls.Status);
        Assert.Contains("not an https URL", Evidence(tls));
        Assert.Equal(CheckStatus.Skipped, Check(report, DuoQChecks.GitLabVersion).Status);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
