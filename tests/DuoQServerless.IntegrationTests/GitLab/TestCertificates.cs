using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DuoQServerless.IntegrationTests.GitLab;

/// <summary>Certificates made in the test: a CA the test trusts, leaves it signs, and a self-signed leaf.</summary>
internal static class TestCertificates
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddDays(-1);

    public static X509Certificate2 CreateAuthority(string name = "CN=DuoQ Test Root CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(Start, Start.AddYears(2));
        return Reload(certificate);
    }

    /// <summary>A server certificate for 127.0.0.1 and localhost (or the given names) signed by <paramref name="authority"/>.</summary>
    public static X509Certificate2 CreateServer(X509Certificate2 authority, int validDays = 90, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ServerRequest(key, dnsNames);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var unsigned = request.Create(authority, Start, DateTimeOffset.UtcNow.AddDays(validDays), serial);
        using var certificate = unsigned.CopyWithPrivateKey(key);
        return Reload(certificate);
    }

    public static X509Certificate2 CreateSelfSignedServer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = ServerRequest(key, []).CreateSelfSigned(Start, Start.AddDays(90));
        return Reload(certificate);
    }

    private static CertificateRequest ServerRequest(ECDsa key, string[] dnsNames)
    {
        var names = dnsNames.Length == 0 ? ["localhost"] : dnsNames;
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names) san.AddDnsName(name);
        if (dnsNames.Length == 0) san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }

    /// <summary>A PKCS#12 round trip gives a certificate whose private key every TLS stack can use.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
}
