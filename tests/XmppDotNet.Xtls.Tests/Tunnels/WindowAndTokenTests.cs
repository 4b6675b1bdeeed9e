using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

public class WindowAndTokenTests
{
    private static readonly int[] SplitOf600 = [256, 256, 88];

    private static Link OpenLink(TunnelManagerOptions options)
    {
        var link = new Link(options);
        link.Establish(link.Romeo);
        link.Romeo.Events.Clear();
        return link;
    }

    private static void Ack(Link link, XElement data) => link.Romeo.Receive(Stanzas.Result(data), link.Now);

    [Test]
    public void No_more_than_window_data_iqs_are_outstanding()
    {
        Link link = OpenLink(new TunnelManagerOptions { ChunkSize = 256, Window = 2 });
        for (int i = 0; i < 5; i++)
        {
            link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[256], null, link.Now);
        }

        List<XElement> sent = link.Romeo.TakeOutbox();
        Assert.That(sent, Has.Count.EqualTo(2));
        Assert.That(link.Romeo.Manager.GetInfo(link.Juliet.Jid)!.InFlight, Is.EqualTo(2));
        Assert.That(link.Romeo.Manager.GetInfo(link.Juliet.Jid)!.QueuedBytes, Is.EqualTo(3 * 256));

        Ack(link, sent[0]);
        Assert.That(link.Romeo.TakeOutbox(), Has.Count.EqualTo(1), "one acknowledgement frees one slot");
    }

    [Test]
    public void A_driver_told_the_window_is_full_hears_once_when_it_has_room_and_nothing_queued()
    {
        Link link = OpenLink(new TunnelManagerOptions { ChunkSize = 256, Window = 2 });
        Jid juliet = link.Juliet.Jid;
        Assert.That(link.Romeo.Manager.IsSendWindowFull(juliet), Is.False);
        for (int i = 0; i < 3; i++)
        {
            link.Romeo.Manager.SendCiphertext(juliet, new byte[10], null, link.Now);
        }

        List<XElement> sent = link.Romeo.TakeOutbox();
        Assert.That(link.Romeo.Manager.IsSendWindowFull(juliet), Is.True, "two in flight, one queued");

        Ack(link, sent[0]);
        XElement third = link.Romeo.TakeSingleStanza();
        Assert.That(link.Romeo.Take<SendWindowOpen>(), Is.Empty, "the queued chunk took the free place: still full");

        Ack(link, sent[1]);
        Assert.That(link.Romeo.Take<SendWindowOpen>().Select(o => o.Remote), Is.EqualTo(new[] { juliet }));

        Ack(link, third);
        Assert.That(link.Romeo.Take<SendWindowOpen>(), Is.Empty, "once per full answer");
        Assert.That(link.Romeo.Manager.IsSendWindowFull(juliet), Is.False);
    }

    [Test]
    public void Small_writes_while_the_window_is_full_are_coalesced_into_few_iqs()
    {
        Link link = OpenLink(new TunnelManagerOptions { ChunkSize = 4096, Window = 1 });
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[10], null, link.Now);
        XElement first = link.Romeo.TakeSingleStanza();
        for (int i = 0; i < 500; i++)
        {
            link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new[] { (byte)i }, null, link.Now);
        }

        Assert.That(link.Romeo.TakeOutbox(), Is.Empty, "the window is full");

        Ack(link, first);
        XElement coalesced = link.Romeo.TakeSingleStanza();
        byte[] payload = Stanzas.DataBytes(coalesced);
        Assert.That(payload, Has.Length.EqualTo(500));
        Assert.That(payload, Is.EqualTo(Enumerable.Range(0, 500).Select(i => (byte)i).ToArray()));
    }

    [Test]
    public void Coalescing_never_exceeds_the_chunk_size()
    {
        Link link = OpenLink(new TunnelManagerOptions { ChunkSize = 256, Window = 1 });
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], null, link.Now);
        XElement first = link.Romeo.TakeSingleStanza();
        for (int i = 0; i < 10; i++)
        {
            link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[100], null, link.Now);
        }

        Ack(link, first);
        Assert.That(Stanzas.DataBytes(link.Romeo.TakeSingleStanza()), Has.Length.EqualTo(200), "two whole writes: a third would pass the chunk size");
    }

    [Test]
    public void Tokens_are_reported_only_when_all_data_up_to_their_last_byte_is_acknowledged()
    {
        Link link = OpenLink(new TunnelManagerOptions { Window = 4 });
        for (int i = 1; i <= 4; i++)
        {
            link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[10], "t" + i, link.Now);
        }

        List<XElement> sent = link.Romeo.TakeOutbox();
        Assert.That(sent, Has.Count.EqualTo(4));

        Ack(link, sent[2]);
        Assert.That(link.Romeo.Take<Acknowledged>(), Is.Empty, "t3 waits for t1 and t2");

        Ack(link, sent[0]);
        Assert.That(link.Romeo.Take<Acknowledged>().Select(a => a.Token), Is.EqualTo(new object[] { "t1" }));

        Ack(link, sent[1]);
        Assert.That(link.Romeo.Take<Acknowledged>().Select(a => a.Token), Is.EqualTo(new object[] { "t2", "t3" }));

        Ack(link, sent[3]);
        Assert.That(link.Romeo.Take<Acknowledged>().Select(a => a.Token), Is.EqualTo(new object[] { "t4" }));
    }

    [Test]
    public void A_token_spanning_several_chunks_is_reported_with_its_last_chunk()
    {
        Link link = OpenLink(new TunnelManagerOptions { ChunkSize = 256, Window = 8 });
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[600], "stanza", link.Now);
        List<XElement> sent = link.Romeo.TakeOutbox();
        Assert.That(sent.Select(s => Stanzas.DataBytes(s).Length), Is.EqualTo(SplitOf600));

        Ack(link, sent[2]);
        Ack(link, sent[0]);
        Assert.That(link.Romeo.Take<Acknowledged>(), Is.Empty);
        Ack(link, sent[1]);
        Assert.That(link.Romeo.TakeSingle<Acknowledged>().Token, Is.EqualTo("stanza"));
    }

    [Test]
    public void Several_tokens_in_one_chunk_are_reported_together_in_order()
    {
        Link link = OpenLink(new TunnelManagerOptions { Window = 1 });
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[5], "a", link.Now);
        XElement first = link.Romeo.TakeSingleStanza();
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[5], "b", link.Now);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[5], "c", link.Now);

        Ack(link, first);
        Assert.That(link.Romeo.TakeSingle<Acknowledged>().Token, Is.EqualTo("a"));
        Ack(link, link.Romeo.TakeSingleStanza());
        Assert.That(link.Romeo.Take<Acknowledged>().Select(a => a.Token), Is.EqualTo(new object[] { "b", "c" }));
    }

    [Test]
    public void Backpressure_refuses_bytes_beyond_the_queue_bound_and_the_tunnel_stays_usable()
    {
        Link link = OpenLink(new TunnelManagerOptions { ChunkSize = 4096, Window = 1, MaxQueuedCiphertextBytes = 64 * 1024 });
        TunnelManager romeo = link.Romeo.Manager;
        romeo.SendCiphertext(link.Juliet.Jid, new byte[4096], null, link.Now);
        romeo.SendCiphertext(link.Juliet.Jid, new byte[64 * 1024], "fits", link.Now);
        Assert.That(romeo.GetSendCapacity(link.Juliet.Jid), Is.Zero);

        TunnelBackpressureException e = Assert.Throws<TunnelBackpressureException>(
            () => romeo.SendCiphertext(link.Juliet.Jid, new byte[1], "refused", link.Now))!;

        Assert.That(e.Limit, Is.EqualTo(TunnelLimit.QueuedCiphertext));
        Assert.That(romeo.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Open));
        Assert.That(romeo.GetInfo(link.Juliet.Jid)!.QueuedBytes, Is.EqualTo(64 * 1024));

        // Drain until the queue is at half its bound: the caller is told once to try again.
        int acknowledgements = 0;
        while (link.Romeo.Take<SendCapacityAvailable>().Count == 0)
        {
            Ack(link, link.Romeo.TakeSingleStanza());
            acknowledgements++;
        }

        Assert.That(romeo.GetInfo(link.Juliet.Jid)!.QueuedBytes, Is.LessThanOrEqualTo(32 * 1024));
        Assert.That(acknowledgements, Is.EqualTo(8));
        romeo.SendCiphertext(link.Juliet.Jid, new byte[1], "retried", link.Now);
        link.Run();
        Assert.That(link.Romeo.Take<Acknowledged>().Select(a => a.Token), Is.EqualTo(new object[] { "fits", "retried" }));
        Assert.That(link.Romeo.Take<SendCapacityAvailable>(), Is.Empty, "signalled once per refusal");
    }

    [Test]
    public void Backpressure_on_pending_tokens()
    {
        Link link = OpenLink(new TunnelManagerOptions { Window = 1, MaxPendingTokens = 2 });
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], "a", link.Now);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], "b", link.Now);

        TunnelBackpressureException e = Assert.Throws<TunnelBackpressureException>(
            () => link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], "c", link.Now))!;

        Assert.That(e.Limit, Is.EqualTo(TunnelLimit.PendingTokens));
        Assert.DoesNotThrow(() => link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], null, link.Now), "untokened bytes still fit");
    }

    [Test]
    public void Unacknowledged_tokens_are_reported_undelivered_when_the_tunnel_ends()
    {
        Link link = OpenLink(new TunnelManagerOptions { Window = 1 });
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[5], "a", link.Now);
        XElement first = link.Romeo.TakeSingleStanza();
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[5], "b", link.Now);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[5], "c", link.Now);
        Ack(link, first);
        link.Romeo.Take<Acknowledged>();

        link.Romeo.Receive(Stanzas.Close("c1", Link.JulietJid, Link.RomeoJid), link.Now);

        TunnelEnded ended = link.Romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
        Assert.That(ended.UndeliveredTokens, Is.EqualTo(new object[] { "b", "c" }));
    }

    [Test]
    public void Ciphertext_is_copied_at_the_call()
    {
        Link link = OpenLink(new TunnelManagerOptions { Window = 1 });
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], null, link.Now);
        XElement first = link.Romeo.TakeSingleStanza();
        byte[] buffer = [1, 2, 3];
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, buffer, null, link.Now);
        buffer[0] = 99;

        Ack(link, first);
        Assert.That(Stanzas.DataBytes(link.Romeo.TakeSingleStanza()), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void Send_ciphertext_is_refused_before_tls_starts_and_without_a_tunnel()
    {
        var link = new Link();
        TunnelStateException none = Assert.Throws<TunnelStateException>(
            () => link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], null, link.Now))!;
        Assert.That(none.State, Is.Null);

        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, link.Now);
        TunnelStateException starting = Assert.Throws<TunnelStateException>(
            () => link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], null, link.Now))!;
        Assert.That(starting.State, Is.EqualTo(TunnelState.Starting));

        link.Run();
        link.Juliet.Manager.Accept(link.Romeo.Jid, null, link.Now);
        TunnelStateException responder = Assert.Throws<TunnelStateException>(
            () => link.Juliet.Manager.SendCiphertext(link.Romeo.Jid, new byte[1], null, link.Now))!;
        Assert.That(responder.State, Is.EqualTo(TunnelState.Handshaking), "the responder's TLS starts with the first data");
        Assert.That(link.Juliet.Manager.GetSendCapacity(link.Romeo.Jid), Is.Zero);
    }
}
