using System.Security.Cryptography;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

public class ApplicationDataTests
{
    [TestCase(XtlsMethod.X509)]
    [TestCase(XtlsMethod.Srp)]
    public void Hundred_kilobytes_cross_in_both_directions_in_tunnel_sized_chunks(XtlsMethod method)
    {
        using TlsPair pair = TlsPair.For(method).Handshake();
        pair.Shuttle.Splitter = (_, bytes) => bytes.Chunk(4096);
        byte[] toServer = RandomNumberGenerator.GetBytes(100 * 1024);
        byte[] toClient = RandomNumberGenerator.GetBytes(100 * 1024);

        pair.Client.Engine.WritePlaintext(toServer);
        pair.Server.Engine.WritePlaintext(toClient);
        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(TlsPair.ReadAllPlaintext(pair.Server.Engine), Is.EqualTo(toServer));
            Assert.That(TlsPair.ReadAllPlaintext(pair.Client.Engine), Is.EqualTo(toClient));
        });
    }

    [TestCase(XtlsMethod.X509)]
    [TestCase(XtlsMethod.Srp)]
    public void Many_small_writes_arrive_complete_and_in_order(XtlsMethod method)
    {
        using TlsPair pair = TlsPair.For(method).Handshake();
        var sentToServer = new List<byte>();
        var sentToClient = new List<byte>();
        var receivedByServer = new List<byte>();
        var receivedByClient = new List<byte>();

        for (int i = 0; i < 1000; i++)
        {
            byte[] a = RandomNumberGenerator.GetBytes(1 + (i % 64));
            byte[] b = RandomNumberGenerator.GetBytes(1 + ((i * 7) % 50));
            pair.Client.Engine.WritePlaintext(a);
            pair.Server.Engine.WritePlaintext(b);
            sentToServer.AddRange(a);
            sentToClient.AddRange(b);
            if (i % 10 == 0)
            {
                pair.Shuttle.Run();
                receivedByServer.AddRange(TlsPair.ReadAllPlaintext(pair.Server.Engine));
                receivedByClient.AddRange(TlsPair.ReadAllPlaintext(pair.Client.Engine));
            }
        }

        pair.Shuttle.Run();
        receivedByServer.AddRange(TlsPair.ReadAllPlaintext(pair.Server.Engine));
        receivedByClient.AddRange(TlsPair.ReadAllPlaintext(pair.Client.Engine));

        Assert.Multiple(() =>
        {
            Assert.That(receivedByServer, Is.EqualTo(sentToServer));
            Assert.That(receivedByClient, Is.EqualTo(sentToClient));
        });
    }

    [Test]
    public void Plaintext_can_be_read_in_small_pieces()
    {
        using var pair = TlsPair.X509().Handshake();
        byte[] message = RandomNumberGenerator.GetBytes(40_000);
        pair.Client.Engine.WritePlaintext(message);
        pair.Shuttle.Run();

        var received = new List<byte>();
        Span<byte> piece = stackalloc byte[7];
        int read;
        while ((read = pair.Server.Engine.ReadPlaintext(piece)) > 0)
        {
            received.AddRange(piece[..read].ToArray());
        }

        Assert.That(received, Is.EqualTo(message));
    }

    [Test]
    public void Writing_before_the_handshake_completes_is_refused()
    {
        using var pair = TlsPair.X509();

        Assert.That(() => pair.Client.Engine.WritePlaintext("early"u8), Throws.InvalidOperationException);
        pair.Shuttle.Carry(pair.Client, pair.Server);
        Assert.That(() => pair.Server.Engine.WritePlaintext("early"u8), Throws.InvalidOperationException);
    }

    [Test]
    public void Tls13_client_may_send_data_together_with_its_finished()
    {
        using var pair = TlsPair.X509();
        pair.Shuttle.Carry(pair.Client, pair.Server);
        pair.Shuttle.Carry(pair.Server, pair.Client);
        Assert.That(pair.Client.Engine.IsHandshakeComplete, Is.True);
        Assert.That(pair.Server.Engine.IsHandshakeComplete, Is.False);

        pair.Client.Engine.WritePlaintext("first stanza"u8);
        pair.Shuttle.Carry(pair.Client, pair.Server);

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.Error, Is.Null);
            Assert.That(pair.Server.Engine.IsHandshakeComplete, Is.True);
            Assert.That(TlsPair.ReadAllPlaintext(pair.Server.Engine), Is.EqualTo("first stanza"u8.ToArray()));
        });
    }

    [Test]
    public void Empty_writes_and_reads_do_nothing()
    {
        using var pair = TlsPair.X509().Handshake();

        pair.Client.Engine.WritePlaintext(ReadOnlySpan<byte>.Empty);
        pair.Client.Engine.ReceiveCiphertext(ReadOnlySpan<byte>.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.Engine.AvailableCiphertext, Is.Zero);
            Assert.That(pair.Client.Engine.ReadPlaintext(Span<byte>.Empty), Is.Zero);
            Assert.That(pair.Client.Engine.ReadCiphertext(new byte[10]), Is.Zero);
        });
    }
}
