using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>
/// A self-signed ECDSA P-256 certificate for one XMPP domain, made fresh for each test server.
/// Clients cannot chain it to a trusted root, so they pin it instead.
/// </summary>
public sealed class TestServerCertificate : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    private TestServerCertificate(X509Certificate2 certificate, string certificatePem, string privateKeyPem)
    {
        Certificate = certificate;
        CertificatePem = certificatePem;
        PrivateKeyPem = privateKeyPem;
    }

    /// <summary>The certificate without its private key, for pinning.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate in PEM form.</summary>
    public string CertificatePem { get; }

    /// <summary>The private key in PKCS#8 PEM form, for the server only.</summary>
    public string PrivateKeyPem { get; }

    /// <summary>Issues a certificate whose subject alternative name is the DNS name <paramref name="domain"/>.</summary>
    public static TestServerCertificate Issue(string domain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={domain}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], false));

        // Back-dated a little so clock differences between processes cannot make it "not yet valid".
        var now = DateTimeOffset.UtcNow;
        using var signed = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(30));
        var publicOnly = X509CertificateLoader.LoadCertificate(signed.RawData);
        return new TestServerCertificate(publicOnly, signed.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>True when <paramref name="presented"/> is exactly this certificate (same DER bytes).</summary>
    public bool Matches(X509Certificate? presented) =>
        presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(Certificate.RawData);

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();
}
