using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>Errors answering this side's data and close, wait-type resends, and peers going away.</summary>
public class OutboundErrorTests
{
    private static readonly DateTimeOffset Now = Link.T0;
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly Jid Juliet = Jid.Parse(Link.JulietJid);

    /// <summary>Romeo as initiator, proceed received, TLS running.</summary>
    private static Endpoint RunningInitiator(TunnelManagerOptions? options = null)
    {
        var romeo = new Endpoint(Link.RomeoJid, options);
        romeo.Manager.Open(Juliet, "x509", null, Now);
        XElement start = romeo.TakeSingleStanza();
        romeo.Receive(Stanzas.Result(start, "<proceed xmlns='urn:xmpp:tmp:xtls'/>"), Now);
        romeo.Manager.HandshakeCompleted(Juliet, Now);
        romeo.Events.Clear();
        return romeo;
    }

    [TestCase("recipient-unavailable", TunnelCloseReason.PeerGone)]
    [TestCase("item-not-found", TunnelCloseReason.PeerGone)]
    [TestCase("service-unavailable", TunnelCloseReason.PeerGone)]
    [TestCase("remote-server-not-found", TunnelCloseReason.PeerGone)]
    [TestCase("bad-request", TunnelCloseReason.PeerError)]
    [TestCase("policy-violation", TunnelCloseReason.PeerError)]
    public void Errors_on_data_end_the_tunnel(string condition, TunnelCloseReason reason)
    {
        Endpoint romeo = RunningInitiator();
        romeo.Manager.SendCiphertext(Juliet, new byte[4], "t", Now);
        XElement data = romeo.TakeSingleStanza();

        romeo.Receive(Stanzas.Error(data, condition, "modify"), Now);

        TunnelEnded ended = romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(reason));
        Assert.That(ended.Detail, Does.Contain(condition));
        Assert.That(ended.UndeliveredTokens, Is.EqualTo(new object[] { "t" }));
        Assert.That(romeo.TakeOutbox(), Is.Empty, "no close after an error: the tunnel is invalid");
        Assert.That(romeo.Manager.Count, Is.Zero);
    }

    [Test]
    public void Wait_error_resends_the_chunk_after_a_backoff_with_a_new_id_and_the_same_method()
    {
        Endpoint romeo = RunningInitiator();
        romeo.Manager.SendCiphertext(Juliet, "hello"u8, "t", Now);
        XElement first = romeo.TakeSingleStanza();
        Assert.That(Stanzas.Method(first), Is.EqualTo("x509"));

        romeo.Receive(Stanzas.Error(first, "resource-constraint", "wait"), Now);
        Assert.That(romeo.TakeOutbox(), Is.Empty, "not before the backoff");
        Assert.That(romeo.Manager.NextDeadline, Is.EqualTo(Now + Second));
        Assert.That(romeo.Manager.GetState(Juliet), Is.EqualTo(TunnelState.Open));

        romeo.Manager.Tick(Now + Second);
        XElement resent = romeo.TakeSingleStanza();
        Assert.Multiple(() =>
        {
            Assert.That(Stanzas.Id(resent), Is.Not.EqualTo(Stanzas.Id(first)));
            Assert.That(Stanzas.DataBytes(resent), Is.EqualTo("hello"u8.ToArray()));
            Assert.That(Stanzas.Method(resent), Is.EqualTo("x509"), "the resent first chunk still names the method");
        });

        romeo.Receive(Stanzas.Result(resent), Now + Second);
        Assert.That(romeo.TakeSingle<Acknowledged>().Token, Is.EqualTo("t"));
    }

    [Test]
    public void Wait_errors_back_off_exponentially_then_fail_after_the_retry_limit()
    {
        Endpoint romeo = RunningInitiator(new TunnelManagerOptions { WaitRetryLimit = 3, WaitRetryDelay = TimeSpan.FromSeconds(2) });
        romeo.Manager.SendCiphertext(Juliet, new byte[3], "t", Now);
        XElement data = romeo.TakeSingleStanza();
        DateTimeOffset t = Now;
        var delays = new List<TimeSpan>();

        for (int attempt = 0; attempt < 3; attempt++)
        {
            romeo.Receive(Stanzas.Error(data, "resource-constraint", "wait"), t);
            DateTimeOffset due = romeo.Manager.NextDeadline!.Value;
            delays.Add(due - t);
            t = due;
            romeo.Manager.Tick(t);
            data = romeo.TakeSingleStanza();
        }

        Assert.That(delays, Is.EqualTo(new[] { 2 * Second, 4 * Second, 8 * Second }));
        romeo.Receive(Stanzas.Error(data, "resource-constraint", "wait"), t);
        TunnelEnded ended = romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.Throttled));
        Assert.That(ended.UndeliveredTokens, Is.EqualTo(new object[] { "t" }));
    }

    [Test]
    public void With_no_retries_allowed_a_wait_error_fails_at_once()
    {
        Endpoint romeo = RunningInitiator(new TunnelManagerOptions { WaitRetryLimit = 0 });
        romeo.Manager.SendCiphertext(Juliet, new byte[3], null, Now);

        romeo.Receive(Stanzas.Error(romeo.TakeSingleStanza(), "resource-constraint", "wait"), Now);

        Assert.That(romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.Throttled));
    }

    [Test]
    public void Chunks_refused_with_wait_are_resent_in_order_once_every_later_chunk_has_its_answer()
    {
        Endpoint romeo = RunningInitiator(new TunnelManagerOptions { Window = 3, ChunkSize = 256 });
        romeo.Manager.SendCiphertext(Juliet, [1], null, Now);
        romeo.Manager.SendCiphertext(Juliet, [2], null, Now);
        romeo.Manager.SendCiphertext(Juliet, [3], null, Now);
        List<XElement> sent = romeo.TakeOutbox();
        romeo.Manager.SendCiphertext(Juliet, [4], null, Now);
        Assert.That(romeo.TakeOutbox(), Is.Empty, "window full");

        romeo.Receive(Stanzas.Result(sent[0]), Now);
        XElement fourth = romeo.TakeSingleStanza();
        Assert.That(Stanzas.DataBytes(fourth), Is.EqualTo(new byte[] { 4 }));

        // Chunk 2 is refused with wait; chunk 3 and 4 still have no answer, so nothing is resent yet,
        // even after the backoff: a resend could overtake them.
        romeo.Receive(Stanzas.Error(sent[1], "resource-constraint", "wait"), Now);
        romeo.Manager.Tick(Now + TimeSpan.FromSeconds(5));
        Assert.That(romeo.TakeOutbox(), Is.Empty);
        Assert.That(romeo.Manager.NextDeadline, Is.EqualTo(Now + TimeSpan.FromSeconds(60)), "only the progress timer is due; the resend waits for answers");

        // Chunks 3 and 4 are refused too: now all three go out again, in order, after the backoff.
        DateTimeOffset later = Now + TimeSpan.FromSeconds(5);
        romeo.Receive(Stanzas.Error(sent[2], "resource-constraint", "wait"), later);
        romeo.Receive(Stanzas.Error(fourth, "resource-constraint", "wait"), later);
        Assert.That(romeo.Manager.NextDeadline, Is.EqualTo(later + Second));
        romeo.Manager.Tick(later + Second);
        Assert.That(romeo.TakeOutbox().Select(x => Stanzas.DataBytes(x)[0]), Is.EqualTo(new byte[] { 2, 3, 4 }));
    }

    [Test]
    public void Resends_go_out_together_in_stream_order()
    {
        Endpoint romeo = RunningInitiator(new TunnelManagerOptions { Window = 3 });
        romeo.Manager.SendCiphertext(Juliet, [1], null, Now);
        romeo.Manager.SendCiphertext(Juliet, [2], null, Now);
        romeo.Manager.SendCiphertext(Juliet, [3], null, Now);
        List<XElement> sent = romeo.TakeOutbox();

        // The answers arrive out of order: 3 then 2 refused with wait, 1 acknowledged.
        romeo.Receive(Stanzas.Error(sent[2], "resource-constraint", "wait"), Now);
        romeo.Receive(Stanzas.Error(sent[1], "resource-constraint", "wait"), Now);
        romeo.Receive(Stanzas.Result(sent[0]), Now);
        romeo.Manager.SendCiphertext(Juliet, [4], null, Now);
        Assert.That(romeo.TakeOutbox(), Is.Empty, "no new data overtakes the resends");

        romeo.Manager.Tick(Now + Second);
        List<XElement> resent = romeo.TakeOutbox();
        Assert.That(resent.Select(s => Stanzas.DataBytes(s)[0]), Is.EqualTo(new byte[] { 2, 3, 4 }), "the resends first, then new data fills the window");
    }

    [Test]
    public void A_later_chunk_getting_through_before_a_refused_one_fails_the_tunnel()
    {
        Endpoint romeo = RunningInitiator(new TunnelManagerOptions { Window = 2 });
        romeo.Manager.SendCiphertext(Juliet, [1], null, Now);
        romeo.Manager.SendCiphertext(Juliet, [2], null, Now);
        List<XElement> sent = romeo.TakeOutbox();

        romeo.Receive(Stanzas.Error(sent[0], "resource-constraint", "wait"), Now);
        romeo.Receive(Stanzas.Result(sent[1]), Now);

        TunnelEnded ended = romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.Throttled));
        Assert.That(ended.Detail, Does.Contain("out of order"));
    }

    [Test]
    public void A_wait_error_after_a_later_chunk_was_acknowledged_fails_the_tunnel()
    {
        Endpoint romeo = RunningInitiator(new TunnelManagerOptions { Window = 2 });
        romeo.Manager.SendCiphertext(Juliet, [1], null, Now);
        romeo.Manager.SendCiphertext(Juliet, [2], null, Now);
        List<XElement> sent = romeo.TakeOutbox();

        romeo.Receive(Stanzas.Result(sent[1]), Now);
        romeo.Receive(Stanzas.Error(sent[0], "resource-constraint", "wait"), Now);

        Assert.That(romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.Throttled));
    }

    [Test]
    public void Close_answered_with_item_not_found_ends_the_tunnel_as_closed()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.Close(link.Juliet.Jid, Now);

        link.Romeo.Receive(Stanzas.Error(link.Romeo.TakeSingleStanza(), "item-not-found"), Now);

        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedLocally));
    }

    [TestCase("recipient-unavailable", TunnelCloseReason.PeerGone)]
    [TestCase("forbidden", TunnelCloseReason.PeerError)]
    public void Close_answered_with_another_error_ends_the_tunnel_with_that_error(string condition, TunnelCloseReason reason)
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.Close(link.Juliet.Jid, Now);

        link.Romeo.Receive(Stanzas.Error(link.Romeo.TakeSingleStanza(), condition), Now);

        TunnelEnded ended = link.Romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(reason));
        Assert.That(ended.Detail, Does.Contain(condition));
    }

    [Test]
    public void Peer_unavailable_ends_the_tunnel_without_sending_anything()
    {
        var link = new Link(new TunnelManagerOptions { Window = 1 });
        link.Establish(link.Romeo);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], "a", Now);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], "b", Now);
        link.Romeo.TakeOutbox();

        Assert.That(link.Romeo.Manager.PeerUnavailable(link.Juliet.Jid, Now), Is.EqualTo(1));

        TunnelEnded ended = link.Romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.PeerGone));
        Assert.That(ended.UndeliveredTokens, Is.EqualTo(new object[] { "a", "b" }));
        Assert.That(link.Romeo.TakeOutbox(), Is.Empty);
        Assert.That(link.Romeo.Manager.PeerUnavailable(link.Juliet.Jid, Now), Is.Zero);
        Assert.That(link.Romeo.Manager.NextDeadline, Is.Null);
    }

    [Test]
    public void Peer_unavailable_for_a_bare_jid_ends_the_tunnels_to_all_its_resources()
    {
        var romeo = new Endpoint(Link.RomeoJid);
        romeo.Manager.Open(Jid.Parse("juliet@capulet.com/balcony"), "x509", null, Now);
        romeo.Manager.Open(Jid.Parse("juliet@capulet.com/chamber"), "x509", null, Now);
        romeo.Manager.Open(Jid.Parse("nurse@capulet.com/kitchen"), "x509", null, Now);

        Assert.That(romeo.Manager.PeerUnavailable(Jid.Parse("juliet@capulet.com"), Now), Is.EqualTo(2));
        Assert.That(romeo.Manager.Count, Is.EqualTo(1));
    }

    [Test]
    public void A_pending_request_from_a_peer_that_went_away_ends_unanswered()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);

        juliet.Manager.PeerUnavailable(Jid.Parse(Link.RomeoJid), Now);

        Assert.That(juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.PeerGone));
        Assert.That(juliet.TakeOutbox(), Is.Empty);
    }

    [Test]
    public void End_session_ends_every_tunnel_without_sending_anything()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.Open(Jid.Parse("nurse@capulet.com/kitchen"), "x509", null, Now);
        link.Romeo.TakeOutbox();

        link.Romeo.Manager.EndSession(Now);

        List<TunnelEnded> ended = link.Romeo.Take<TunnelEnded>();
        Assert.That(ended, Has.Count.EqualTo(2));
        Assert.That(ended.Select(e => e.Reason), Is.All.EqualTo(TunnelCloseReason.SessionEnded));
        Assert.That(link.Romeo.TakeOutbox(), Is.Empty);
        Assert.That(link.Romeo.Manager.Count, Is.Zero);
        Assert.That(link.Romeo.Manager.NextDeadline, Is.Null);
    }

    [Test]
    public void Answers_to_iqs_of_an_ended_tunnel_are_swallowed()
    {
        Endpoint romeo = RunningInitiator();
        romeo.Manager.SendCiphertext(Juliet, new byte[1], null, Now);
        XElement data = romeo.TakeSingleStanza();
        romeo.Manager.PeerUnavailable(Juliet, Now);
        romeo.TakeSingle<TunnelEnded>();

        romeo.Receive(Stanzas.Result(data), Now);
        romeo.Receive(Stanzas.Error(data, "recipient-unavailable"), Now);

        Assert.That(romeo.Events, Is.Empty);
    }
}
