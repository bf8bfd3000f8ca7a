using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DuoQServerless.Aws.GitLab;

/// <summary>How a server certificate was judged: the facts check 7 reports, and whether the admin token may be sent.</summary>
public sealed record CertificateVerdict(bool ChainsToTrustedRoot, bool SelfSigned, bool HostNameMatches, bool InDate, IReadOnlyList<string> ChainProblems)
{
    /// <summary>Only a connection Amazon Q itself would accept gets the admin token.</summary>
    public bool Trusted => ChainsToTrustedRoot && !SelfSigned && HostNameMatches && InDate;
}

/// <summary>
/// Which roots a GitLab server certificate must chain to: the operating system's (what Amazon Q
/// sees, the default) or given ones (tests trust their own CA). No network is used: no
/// revocation lookups, no AIA downloads.
/// </summary>
public abstract class ServerCertificateTrust
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    public static ServerCertificateTrust System { get; } = new SystemRoots();

    public static ServerCertificateTrust CustomRoots(params X509Certificate2[] roots) => new GivenRoots([.. roots]);

    public CertificateVerdict Judge(X509Certificate2 leaf, IEnumerable<X509Certificate2> presented, string host, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        // Expiry is reported on its own (fail when expired, warn within 30 days), not as a chain error.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        chain.ChainPolicy.ExtraStore.AddRange(presented.ToArray());
        Configure(chain.ChainPolicy);

        var built = chain.Build(leaf);
        var problems = chain.ChainStatus
            .Where(s => s.Status != X509ChainStatusFlags.NoError)
            .Select(s => $"{s.Status}: {s.StatusInformation.Trim()}")
            .Distinct()
            .ToArray();

        var selfSigned = leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData);
        var inDate = now >= leaf.NotBefore.ToUniversalTime() && now <= leaf.NotAfter.ToUniversalTime();
        return new CertificateVerdict(built, selfSigned, leaf.MatchesHostname(host), inDate, problems);
    }

    protected abstract void Configure(X509ChainPolicy policy);

    private sealed class SystemRoots : ServerCertificateTrust
    {
        protected override void Configure(X509ChainPolicy policy) => policy.TrustMode = X509ChainTrustMode.System;
    }

    private sealed class GivenRoots(X509Certificate2[] roots) : ServerCertificateTrust
    {
        protected override void Configure(X509ChainPolicy policy)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(roots);
        }
    }
}
