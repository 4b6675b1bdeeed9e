using System.Security.Cryptography;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>
/// The TLS layer of a re-open: the key of an earlier connection as a TLS 1.3 external PSK with psk_dhe_ke, and
/// the fall-backs when the other side does not hold it.
/// </summary>
public class ReopenKeyHandshakeTests
{
    private const string Label = "EXPORTER-test";

    [Test]
    public void X509_with_the_same_key_on_both_sides_reopens_without_certificates()
    {
        using TlsReopenKey key = NewKey();
        using var pair = new TlsPair(WithKey(TestOptions.X509(TlsRole.Client, TestIdentities.Client()), key), WithKey(TestOptions.X509(TlsRole.Server, TestIdentities.Server()), key));
        pair.Handshake();

        TlsSessionInfo client = pair.Client.Engine.SessionInfo!;
        TlsSessionInfo server = pair.Server.Engine.SessionInfo!;
        Assert.Multiple(() =>
        {
            Assert.That(client.Reopened, Is.True);
            Assert.That(server.Reopened, Is.True);
            Assert.That(client.PeerFingerprint, Is.Null, "no certificate was exchanged");
            Assert.That(server.PeerFingerprint, Is.Null);
            Assert.That(client.ProtocolVersion, Is.EqualTo("TLSv1.3"));
            Assert.That(client.CipherSuite, Is.AnyOf("TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"));
            Assert.That(pair.Shuttle.Flights, Has.Count.EqualTo(3), "ClientHello; ServerHello..Finished; client Finished");
        });
    }

    [Test]
    public void X509_server_without_the_key_completes_a_certificate_handshake_in_the_same_exchange()
    {
        using TlsReopenKey key = NewKey();
        using var pair = new TlsPair(WithKey(TestOptions.X509(TlsRole.Client, TestIdentities.Client()), key), TestOptions.X509(TlsRole.Server, TestIdentities.Server()));
        pair.Handshake();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.Engine.SessionInfo!.Reopened, Is.False);
            Assert.That(pair.Server.Engine.SessionInfo!.Reopened, Is.False);
            Assert.That(pair.Client.Engine.SessionInfo!.PeerFingerprint, Is.EqualTo(TestIdentities.Server().Fingerprint));
            Assert.That(pair.Server.Engine.SessionInfo!.PeerFingerprint, Is.EqualTo(TestIdentities.Client().Fingerprint));
            Assert.That(pair.Shuttle.Flights, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public void X509_server_with_another_key_completes_a_certificate_handshake()
    {
        using TlsReopenKey clientKey = NewKey();
        using TlsReopenKey serverKey = NewKey();
        using var pair = new TlsPair(WithKey(TestOptions.X509(TlsRole.Client, TestIdentities.Client()), clientKey), WithKey(TestOptions.X509(TlsRole.Server, TestIdentities.Server()), serverKey));
        pair.Handshake();

        Assert.That(pair.Client.Engine.SessionInfo!.Reopened, Is.False);
        Assert.That(pair.Client.Engine.SessionInfo!.PeerFingerprint, Is.EqualTo(TestIdentities.Server().Fingerprint));
    }

    [Test]
    public void Same_identity_with_a_different_secret_fails_on_the_binder_and_never_completes()
    {
        byte[] identity = RandomNumberGenerator.GetBytes(16);
        using var clientKey = new TlsReopenKey(identity, RandomNumberGenerator.GetBytes(32));
        using var serverKey = new TlsReopenKey(identity, RandomNumberGenerator.GetBytes(32));
        using var pair = new TlsPair(WithKey(TestOptions.X509(TlsRole.Client, TestIdentities.Client()), clientKey), WithKey(TestOptions.X509(TlsRole.Server, TestIdentities.Server()), serverKey));
        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.EngineError, Is.Not.Null);
            Assert.That(pair.Server.Engine.IsHandshakeComplete, Is.False);
            Assert.That(pair.Client.Engine.IsHandshakeComplete, Is.False);
        });
    }

    [Test]
    public void Srp_with_the_same_key_reopens_over_tls13_without_the_password()
    {
        using TlsReopenKey key = NewKey();
        using var pair = new TlsPair(SrpReopen(TlsRole.Client, key), SrpReopen(TlsRole.Server, key));
        pair.Handshake();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.Engine.SessionInfo!.Reopened, Is.True);
            Assert.That(pair.Server.Engine.SessionInfo!.Reopened, Is.True);
            Assert.That(pair.Client.Engine.SessionInfo!.Method, Is.EqualTo(XtlsMethod.Srp));
            Assert.That(pair.Client.Engine.SessionInfo!.ProtocolVersion, Is.EqualTo("TLSv1.3"));
        });
    }

    [Test]
    public void Srp_reopen_with_a_key_the_server_does_not_hold_fails_with_unknown_psk_identity()
    {
        using TlsReopenKey clientKey = NewKey();
        using TlsReopenKey serverKey = NewKey();
        using var pair = new TlsPair(SrpReopen(TlsRole.Client, clientKey), SrpReopen(TlsRole.Server, serverKey));
        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.EngineError?.Alert, Is.EqualTo("unknown_psk_identity"));
            Assert.That(pair.Client.EngineError?.AlertFromPeer, Is.True);
            Assert.That(pair.Client.Engine.IsHandshakeComplete, Is.False);
        });
    }

    [Test]
    public void Srp_reopen_client_refuses_a_server_that_answers_with_a_certificate()
    {
        using TlsReopenKey key = NewKey();
        using var pair = new TlsPair(SrpReopen(TlsRole.Client, key), TestOptions.X509(TlsRole.Server, TestIdentities.Server()));
        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.EngineError, Is.Not.Null);
            Assert.That(pair.Client.Engine.IsHandshakeComplete, Is.False);
            Assert.That(pair.Server.Engine.IsHandshakeComplete, Is.False);
        });
    }

    [TestCase(XtlsMethod.X509)]
    [TestCase(XtlsMethod.Srp)]
    public void Both_ends_export_the_same_material_and_a_reopen_exports_new_material(XtlsMethod method)
    {
        var export = new TlsExportRequest(Label, "romeo@montague.lit\0juliet@capulet.lit\0x509"u8.ToArray(), 48);
        TlsEngineOptions client = method == XtlsMethod.Srp ? TestOptions.Srp(TlsRole.Client) : TestOptions.X509(TlsRole.Client, TestIdentities.Client());
        TlsEngineOptions server = method == XtlsMethod.Srp ? TestOptions.Srp(TlsRole.Server) : TestOptions.X509(TlsRole.Server, TestIdentities.Server());
        using TlsPair first = new TlsPair(With(client, null, export), With(server, null, export)).Handshake();
        byte[] a = first.Client.Engine.TakeExportedKeyingMaterial()!;
        byte[] b = first.Server.Engine.TakeExportedKeyingMaterial()!;
        Assert.Multiple(() =>
        {
            Assert.That(a, Has.Length.EqualTo(48));
            Assert.That(a, Is.EqualTo(b));
            Assert.That(first.Client.Engine.TakeExportedKeyingMaterial(), Is.Null, "taken once");
        });

        using var key = new TlsReopenKey(a.AsSpan(32, 16), a.AsSpan(0, 32));
        using var second = new TlsPair(With(client, key, export), With(server, key, export)).Handshake();
        byte[] next = second.Client.Engine.TakeExportedKeyingMaterial()!;
        Assert.Multiple(() =>
        {
            Assert.That(second.Client.Engine.SessionInfo!.Reopened, Is.True);
            Assert.That(next, Is.EqualTo(second.Server.Engine.TakeExportedKeyingMaterial()));
            Assert.That(next, Is.Not.EqualTo(a), "fresh Diffie-Hellman: a re-opened connection has keys of its own");
        });
    }

    [Test]
    public void A_different_export_context_gives_different_material()
    {
        var one = new TlsExportRequest(Label, "a"u8.ToArray(), 32);
        var two = new TlsExportRequest(Label, "b"u8.ToArray(), 32);
        using TlsPair pair = new TlsPair(With(TestOptions.X509(TlsRole.Client, TestIdentities.Client()), null, one), With(TestOptions.X509(TlsRole.Server, TestIdentities.Server()), null, two)).Handshake();
        Assert.That(pair.Client.Engine.TakeExportedKeyingMaterial(), Is.Not.EqualTo(pair.Server.Engine.TakeExportedKeyingMaterial()));
    }

    [Test]
    public void A_replayed_client_hello_with_a_valid_key_never_completes_the_handshake()
    {
        using TlsReopenKey key = NewKey();
        using var original = new TlsPair(WithKey(TestOptions.X509(TlsRole.Client, TestIdentities.Client()), key), WithKey(TestOptions.X509(TlsRole.Server, TestIdentities.Server()), key));
        original.Handshake();
        byte[] clientHello = original.Shuttle.Flights[0].Bytes;
        byte[] clientFinished = original.Shuttle.Flights[2].Bytes;

        // A server in the middle replays both client flights to a fresh server holding the same key.
        using TlsEngine victim = TlsEngine.Create(WithKey(TestOptions.X509(TlsRole.Server, TestIdentities.Server()), key));
        victim.ReceiveCiphertext(clientHello);
        Assert.That(victim.AvailableCiphertext, Is.GreaterThan(0), "the server answers with a fresh key share");
        Assert.That(() => victim.ReceiveCiphertext(clientFinished), Throws.InstanceOf<TlsEngineException>(), "the old Finished does not match the new transcript");
        Assert.Multiple(() =>
        {
            Assert.That(victim.IsHandshakeComplete, Is.False);
            Assert.That(victim.AvailablePlaintext, Is.Zero);
        });
    }

    [Test]
    public void Nothing_is_exported_before_the_handshake_and_bad_requests_are_refused()
    {
        var export = new TlsExportRequest(Label, Array.Empty<byte>(), 32);
        using TlsEngine engine = TlsEngine.Create(With(TestOptions.X509(TlsRole.Client, TestIdentities.Client()), null, export));
        Assert.Multiple(() =>
        {
            Assert.That(engine.TakeExportedKeyingMaterial(), Is.Null);
            Assert.That(() => TlsEngine.Create(With(TestOptions.X509(TlsRole.Client, TestIdentities.Client()), null, export with { Length = 0 })), Throws.ArgumentException);
            Assert.That(() => TlsEngine.Create(With(TestOptions.X509(TlsRole.Client, TestIdentities.Client()), null, export with { Label = "\u00e9" })), Throws.ArgumentException);
        });
    }

    [Test]
    public void Key_lengths_are_checked_and_dispose_clears_the_identity()
    {
        Assert.That(() => new TlsReopenKey(new byte[8], new byte[32]), Throws.ArgumentException);
        Assert.That(() => new TlsReopenKey(new byte[16], new byte[16]), Throws.ArgumentException);
        var key = new TlsReopenKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(32));
        byte[] identity = key.Identity.ToArray();
        Assert.That(key.Matches(identity), Is.True);
        key.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(key.Matches(identity), Is.False);
            Assert.That(() => key.Identity.Length, Throws.InstanceOf<ObjectDisposedException>());
        });
    }

    [Test]
    public void A_key_copied_out_for_a_persisting_store_and_loaded_again_reopens_with_the_original()
    {
        using TlsReopenKey original = NewKey();
        byte[] copy = new byte[TlsReopenKey.KeyLength];
        original.CopyKeyTo(copy);
        using var loaded = new TlsReopenKey(original.Identity, copy);
        using var pair = new TlsPair(WithKey(TestOptions.X509(TlsRole.Client, TestIdentities.Client()), original), WithKey(TestOptions.X509(TlsRole.Server, TestIdentities.Server()), loaded));
        pair.Handshake();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.Engine.SessionInfo!.Reopened, Is.True);
            Assert.That(() => original.CopyKeyTo(new byte[TlsReopenKey.KeyLength - 1]), Throws.ArgumentException);
        });
    }

    private static TlsReopenKey NewKey() => new(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(32));

    private static TlsEngineOptions WithKey(TlsEngineOptions options, TlsReopenKey key) => new()
    {
        Role = options.Role,
        Method = options.Method,
        Identity = options.Identity,
        TimeProvider = options.TimeProvider,
        ReopenKey = key,
    };

    private static TlsEngineOptions With(TlsEngineOptions options, TlsReopenKey? key, TlsExportRequest? export) => new()
    {
        Role = options.Role,
        Method = options.Method,
        Identity = options.Identity,
        SrpUserName = options.SrpUserName,
        SrpPassword = options.SrpPassword,
        TimeProvider = options.TimeProvider,
        ReopenKey = key,
        Export = export,
    };

    private static TlsEngineOptions SrpReopen(TlsRole role, TlsReopenKey key) => new()
    {
        Role = role,
        Method = XtlsMethod.Srp,
        ReopenKey = key,
    };
}
