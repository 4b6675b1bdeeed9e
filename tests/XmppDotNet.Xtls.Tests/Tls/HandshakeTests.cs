using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

public class HandshakeTests
{
    private static readonly string[] Tls13AeadSuites =
        ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];

    private static readonly string[] ThreeFlights = ["client", "server", "client"];

    [TestCase(XtlsKeyType.EcdsaP256)]
    [TestCase(XtlsKeyType.Ed25519)]
    public void X509_handshake_negotiates_TLS13_with_an_AEAD_suite_and_exposes_both_fingerprints(XtlsKeyType keyType)
    {
        using var pair = TlsPair.X509(keyType).Handshake();
        XtlsIdentity client = TestIdentities.Client(keyType);
        XtlsIdentity server = TestIdentities.Server(keyType);

        TlsSessionInfo clientView = pair.Client.Engine.SessionInfo!;
        TlsSessionInfo serverView = pair.Server.Engine.SessionInfo!;
        Assert.Multiple(() =>
        {
            Assert.That(clientView.Method, Is.EqualTo(XtlsMethod.X509));
            Assert.That(clientView.ProtocolVersion, Is.EqualTo("TLSv1.3"));
            Assert.That(serverView.ProtocolVersion, Is.EqualTo("TLSv1.3"));
            Assert.That(clientView.CipherSuite, Is.AnyOf(Tls13AeadSuites));
            Assert.That(serverView.CipherSuite, Is.EqualTo(clientView.CipherSuite));
            Assert.That(clientView.PeerFingerprint, Is.EqualTo(server.Fingerprint));
            Assert.That(clientView.LocalFingerprint, Is.EqualTo(client.Fingerprint));
            Assert.That(serverView.PeerFingerprint, Is.EqualTo(client.Fingerprint));
            Assert.That(serverView.LocalFingerprint, Is.EqualTo(server.Fingerprint));
            Assert.That(clientView.PeerCertificateDer, Is.EqualTo(server.CertificateDer));
            Assert.That(serverView.PeerCertificateDer, Is.EqualTo(client.CertificateDer));
            Assert.That(pair.Client.Engine.IsClosed, Is.False);
            Assert.That(pair.Server.Engine.IsClosed, Is.False);
        });
    }

    [Test]
    public void X509_handshake_takes_three_flights()
    {
        using var pair = TlsPair.X509().Handshake();

        Assert.That(pair.Shuttle.Flights.Select(f => f.From.Name), Is.EqualTo(ThreeFlights));
    }

    [Test]
    public void Srp_handshake_negotiates_TLS12_with_an_SRP_suite_and_no_certificates()
    {
        using var pair = TlsPair.Srp().Handshake();

        TlsSessionInfo clientView = pair.Client.Engine.SessionInfo!;
        TlsSessionInfo serverView = pair.Server.Engine.SessionInfo!;
        Assert.Multiple(() =>
        {
            Assert.That(clientView.Method, Is.EqualTo(XtlsMethod.Srp));
            Assert.That(clientView.ProtocolVersion, Is.EqualTo("TLSv1.2"));
            Assert.That(serverView.ProtocolVersion, Is.EqualTo("TLSv1.2"));
            Assert.That(clientView.CipherSuite, Is.EqualTo("TLS_SRP_SHA_WITH_AES_256_CBC_SHA"));
            Assert.That(serverView.CipherSuite, Is.EqualTo(clientView.CipherSuite));
            Assert.That(clientView.PeerFingerprint, Is.Null);
            Assert.That(clientView.PeerCertificateDer, Is.Null);
            Assert.That(serverView.LocalFingerprint, Is.Null);
        });
    }

    [Test]
    public void Srp_user_name_is_compared_as_a_normalised_bare_jid()
    {
        using var pair = new TlsPair(
            TestOptions.Srp(TlsRole.Client, user: "Alice@Example.ORG/laptop"),
            TestOptions.Srp(TlsRole.Server, user: "alice@example.org"));

        pair.Handshake();
    }

    [Test]
    public void Wrong_srp_password_and_unknown_srp_user_fail_identically()
    {
        (TlsEngineException Client, TlsEngineException Server) wrongPassword = FailSrp(
            TestOptions.Srp(TlsRole.Client, password: "wrong password"),
            TestOptions.Srp(TlsRole.Server));
        (TlsEngineException Client, TlsEngineException Server) unknownUser = FailSrp(
            TestOptions.Srp(TlsRole.Client, user: "mallory@example.org"),
            TestOptions.Srp(TlsRole.Server));

        Assert.Multiple(() =>
        {
            foreach (var (client, server) in new[] { wrongPassword, unknownUser })
            {
                Assert.That(server.Reason, Is.EqualTo(TlsFailureReason.SrpAuthenticationFailed));
                Assert.That(server.AlertFromPeer, Is.False);
                Assert.That(client.Reason, Is.EqualTo(TlsFailureReason.SrpAuthenticationFailed));
                Assert.That(client.AlertFromPeer, Is.True, "the server's alert reaches the client");
                Assert.That(client.Alert, Is.EqualTo(server.Alert));
                Assert.That(client.DuringHandshake, Is.True);
            }

            Assert.That(unknownUser.Server.Alert, Is.EqualTo(wrongPassword.Server.Alert));
            Assert.That(unknownUser.Server.AlertCode, Is.EqualTo(wrongPassword.Server.AlertCode));
            Assert.That(unknownUser.Client.Alert, Is.EqualTo(wrongPassword.Client.Alert));
        });
    }

    [Test]
    public void Client_expecting_another_fingerprint_rejects_the_server_and_the_server_learns_why()
    {
        Fingerprint wrong = TestIdentities.Client().Fingerprint;
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client(), expected: wrong),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server()));

        pair.Shuttle.Run();

        TlsEngineException client = pair.Client.EngineError!;
        TlsEngineException server = pair.Server.EngineError!;
        Assert.Multiple(() =>
        {
            Assert.That(client.Reason, Is.EqualTo(TlsFailureReason.PeerCertificateRejected));
            Assert.That(client.Alert, Is.EqualTo("bad_certificate"));
            Assert.That(client.AlertCode, Is.EqualTo(42));
            Assert.That(client.AlertFromPeer, Is.False);
            Assert.That(client.PeerFingerprint, Is.EqualTo(TestIdentities.Server().Fingerprint));
            Assert.That(client.Message, Does.Contain(wrong.ToString()));
            Assert.That(server.Reason, Is.EqualTo(TlsFailureReason.CertificateRejectedByPeer));
            Assert.That(server.Alert, Is.EqualTo("bad_certificate"));
            Assert.That(server.AlertFromPeer, Is.True);
            Assert.That(pair.Client.Engine.IsHandshakeComplete, Is.False);
            Assert.That(pair.Server.Engine.IsHandshakeComplete, Is.False);
            Assert.That(pair.Client.Engine.IsClosed, Is.True);
            Assert.That(pair.Server.Engine.IsFailed, Is.True);
        });
    }

    [Test]
    public void Server_expecting_another_fingerprint_rejects_the_client_after_the_client_completed()
    {
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client()),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server(), expected: TestIdentities.Server().Fingerprint));

        // Client hello, server flight: the TLS 1.3 client completes before the server has judged it.
        pair.Shuttle.Carry(pair.Client, pair.Server);
        pair.Shuttle.Carry(pair.Server, pair.Client);
        Assert.That(pair.Client.Engine.IsHandshakeComplete, Is.True);
        pair.Client.Engine.WritePlaintext("sent too early"u8);

        pair.Shuttle.Run();

        TlsEngineException client = pair.Client.EngineError!;
        TlsEngineException server = pair.Server.EngineError!;
        Assert.Multiple(() =>
        {
            Assert.That(server.Reason, Is.EqualTo(TlsFailureReason.PeerCertificateRejected));
            Assert.That(server.AlertFromPeer, Is.False);
            Assert.That(server.PeerFingerprint, Is.EqualTo(TestIdentities.Client().Fingerprint));
            Assert.That(client.Reason, Is.EqualTo(TlsFailureReason.CertificateRejectedByPeer));
            Assert.That(client.Alert, Is.EqualTo("bad_certificate"));
            Assert.That(client.AlertFromPeer, Is.True);
            Assert.That(client.DuringHandshake, Is.False, "the client had already completed");
            Assert.That(pair.Server.Engine.IsHandshakeComplete, Is.False);
            Assert.That(pair.Server.Engine.AvailablePlaintext, Is.Zero, "nothing from the rejected client is delivered");
            Assert.That(pair.Client.Engine.IsClosed, Is.True);
        });
    }

    [Test]
    public void Matching_expected_fingerprints_on_both_sides_complete_the_handshake()
    {
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client(), expected: TestIdentities.Server().Fingerprint),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server(), expected: TestIdentities.Client().Fingerprint));

        pair.Handshake();
    }

    [Test]
    public void Peer_certificate_check_sees_the_peer_fingerprint_and_can_refuse_it()
    {
        var seen = new List<Fingerprint>();
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client(), check: fp =>
            {
                seen.Add(fp);
                return false;
            }),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server()));

        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo((Fingerprint[])[TestIdentities.Server().Fingerprint]));
            Assert.That(pair.Client.EngineError!.Reason, Is.EqualTo(TlsFailureReason.PeerCertificateRejected));
            Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.CertificateRejectedByPeer));
        });
    }

    [Test]
    public void Peer_certificate_check_that_throws_rejects_the_peer()
    {
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client()),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server(), check: _ => throw new InvalidOperationException("store offline")));

        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.PeerCertificateRejected));
            Assert.That(pair.Server.EngineError!.Message, Does.Contain("store offline"));
            Assert.That(pair.Client.EngineError!.Reason, Is.EqualTo(TlsFailureReason.CertificateRejectedByPeer));
        });
    }

    [Test]
    public void Peer_certificate_check_accepting_the_peer_completes_the_handshake()
    {
        using var pair = new TlsPair(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client(), check: fp => fp == TestIdentities.Server().Fingerprint),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server(), check: fp => fp == TestIdentities.Client().Fingerprint));

        pair.Handshake();
    }

    private static (TlsEngineException Client, TlsEngineException Server) FailSrp(TlsEngineOptions client, TlsEngineOptions server)
    {
        using var pair = new TlsPair(client, server);
        pair.Shuttle.Run();
        Assert.That(pair.Client.EngineError, Is.Not.Null, "client error");
        Assert.That(pair.Server.EngineError, Is.Not.Null, "server error");
        Assert.That(pair.Client.Engine.IsHandshakeComplete || pair.Server.Engine.IsHandshakeComplete, Is.False);
        return (pair.Client.EngineError!, pair.Server.EngineError!);
    }
}
