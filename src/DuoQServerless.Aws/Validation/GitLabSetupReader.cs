using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws.GitLab;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Aws.Validation;

/// <summary>
/// The GitLab side of the setup: the admin token from its SSM SecureString parameter, then the
/// <see cref="GitLabProbe"/>. Without a URL and a token parameter nothing is asked. When the token
/// cannot be read, the certificate is still inspected (it needs no token) and every API fact says
/// why it is missing.
/// </summary>
internal sealed class GitLabSetupReader(IAmazonSimpleSystemsManagement ssm, GitLabReadOptions options)
{
    public async Task<GitLabFacts> ReadAsync(ValidationTarget target, CancellationToken cancellationToken)
    {
        if (target.GitLabUrl is not { } url)
            return GitLabFacts.NotAsked("no GitLab URL was given (--gitlab-url, DUOQ_GITLAB_URL)");
        if (target.GitLabTokenParameter is not { } parameter)
            return GitLabFacts.NotAsked("no SSM parameter with a GitLab admin token was given (--gitlab-token-parameter, DUOQ_GITLAB_TOKEN_PARAMETER)", url);

        var token = await AwsObservation.ReadAsync(async ct =>
        {
            var answer = await AwsObservation.SdkAsync("ssm", "GetParameter",
                () => ssm.GetParameterAsync(new GetParameterRequest { Name = parameter, WithDecryption = true }, ct));
            return string.IsNullOrWhiteSpace(answer.Parameter?.Value)
                ? Observe.Absent<GitLabAdminToken>($"the SSM parameter {parameter} is empty")
                : Observe.Seen(new GitLabAdminToken(answer.Parameter.Value));
        }, cancellationToken);

        switch (token)
        {
            case Observation<GitLabAdminToken>.Seen { Value: var adminToken }:
                var probe = new GitLabProbe(new GitLabProbeOptions(url, adminToken) { Trust = options.Trust, Timeout = options.Timeout, Clock = options.Clock });
                return await probe.CollectAsync(cancellationToken);
            case Observation<GitLabAdminToken>.Absent absent:
                return await CertificateOnlyAsync(url, $"the GitLab admin token could not be read: {absent.What}", cancellationToken);
            case Observation<GitLabAdminToken>.Unavailable unavailable:
                return await CertificateOnlyAsync(url, $"the GitLab admin token could not be read (it needs ssm:GetParameter on {parameter}, and kms:Decrypt on its key): {unavailable.Error}", cancellationToken);
            case Observation<GitLabAdminToken>.NotAsked notAsked:
                return GitLabFacts.NotAsked(notAsked.Why, url);
            default:
                throw new System.Diagnostics.UnreachableException();
        }
    }

    private async Task<GitLabFacts> CertificateOnlyAsync(Uri url, string why, CancellationToken cancellationToken)
    {
        var unavailable = GitLabFacts.NotAsked(why, url) with
        {
            Version = Observe.Unavailable<string>(why),
            Applications = Observe.Unavailable<IReadOnlyList<GitLabApplication>>(why),
            AmazonQUser = Observe.Unavailable<GitLabUser>(why),
            CloudConnector = Observe.Unavailable<CloudConnectorStatus>(why),
            ServicePingUuid = Observe.Unavailable<string>(why),
        };
        if (url.Scheme != Uri.UriSchemeHttps)
            return unavailable with { Tls = Observe.Unavailable<TlsFacts>($"{url} is not an https URL; Amazon Q needs HTTPS") };
        var (tls, _) = await TlsInspector.InspectAsync(url, options.Trust, options.Clock.GetUtcNow(), options.Timeout, cancellationToken);
        return unavailable with { Tls = tls };
    }
}

/// <summary>How GitLab is reached: the roots its certificate must chain to (the system's, as Amazon Q sees it), timeout and clock.</summary>
public sealed record GitLabReadOptions
{
    public ServerCertificateTrust Trust { get; init; } = ServerCertificateTrust.System;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
