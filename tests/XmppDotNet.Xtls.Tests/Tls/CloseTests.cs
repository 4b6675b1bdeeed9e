using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

public class CloseTests
{
    [Test]
    public void Client_close_notify_reaches_the_server_after_the_last_data()
    {
        using var pair = TlsPair.X509().Handshake();
        pair.Client.Engine.WritePlaintext("last words"u8);
        pair.Client.Engine.Close();

        Assert.That(pair.Client.Engine.IsClosed, Is.True);
        pair.Shuttle.Carry(pair.Client, pair.Server);

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.Error, Is.Null);
            Assert.That(pair.Server.Engine.PeerClosed, Is.True);
            Assert.That(pair.Server.Engine.IsClosed, Is.True);
            Assert.That(pair.Server.Engine.IsFailed, Is.False);
            Assert.That(TlsPair.ReadAllPlaintext(pair.Server.Engine), Is.EqualTo("last words"u8.ToArray()));
            Assert.That(pair.Server.Engine.AvailableCiphertext, Is.GreaterThan(0), "the server answers with its own close_notify");
            Assert.That(() => pair.Server.Engine.WritePlaintext("more"u8), Throws.InvalidOperationException);
        });
    }

    [Test]
    public void Server_close_notify_reaches_the_client()
    {
        using var pair = TlsPair.Srp().Handshake();
        pair.Server.Engine.WritePlaintext("bye"u8);
        pair.Server.Engine.Close();
        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.Error, Is.Null);
            Assert.That(pair.Client.Engine.PeerClosed, Is.True);
            Assert.That(pair.Client.Engine.IsClosed, Is.True);
            Assert.That(TlsPair.ReadAllPlaintext(pair.Client.Engine), Is.EqualTo("bye"u8.ToArray()));
            Assert.That(pair.Server.Engine.PeerClosed, Is.False, "input after the own close_notify is discarded");
        });
    }

    [Test]
    public void Writing_after_close_is_refused_and_input_is_ignored()
    {
        using var pair = TlsPair.X509().Handshake();
        pair.Server.Engine.WritePlaintext("in flight"u8);
        pair.Client.Engine.Close();

        pair.Shuttle.Carry(pair.Server, pair.Client);

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.Error, Is.Null);
            Assert.That(pair.Client.Engine.AvailablePlaintext, Is.Zero);
            Assert.That(() => pair.Client.Engine.WritePlaintext("late"u8), Throws.InvalidOperationException);
        });
    }

    [Test]
    public void Close_twice_and_close_after_failure_do_nothing()
    {
        using var pair = TlsPair.X509().Handshake();
        pair.Client.Engine.Close();
        int queued = pair.Client.Engine.AvailableCiphertext;

        pair.Client.Engine.Close();
        Assert.That(pair.Client.Engine.AvailableCiphertext, Is.EqualTo(queued));

        byte[] forged = [23, 3, 3, 0, 20, .. new byte[20]];
        Assert.That(() => pair.Server.Engine.ReceiveCiphertext(forged), Throws.InstanceOf<TlsEngineException>());
        int alert = pair.Server.Engine.AvailableCiphertext;
        pair.Server.Engine.Close();
        Assert.Multiple(() =>
        {
            Assert.That(alert, Is.GreaterThan(0));
            Assert.That(pair.Server.Engine.AvailableCiphertext, Is.EqualTo(alert));
            Assert.That(pair.Server.Engine.Failure!.Reason, Is.EqualTo(TlsFailureReason.BadRecordMac));
        });
    }

    [Test]
    public void Close_during_the_handshake_fails_the_peer_with_a_clear_reason()
    {
        using var pair = TlsPair.X509();
        pair.Shuttle.Carry(pair.Client, pair.Server);
        pair.Client.Engine.Close();
        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.Engine.IsClosed, Is.True);
            Assert.That(pair.Client.Engine.IsHandshakeComplete, Is.False);
            Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.ClosedDuringHandshake));
            Assert.That(pair.Server.EngineError!.DuringHandshake, Is.True);
        });
    }

    [Test]
    public void Disposed_engine_refuses_further_use()
    {
        var pair = TlsPair.X509();
        pair.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(() => pair.Client.Engine.ReceiveCiphertext(new byte[1]), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(() => pair.Client.Engine.ReadCiphertext(new byte[1]), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(() => pair.Client.Engine.Close(), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(pair.Client.Engine.AvailableCiphertext, Is.Zero);
        });
        pair.Dispose();
    }
}
