using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

public class TimeoutTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Test]
    public void An_idle_tunnel_has_nothing_timed_and_its_next_chunk_times_it_again()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Run();
        Assert.That(link.Romeo.Manager.NextDeadline, Is.Null);
        Assert.That(link.Romeo.Manager.NextDeadline, Is.Null, "asked again once the idle tunnel is no longer tracked");

        link.Now += TimeSpan.FromMinutes(5);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, "later"u8, null, link.Now);
        Assert.That(link.Romeo.Manager.NextDeadline, Is.EqualTo(link.Now + TimeSpan.FromSeconds(60)));

        link.Romeo.Manager.Tick(link.Now + TimeSpan.FromSeconds(60));
        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ProgressTimeout));
    }

    [Test]
    public void Start_timeout_ends_the_tunnel_and_withdraws_the_request()
    {
        var link = new Link();
        TunnelManager romeo = link.Romeo.Manager;
        romeo.Open(link.Juliet.Jid, "x509", null, Link.T0);
        link.Romeo.TakeOutbox();
        Assert.That(romeo.NextDeadline, Is.EqualTo(Link.T0 + TimeSpan.FromSeconds(30)));

        romeo.Tick(Link.T0 + TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.That(romeo.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Starting));

        romeo.Tick(Link.T0 + TimeSpan.FromSeconds(30));
        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.StartTimeout));
        Assert.That(Stanzas.XtlsName(link.Romeo.TakeSingleStanza()), Is.EqualTo("close"));
        Assert.That(romeo.Count, Is.Zero);
        Assert.That(romeo.NextDeadline, Is.Null);
    }

    [Test]
    public void A_late_proceed_after_start_timeout_is_consumed_and_ignored()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Link.T0);
        XElement start = link.Romeo.TakeSingleStanza();
        link.Romeo.Manager.Tick(Link.T0 + TimeSpan.FromMinutes(1));
        link.Romeo.TakeOutbox();
        link.Romeo.Take<TunnelEnded>();

        link.Romeo.Receive(Stanzas.Result(start, "<proceed xmlns='urn:xmpp:tmp:xtls'/>"), Link.T0 + TimeSpan.FromMinutes(1));

        Assert.That(link.Romeo.Events, Is.Empty);
        Assert.That(link.Romeo.Manager.Count, Is.Zero);
    }

    [Test]
    public void Decision_timeout_refuses_the_pending_request()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Link.T0);
        link.Run();
        link.Juliet.Take<IncomingRequest>();
        Assert.That(link.Juliet.Manager.NextDeadline, Is.EqualTo(Link.T0 + TimeSpan.FromSeconds(30)));

        link.Juliet.Manager.Tick(Link.T0 + TimeSpan.FromSeconds(30));

        Assert.That(link.Juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.DecisionTimeout));
        XElement answer = link.Juliet.TakeSingleStanza();
        Assert.That(Stanzas.ErrorCondition(answer), Is.EqualTo("not-acceptable"));
    }

    [Test]
    public void Handshake_timeout_runs_from_proceed_until_handshake_completed()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Link.T0);
        link.Run();
        link.Now = Link.T0 + (10 * Second);
        link.Juliet.Manager.Accept(link.Romeo.Jid, null, link.Now);
        link.Run();

        Assert.That(link.Romeo.Manager.NextDeadline, Is.EqualTo(link.Now + TimeSpan.FromSeconds(30)));
        Assert.That(link.Juliet.Manager.NextDeadline, Is.EqualTo(link.Now + TimeSpan.FromSeconds(30)));

        link.Juliet.Manager.Tick(link.Now + TimeSpan.FromSeconds(30));
        Assert.That(link.Juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.HandshakeTimeout));
        Assert.That(Stanzas.XtlsName(link.Juliet.TakeSingleStanza()), Is.EqualTo("close"));
    }

    [Test]
    public void Handshake_completed_stops_the_handshake_timer()
    {
        var link = new Link();
        link.Establish(link.Romeo);

        Assert.That(link.Romeo.Manager.NextDeadline, Is.Null);
        link.Romeo.Manager.Tick(Link.T0 + TimeSpan.FromHours(1));
        Assert.That(link.Romeo.Manager.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Open));
    }

    [Test]
    public void Progress_timeout_fires_only_when_no_acknowledgement_arrives_for_the_whole_period()
    {
        var link = new Link(new TunnelManagerOptions { Window = 4, ProgressTimeout = TimeSpan.FromSeconds(60) });
        link.Establish(link.Romeo);
        TunnelManager romeo = link.Romeo.Manager;
        for (int i = 0; i < 4; i++)
        {
            romeo.SendCiphertext(link.Juliet.Jid, new byte[10], "t" + i, Link.T0);
        }

        List<XElement> sent = link.Romeo.TakeOutbox();
        Assert.That(romeo.NextDeadline, Is.EqualTo(Link.T0 + TimeSpan.FromSeconds(60)));

        // A slow path: one acknowledgement every 50 s. The last chunk waits far longer than the timeout,
        // but acknowledgements keep arriving, so the tunnel is alive.
        for (int i = 0; i < 3; i++)
        {
            DateTimeOffset at = Link.T0 + ((i + 1) * 50 * Second);
            romeo.Tick(at);
            link.Romeo.Receive(Stanzas.Result(sent[i]), at);
            Assert.That(romeo.NextDeadline, Is.EqualTo(at + TimeSpan.FromSeconds(60)));
        }

        DateTimeOffset lastAck = Link.T0 + (150 * Second);
        romeo.Tick(lastAck + TimeSpan.FromSeconds(59));
        Assert.That(romeo.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Open), "the fourth chunk has been out 209 s, but progress was made 59 s ago");

        romeo.Tick(lastAck + TimeSpan.FromSeconds(60));
        TunnelEnded ended = link.Romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.ProgressTimeout));
        Assert.That(ended.UndeliveredTokens, Is.EqualTo(new object[] { "t3" }));
    }

    [Test]
    public void Progress_timer_restarts_when_a_new_burst_begins_after_idle()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        DateTimeOffset later = Link.T0 + TimeSpan.FromHours(2);

        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[1], null, later);

        Assert.That(link.Romeo.Manager.NextDeadline, Is.EqualTo(later + TimeSpan.FromSeconds(60)));
    }

    [Test]
    public void Close_timeout_ends_the_tunnel_when_closed_never_arrives()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        DateTimeOffset at = Link.T0 + (5 * Second);
        link.Romeo.Manager.Close(link.Juliet.Jid, at);
        Assert.That(Stanzas.XtlsName(link.Romeo.TakeSingleStanza()), Is.EqualTo("close"));
        Assert.That(link.Romeo.Manager.NextDeadline, Is.EqualTo(at + TimeSpan.FromSeconds(10)));

        link.Romeo.Manager.Tick(at + TimeSpan.FromSeconds(10));

        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.CloseTimeout));
        Assert.That(link.Romeo.TakeOutbox(), Is.Empty, "nothing more is sent");
    }

    [Test]
    public void Close_timeout_after_a_failure_keeps_the_failure_reason()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.Fail(link.Juliet.Jid, TunnelCloseReason.Spoofing, "from mismatch", Link.T0);
        link.Romeo.TakeOutbox();

        link.Romeo.Manager.Tick(Link.T0 + TimeSpan.FromSeconds(10));

        TunnelEnded ended = link.Romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.Spoofing));
        Assert.That(ended.Detail, Is.EqualTo("from mismatch"));
    }

    [Test]
    public void Next_deadline_is_the_earliest_over_all_tunnels()
    {
        var manager = new Endpoint(Link.RomeoJid);
        manager.Manager.Open(J("a@x.example/1"), "x509", null, Link.T0 + (5 * Second));
        manager.Manager.Open(J("b@x.example/1"), "x509", null, Link.T0);
        manager.Manager.Open(J("c@x.example/1"), "x509", null, Link.T0 + (9 * Second));

        Assert.That(manager.Manager.NextDeadline, Is.EqualTo(Link.T0 + TimeSpan.FromSeconds(30)));
        manager.Manager.Tick(Link.T0 + TimeSpan.FromSeconds(30));
        Assert.That(manager.Manager.NextDeadline, Is.EqualTo(Link.T0 + TimeSpan.FromSeconds(35)));
        Assert.That(manager.Take<TunnelEnded>().Select(e => e.Remote), Is.EqualTo(new[] { J("b@x.example/1") }));
    }

    [Test]
    public void Tick_before_any_deadline_changes_nothing()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Link.T0);
        link.Romeo.TakeOutbox();

        link.Romeo.Manager.Tick(Link.T0 + (29 * Second));

        Assert.That(link.Romeo.TakeOutbox(), Is.Empty);
        Assert.That(link.Romeo.Events, Is.Empty);
    }

    private static Jid J(string text) => Jid.Parse(text);
}
