using Org.BouncyCastle.Tls;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

public class VersionAndLegacyTests
{
    private static readonly ProtocolVersion[] Tls12Only = ProtocolVersion.TLSv12.Only();
    private static readonly ProtocolVersion[] Tls13Only = ProtocolVersion.TLSv13.Only();
    private static readonly int[] EcdsaGcm = [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
    private static readonly int[] Tls13Gcm = [CipherSuite.TLS_AES_128_GCM_SHA256];
    private static readonly int[] TripleDesOnly = [CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA];

    [Test]
    public void Tls12_client_is_refused_by_a_default_server()
    {
        BcEndpoint client = RawBcPeers.Client(Tls12Only, EcdsaGcm, TestIdentities.Client());
        EngineEndpoint server = Server(TestOptions.X509(TlsRole.Server, TestIdentities.Server()));

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.ProtocolVersion));
            Assert.That(server.EngineError!.Alert, Is.EqualTo("protocol_version"));
            Assert.That(client.Error, Is.InstanceOf<TlsFatalAlertReceived>());
        });
    }

    [TestCase(XtlsKeyType.EcdsaP256)]
    [TestCase(XtlsKeyType.Ed25519)]
    public void Tls12_client_is_served_with_ecdhe_and_aead_when_the_server_allows_it(XtlsKeyType keyType)
    {
        BcEndpoint client = RawBcPeers.Client(Tls12Only, EcdsaGcm, TestIdentities.Client(keyType));
        EngineEndpoint server = Server(TestOptions.X509(
            TlsRole.Server, TestIdentities.Server(keyType), minimumVersion: TlsProtocolVersion.Tls12));

        new Shuttle(client, server).Run();

        TlsSessionInfo session = server.Engine.SessionInfo!;
        Assert.Multiple(() =>
        {
            Assert.That(client.Error, Is.Null);
            Assert.That(server.Error, Is.Null);
            Assert.That(session.ProtocolVersion, Is.EqualTo("TLSv1.2"));
            Assert.That(session.CipherSuite, Is.EqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
            Assert.That(session.PeerFingerprint, Is.EqualTo(TestIdentities.Client(keyType).Fingerprint));
        });
    }

    [Test]
    public void Tls12_server_requires_a_client_certificate_too()
    {
        BcEndpoint client = RawBcPeers.Client(Tls12Only, EcdsaGcm, identity: null);
        EngineEndpoint server = Server(TestOptions.X509(
            TlsRole.Server, TestIdentities.Server(), minimumVersion: TlsProtocolVersion.Tls12));

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.CertificateRequired));
            Assert.That(server.EngineError!.Alert, Is.EqualTo("handshake_failure"));
            Assert.That(client.Error, Is.InstanceOf<TlsFatalAlertReceived>());
        });
    }

    [Test]
    public void Client_without_certificate_gets_certificate_required()
    {
        BcEndpoint client = RawBcPeers.Client(Tls13Only, Tls13Gcm, identity: null);
        EngineEndpoint server = Server(TestOptions.X509(TlsRole.Server, TestIdentities.Server()));

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.CertificateRequired));
            Assert.That(server.EngineError!.Alert, Is.EqualTo("certificate_required"));
            Assert.That(server.EngineError!.AlertCode, Is.EqualTo(116));
            Assert.That(server.EngineError!.AlertFromPeer, Is.False);
            Assert.That(((TlsFatalAlertReceived)client.Error!).AlertDescription, Is.EqualTo(AlertDescription.certificate_required));
            Assert.That(server.Engine.IsHandshakeComplete, Is.False);
        });
    }

    [Test]
    public void Engine_client_allowing_tls12_talks_to_a_tls12_server_and_checks_its_certificate()
    {
        EngineEndpoint client = Client(TestOptions.X509(
            TlsRole.Client, TestIdentities.Client(), minimumVersion: TlsProtocolVersion.Tls12));
        BcEndpoint server = RawBcPeers.Server(Tls12Only, EcdsaGcm, TestIdentities.Server());

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(client.Error, Is.Null);
            Assert.That(server.Error, Is.Null);
            Assert.That(client.Engine.SessionInfo!.ProtocolVersion, Is.EqualTo("TLSv1.2"));
            Assert.That(client.Engine.SessionInfo!.PeerFingerprint, Is.EqualTo(TestIdentities.Server().Fingerprint));
        });
    }

    [Test]
    public void Default_engine_client_refuses_a_tls12_server()
    {
        EngineEndpoint client = Client(TestOptions.X509(TlsRole.Client, TestIdentities.Client()));
        BcEndpoint server = RawBcPeers.Server(Tls12Only, EcdsaGcm, TestIdentities.Server());

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(client.EngineError!.Reason, Is.EqualTo(TlsFailureReason.ProtocolVersion));
            Assert.That(client.Engine.IsHandshakeComplete, Is.False);
        });
    }

    [Test]
    public void Legacy_client_is_refused_by_a_default_server()
    {
        BcEndpoint client = RawBcPeers.Client(Tls12Only, TripleDesOnly, TestIdentities.Client(), extendedMasterSecret: false);
        EngineEndpoint server = Server(TestOptions.X509(TlsRole.Server, TestIdentities.Server(XtlsKeyType.Rsa)));

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(server.EngineError, Is.Not.Null);
            Assert.That(client.Error, Is.InstanceOf<TlsFatalAlertReceived>());
            Assert.That(server.Engine.IsHandshakeComplete, Is.False);
        });
    }

    [Test]
    public void Legacy_client_is_refused_by_a_tls12_server_without_the_legacy_opt_in()
    {
        BcEndpoint client = RawBcPeers.Client(Tls12Only, TripleDesOnly, TestIdentities.Client(), extendedMasterSecret: false);
        EngineEndpoint server = Server(TestOptions.X509(
            TlsRole.Server, TestIdentities.Server(XtlsKeyType.Rsa), minimumVersion: TlsProtocolVersion.Tls12));

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.HandshakeFailure));
            Assert.That(client.Error, Is.InstanceOf<TlsFatalAlertReceived>());
        });
    }

    [Test]
    public void Legacy_suite_works_on_tls12_when_the_server_opted_in()
    {
        BcEndpoint client = RawBcPeers.Client(Tls12Only, TripleDesOnly, TestIdentities.Client(), extendedMasterSecret: false);
        EngineEndpoint server = Server(TestOptions.X509(
            TlsRole.Server, TestIdentities.Server(XtlsKeyType.Rsa), minimumVersion: TlsProtocolVersion.Tls12, legacy: true));

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(client.Error, Is.Null);
            Assert.That(server.Error, Is.Null);
            Assert.That(server.Engine.SessionInfo!.ProtocolVersion, Is.EqualTo("TLSv1.2"));
            Assert.That(server.Engine.SessionInfo!.CipherSuite, Is.EqualTo("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
            Assert.That(server.Engine.SessionInfo!.PeerFingerprint, Is.EqualTo(TestIdentities.Client().Fingerprint));
        });
    }

    [Test]
    public void Legacy_suite_works_on_tls12_when_the_client_opted_in()
    {
        EngineEndpoint client = Client(TestOptions.X509(
            TlsRole.Client, TestIdentities.Client(), minimumVersion: TlsProtocolVersion.Tls12, legacy: true));
        BcEndpoint server = RawBcPeers.Server(Tls12Only, TripleDesOnly, TestIdentities.Server(XtlsKeyType.Rsa), extendedMasterSecret: false);

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(client.Error, Is.Null);
            Assert.That(server.Error, Is.Null);
            Assert.That(client.Engine.SessionInfo!.CipherSuite, Is.EqualTo("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
            Assert.That(client.Engine.SessionInfo!.PeerFingerprint, Is.EqualTo(TestIdentities.Server(XtlsKeyType.Rsa).Fingerprint));
        });
    }

    [Test]
    public void Default_engine_client_refuses_a_legacy_server()
    {
        EngineEndpoint client = Client(TestOptions.X509(
            TlsRole.Client, TestIdentities.Client(), minimumVersion: TlsProtocolVersion.Tls12));
        BcEndpoint server = RawBcPeers.Server(Tls12Only, TripleDesOnly, TestIdentities.Server(XtlsKeyType.Rsa), extendedMasterSecret: false);

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(client.EngineError!.Reason, Is.EqualTo(TlsFailureReason.HandshakeFailure));
            Assert.That(client.Engine.IsHandshakeComplete, Is.False);
        });
    }

    [Test]
    public void Two_engines_that_allow_legacy_suites_still_negotiate_tls13()
    {
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client(), minimumVersion: TlsProtocolVersion.Tls12, legacy: true),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server(XtlsKeyType.Rsa), minimumVersion: TlsProtocolVersion.Tls12, legacy: true));

        pair.Handshake();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.Engine.SessionInfo!.ProtocolVersion, Is.EqualTo("TLSv1.3"));
            Assert.That(pair.Client.Engine.SessionInfo!.CipherSuite, Does.StartWith("TLS_AES_").Or.StartWith("TLS_CHACHA20"));
        });
    }

    [Test]
    public void Legacy_opt_in_without_tls12_is_refused_when_the_engine_is_created()
    {
        TlsEngineOptions options = TestOptions.X509(TlsRole.Client, TestIdentities.Client(), legacy: true);

        Assert.That(() => TlsEngine.Create(options), Throws.ArgumentException.With.Message.Contains("Tls12"));
    }

    private static EngineEndpoint Client(TlsEngineOptions options) => new("client", TlsEngine.Create(options));

    private static EngineEndpoint Server(TlsEngineOptions options) => new("server", TlsEngine.Create(options));
}
