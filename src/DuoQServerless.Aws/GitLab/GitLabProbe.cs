using System.Net;
using System.Net.Security;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Aws.GitLab;

public sealed record GitLabProbeOptions(Uri BaseUrl, GitLabAdminToken Token)
{
    /// <summary>The roots GitLab's certificate must chain to; the system's by default, as Amazon Q sees it.</summary>
    public ServerCertificateTrust Trust { get; init; } = ServerCertificateTrust.System;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// Collects the GitLab side of the setup (checks 7 to 11): the certificate first, then, only over
/// a connection Amazon Q itself would trust, the API calls that carry the admin token.
/// </summary>
public sealed class GitLabProbe(GitLabProbeOptions options)
{
    public async Task<GitLabFacts> CollectAsync(CancellationToken cancellationToken = default)
    {
        var url = options.BaseUrl;
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            var why = $"{url} is not an https URL; Amazon Q needs HTTPS, and the admin token is not sent in clear text";
            return GitLabFacts.NotAsked(why, url) with { Tls = Observe.Unavailable<TlsFacts>(why) };
        }

        var now = options.Clock.GetUtcNow();
        var (tls, verdict) = await TlsInspector.InspectAsync(url, options.Trust, now, options.Timeout, cancellationToken);
        if (verdict is not { Trusted: true })
        {
            var why = verdict is null
                ? "GitLab was not asked: its HTTPS endpoint did not answer (check 7)"
                : "GitLab was not asked: its certificate is not one Amazon Q would trust (check 7), so the admin token is not sent to it";
            return GitLabFacts.NotAsked(why, url) with { Tls = tls };
        }

        using var http = CreateClient(url, options.Trust, options.Timeout, options.Clock);
        var api = new GitLabApi(http, WithTrailingSlash(url), options.Token);
        return new GitLabFacts(
            url,
            tls,
            await api.VersionAsync(cancellationToken),
            await api.ApplicationsAsync(cancellationToken),
            await api.UserAsync(DuoQGuide.ServiceAccountUsername, cancellationToken),
            await api.CloudConnectorStatusAsync(cancellationToken),
            await api.ServicePingUuidAsync(cancellationToken));
    }

    private static HttpClient CreateClient(Uri url, ServerCertificateTrust trust, TimeSpan timeout, TimeProvider clock)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = timeout,
            AutomaticDecompression = DecompressionMethods.All,
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                // The same judgement as the inspection: the token only goes over a connection that passed it.
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    if (certificate is null) return false;
                    using var leaf = new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate);
                    var presented = chain is null ? [] : TlsInspector.Presented(chain);
                    return trust.Judge(leaf, presented, url.IdnHost, clock.GetUtcNow()).Trusted;
                },
            },
        };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("duoq-validator/1.0");
        return http;
    }

    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsolutePath.EndsWith('/') ? url : new Uri(url.GetLeftPart(UriPartial.Path) + "/");
}
