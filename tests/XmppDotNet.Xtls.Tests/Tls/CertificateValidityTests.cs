using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

public class CertificateValidityTests
{
    private static readonly DateTimeOffset Issued = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Expired_server_certificate_is_rejected_with_certificate_expired()
    {
        XtlsIdentity server = XtlsIdentity.Generate(validity: TimeSpan.FromDays(1), time: new FixedTimeProvider(Issued));
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client(), time: new FixedTimeProvider(Issued.AddDays(2))),
            TestOptions.X509(TlsRole.Server, server, time: new FixedTimeProvider(Issued.AddDays(2))));

        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.EngineError!.Reason, Is.EqualTo(TlsFailureReason.PeerCertificateRejected));
            Assert.That(pair.Client.EngineError!.Alert, Is.EqualTo("certificate_expired"));
            Assert.That(pair.Client.EngineError!.Message, Does.Contain("expired"));
            Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.CertificateRejectedByPeer));
            Assert.That(pair.Server.EngineError!.Alert, Is.EqualTo("certificate_expired"));
        });
    }

    [Test]
    public void Expired_client_certificate_is_rejected_by_the_server()
    {
        XtlsIdentity client = XtlsIdentity.Generate(validity: TimeSpan.FromDays(1), time: new FixedTimeProvider(Issued));
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, client, time: new FixedTimeProvider(Issued.AddDays(2))),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server(), time: new FixedTimeProvider(Issued.AddDays(2))));

        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.PeerCertificateRejected));
            Assert.That(pair.Server.EngineError!.Alert, Is.EqualTo("certificate_expired"));
            Assert.That(pair.Client.EngineError!.Reason, Is.EqualTo(TlsFailureReason.CertificateRejectedByPeer));
        });
    }

    [Test]
    public void Certificate_that_is_not_yet_valid_is_rejected()
    {
        XtlsIdentity server = XtlsIdentity.Generate(validity: TimeSpan.FromDays(1), time: new FixedTimeProvider(Issued));
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client(), time: new FixedTimeProvider(Issued.AddDays(-1))),
            TestOptions.X509(TlsRole.Server, server));

        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.EngineError!.Alert, Is.EqualTo("certificate_expired"));
            Assert.That(pair.Client.EngineError!.Message, Does.Contain("not valid before"));
        });
    }

    [Test]
    public void Certificate_inside_its_validity_period_is_accepted()
    {
        XtlsIdentity server = XtlsIdentity.Generate(validity: TimeSpan.FromDays(1), time: new FixedTimeProvider(Issued));
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client(), time: new FixedTimeProvider(Issued.AddHours(23))),
            TestOptions.X509(TlsRole.Server, server));

        pair.Handshake();
    }

    [Test]
    public void Expired_certificate_is_accepted_when_validity_checking_is_off()
    {
        XtlsIdentity server = XtlsIdentity.Generate(validity: TimeSpan.FromDays(1), time: new FixedTimeProvider(Issued.AddYears(-10)));
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client(), checkValidity: false),
            TestOptions.X509(TlsRole.Server, server));

        pair.Handshake();

        Assert.That(pair.Client.Engine.SessionInfo!.PeerFingerprint, Is.EqualTo(server.Fingerprint));
    }

    [Test]
    public void Client_certificate_whose_key_usage_forbids_signatures_is_rejected()
    {
        XtlsIdentity client = IdentityWithKeyUsage(KeyUsage.KeyEncipherment | KeyUsage.KeyAgreement);
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, client),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server()));

        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.PeerCertificateRejected));
            Assert.That(pair.Server.EngineError!.Alert, Is.EqualTo("bad_certificate"));
            Assert.That(pair.Server.EngineError!.Message, Does.Contain("digitalSignature"));
            Assert.That(pair.Client.EngineError!.Reason, Is.EqualTo(TlsFailureReason.CertificateRejectedByPeer));
        });
    }

    [Test]
    public void Server_certificate_whose_key_usage_forbids_signatures_is_rejected()
    {
        XtlsIdentity server = IdentityWithKeyUsage(KeyUsage.KeyAgreement);
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client()),
            TestOptions.X509(TlsRole.Server, server));

        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.EngineError!.Reason, Is.EqualTo(TlsFailureReason.PeerCertificateRejected));
            Assert.That(pair.Client.Engine.IsHandshakeComplete, Is.False);
            Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.CertificateRejectedByPeer));
        });
    }

    [Test]
    public void Certificate_without_a_key_usage_extension_is_accepted()
    {
        XtlsIdentity client = IdentityWithKeyUsage(keyUsage: null);
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, client),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server()));

        pair.Handshake();
    }

    /// <summary>A P-256 identity made outside XtlsIdentity.Generate, loaded back through PEM.</summary>
    internal static XtlsIdentity IdentityWithKeyUsage(int? keyUsage)
    {
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator("EC");
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();

        var name = new X509Name("CN=key usage test");
        var certificateGenerator = new X509V3CertificateGenerator();
        certificateGenerator.SetSerialNumber(BigInteger.ValueOf(7));
        certificateGenerator.SetIssuerDN(name);
        certificateGenerator.SetSubjectDN(name);
        certificateGenerator.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        certificateGenerator.SetNotAfter(DateTime.UtcNow.AddDays(30));
        certificateGenerator.SetPublicKey(pair.Public);
        if (keyUsage is { } usage)
        {
            certificateGenerator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(usage));
        }

        X509Certificate certificate = certificateGenerator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", pair.Private, random));
        string certificatePem = PemEncoding.WriteString("CERTIFICATE", certificate.GetEncoded());
        string keyPem = PemEncoding.WriteString("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetEncoded());
        return XtlsIdentity.LoadPem(certificatePem, keyPem);
    }
}
