using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>The peer's close_notify arms a deadline for its close; a peer that never sends it cannot keep the tunnel.</summary>
public class PeerCloseTimeoutTests
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    [Test]
    public void A_missing_close_after_close_notify_ends_the_tunnel_at_the_close_timeout_and_not_before()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        TunnelManager juliet = link.Juliet.Manager;
        DateTimeOffset at = Link.T0 + TimeSpan.FromSeconds(5);

        Assert.That(juliet.PeerClosedTls(link.Romeo.Jid, at), Is.True);
        Assert.That(juliet.NextDeadline, Is.EqualTo(at + CloseTimeout));
        Assert.That(juliet.GetSendCapacity(link.Romeo.Jid), Is.GreaterThan(0), "its close_notify in reply may still go out");

        juliet.Tick(at + CloseTimeout - TimeSpan.FromTicks(1));
        Assert.That(link.Juliet.Take<TunnelEnded>(), Is.Empty);
        Assert.That(juliet.GetState(link.Romeo.Jid), Is.EqualTo(TunnelState.Open));

        juliet.Tick(at + CloseTimeout);
        TunnelEnded ended = link.Juliet.TakeSingle<TunnelEnded>();
        Assert.Multiple(() =>
        {
            Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
            Assert.That(ended.Detail, Does.Contain("close_notify"));
            Assert.That(Stanzas.XtlsName(link.Juliet.TakeSingleStanza()), Is.EqualTo("close"), "the peer is told, so it frees its side");
            Assert.That(juliet.Count, Is.Zero);
            Assert.That(juliet.PendingIqCount, Is.Zero, "the close is not awaited");
            Assert.That(juliet.NextDeadline, Is.Null);
        });
    }

    [Test]
    public void The_close_sent_at_the_timeout_ends_the_peer_side_and_its_answer_is_swallowed()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Juliet.Manager.PeerClosedTls(link.Romeo.Jid, link.Now);
        link.Juliet.Manager.Tick(link.Now + CloseTimeout);
        link.Juliet.TakeSingle<TunnelEnded>();

        link.Run();

        Assert.Multiple(() =>
        {
            Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
            Assert.That(link.Romeo.Manager.Count, Is.Zero);
            Assert.That(link.Juliet.Events, Is.Empty, "the closed answer raises nothing");
        });
    }

    [Test]
    public void The_peers_close_in_time_disarms_the_deadline_and_ends_the_tunnel_as_today()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        TunnelManager juliet = link.Juliet.Manager;
        juliet.PeerClosedTls(link.Romeo.Jid, link.Now);

        link.Now += CloseTimeout - TimeSpan.FromSeconds(1);
        link.Romeo.Manager.Close(link.Juliet.Jid, link.Now);
        link.Run();

        TunnelEnded ended = link.Juliet.TakeSingle<TunnelEnded>();
        Assert.Multiple(() =>
        {
            Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
            Assert.That(ended.Detail, Is.Null);
            Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedLocally));
            Assert.That(juliet.NextDeadline, Is.Null);
        });

        juliet.Tick(link.Now + TimeSpan.FromMinutes(5));
        Assert.That(link.Juliet.Events, Is.Empty);
        Assert.That(link.Juliet.TakeOutbox(), Is.Empty);
    }

    [Test]
    public void A_second_report_does_not_extend_the_deadline()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        TunnelManager juliet = link.Juliet.Manager;
        juliet.PeerClosedTls(link.Romeo.Jid, Link.T0);

        Assert.That(juliet.PeerClosedTls(link.Romeo.Jid, Link.T0 + TimeSpan.FromSeconds(8)), Is.True);
        Assert.That(juliet.NextDeadline, Is.EqualTo(Link.T0 + CloseTimeout));
    }

    [Test]
    public void Without_an_open_tunnel_the_report_arms_nothing()
    {
        var link = new Link();
        Assert.That(link.Juliet.Manager.PeerClosedTls(link.Romeo.Jid, Link.T0), Is.False, "no tunnel");

        link.Establish(link.Romeo);
        link.Juliet.Manager.Close(link.Romeo.Jid, link.Now);
        link.Juliet.TakeOutbox();
        DateTimeOffset? closing = link.Juliet.Manager.NextDeadline;

        Assert.That(link.Juliet.Manager.PeerClosedTls(link.Romeo.Jid, link.Now + TimeSpan.FromSeconds(1)), Is.False, "closing already: its own bounds apply");
        Assert.That(link.Juliet.Manager.NextDeadline, Is.EqualTo(closing));
    }

    [Test]
    public void Closing_locally_after_the_peers_close_notify_follows_the_closing_path()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        TunnelManager juliet = link.Juliet.Manager;
        juliet.PeerClosedTls(link.Romeo.Jid, Link.T0);

        DateTimeOffset at = Link.T0 + TimeSpan.FromSeconds(9);
        juliet.Close(link.Romeo.Jid, at);
        Assert.That(Stanzas.XtlsName(link.Juliet.TakeSingleStanza()), Is.EqualTo("close"));
        Assert.That(juliet.NextDeadline, Is.EqualTo(at + CloseTimeout), "the close timeout of the own close, not the earlier peer deadline");

        juliet.Tick(at + CloseTimeout);
        Assert.That(link.Juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.CloseTimeout));
    }
}
