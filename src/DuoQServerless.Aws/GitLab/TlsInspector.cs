using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Aws.GitLab;

/// <summary>
/// Opens a TLS connection to the GitLab host only to look at the certificate it presents; nothing
/// is sent over it. The verdict decides whether the API calls (which carry the admin token) run.
/// </summary>
internal static class TlsInspector
{
    public static async Task<(Observation<TlsFacts> Facts, CertificateVerdict? Verdict)> InspectAsync(
        Uri url, ServerCertificateTrust trust, DateTimeOffset now, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var host = url.IdnHost;
        var port = url.Port;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        X509Certificate2? leaf = null;
        var presented = new List<X509Certificate2>();
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, deadline.Token);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                // Accept whatever is presented: this connection only inspects; the verdict is ours.
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    if (certificate is not null) leaf = new X509Certificate2(certificate);
                    if (chain is not null) presented.AddRange(Presented(chain));
                    return true;
                },
            }, deadline.Token);
        }
        // Each of these is an answer about the server (refused, reset, no TLS, too slow), not a bug here.
        catch (SocketException e)
        {
            return (Observe.Unavailable<TlsFacts>($"could not connect to {host}:{port} ({e.SocketErrorCode})"), null);
        }
        catch (AuthenticationException e)
        {
            return (Observe.Unavailable<TlsFacts>($"the TLS handshake with {host}:{port} failed: {e.Message}"), null);
        }
        catch (IOException e)
        {
            return (Observe.Unavailable<TlsFacts>($"the connection to {host}:{port} broke during the TLS handshake: {e.Message}"), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (Observe.Unavailable<TlsFacts>($"{host}:{port} did not complete a TLS handshake within {timeout.TotalSeconds:0} s"), null);
        }

        if (leaf is null) return (Observe.Unavailable<TlsFacts>($"{host}:{port} presented no certificate"), null);
        using (leaf)
        {
            var verdict = trust.Judge(leaf, presented, host, now);
            var facts = new TlsFacts(
                host,
                port,
                leaf.Subject,
                leaf.Issuer,
                leaf.NotBefore.ToUniversalTime(),
                leaf.NotAfter.ToUniversalTime(),
                verdict.ChainsToTrustedRoot,
                verdict.SelfSigned,
                verdict.HostNameMatches,
                verdict.ChainProblems);
            return (Observe.Seen(facts), verdict);
        }
    }

    /// <summary>The certificates the server sent besides the leaf (the platform puts them in the chain's extra store).</summary>
    internal static IEnumerable<X509Certificate2> Presented(X509Chain chain) =>
        chain.ChainPolicy.ExtraStore.Cast<X509Certificate2>()
            .Concat(chain.ChainElements.Skip(1).Select(e => e.Certificate))
            .Select(c => new X509Certificate2(c))
            .ToArray();
}
