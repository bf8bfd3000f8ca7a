namespace DuoQServerless.Core.Validation.Checks;

/// <summary>
/// Check 7: GitLab answers over HTTPS with a certificate that chains to a trusted root, is not
/// self-signed, matches the host name and is in date; expiry within 30 days is a warning.
/// </summary>
internal static class GitLabTlsCheck
{
    private static CheckDefinition Check => DuoQChecks.GitLabTls;

    public static CheckResult Run(SetupContext context)
    {
        var host = context.Facts.GitLab.Url?.Host ?? "<GitLab host>";
        TlsFacts tls;
        switch (context.Facts.GitLab.Tls)
        {
            case Observation<TlsFacts>.NotAsked notAsked:
                return Check.Skipped(notAsked.Why);
            case Observation<TlsFacts>.Absent absent:
                return Check.Fail([$"no HTTPS server: {absent.What}"], Fixes.Certificate(host));
            case Observation<TlsFacts>.Unavailable unavailable:
                return Check.Fail([$"HTTPS did not answer: {unavailable.Error}"], Fixes.Certificate(host));
            case Observation<TlsFacts>.Seen seen:
                tls = seen.Value;
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }

        var evidence = new List<string>
        {
            $"{tls.Host}:{tls.Port} presented \"{tls.Subject}\" issued by \"{tls.Issuer}\", valid {tls.NotBefore:yyyy-MM-dd} to {tls.NotAfter:yyyy-MM-dd}",
        };
        var failures = new List<string>();
        if (tls.SelfSigned) failures.Add("the certificate is self-signed; Amazon Q refuses self-signed certificates");
        else if (!tls.ChainsToTrustedRoot) failures.Add("the certificate does not chain to a trusted root");
        failures.AddRange(tls.ChainProblems.Select(p => $"chain: {p}"));
        if (!tls.HostNameMatches) failures.Add($"the certificate is not issued for {tls.Host}");
        if (context.Now > tls.NotAfter) failures.Add($"the certificate expired on {tls.NotAfter:yyyy-MM-dd}");
        if (context.Now < tls.NotBefore) failures.Add($"the certificate is not valid before {tls.NotBefore:yyyy-MM-dd}");

        if (failures.Count > 0) return Check.Fail([.. evidence, .. failures], Fixes.Certificate(tls.Host));

        var left = tls.NotAfter - context.Now;
        if (left < TimeSpan.FromDays(DuoQGuide.CertificateWarningDays))
            return Check.Warn([.. evidence, $"the certificate expires in {Math.Max(0, (int)left.TotalDays)} days ({tls.NotAfter:yyyy-MM-dd})"], Fixes.Certificate(tls.Host));
        return Check.Pass([.. evidence, "chains to a trusted root, matches the host name, and is not self-signed"]);
    }
}
