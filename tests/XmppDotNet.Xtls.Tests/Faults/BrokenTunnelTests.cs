using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Tests.Hostile;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// Tunnels broken by lost acknowledgements and cut connections: the break is detected, the tunnel is
/// closed on both sides with a typed reason, every unacknowledged send fails, and a new tunnel opens.
/// </summary>
public class BrokenTunnelTests
{
    private static readonly string[] Three = ["one", "two", "three"];

    [Test]
    public async Task Lost_acknowledgements_end_the_tunnel_at_the_progress_timeout_and_report_delivered_stanzas_failed()
    {
        await using LossyTunnel lossy = await LossyTunnel.StartAsync(seed: 0);
        XtlsPair pair = lossy.Pair;
        await lossy.OpenAsync();
        Task[] lostAnswers = [.. Enumerable.Range(0, 3).Select(_ => lossy.Faults.Once(FaultKind.Drop, FaultInjector.AnswerFrom(pair.Juliet.Jid)))];

        Task[] sends = await lossy.SendAsync(Three);
        await Task.WhenAll(lostAnswers).WaitAsync(XtlsPair.Bound);
        await lossy.UntilCompletedAsync(sends);
        await Drive.UntilAsync(lossy.Clock, () => !lossy.JulietClosed.IsEmpty, pair.Romeo, pair.Juliet);

        // Delivered, yet reported failed: without the answers Romeo cannot tell these from lost chunks.
        string[] delivered = [(await XtlsPair.NextMessageAsync(pair.JulietInbox)).Value, (await XtlsPair.NextMessageAsync(pair.JulietInbox)).Value, (await XtlsPair.NextMessageAsync(pair.JulietInbox)).Value];
        Assert.That(delivered, Is.EqualTo(Three));
        foreach (Task send in sends)
        {
            XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await send);
            Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.ProgressTimeout));
        }

        Assert.That(lossy.RomeoClosed.Single().Reason, Is.EqualTo(TunnelCloseReason.ProgressTimeout));
        Assert.That(lossy.RomeoClosed.Single().UndeliveredStanzas, Is.EqualTo(3));
        Assert.That(lossy.JulietClosed.Single().Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer), "Romeo's close tells Juliet");
        await AssertNewTunnelCarriesAsync(pair.Romeo, pair.Juliet, pair.JulietInbox);
    }

    [Test]
    public async Task Every_send_that_fails_because_the_session_ended_counts_as_undelivered_in_the_close_event()
    {
        const int Count = 50;
        await using LossyTunnel lossy = await LossyTunnel.StartAsync(seed: 0);
        XtlsPair pair = lossy.Pair;
        await lossy.OpenAsync();
        // Juliet never sees Romeo's chunks, so nothing is acknowledged and the window stays full.
        for (int i = 0; i < Count; i++)
        {
            _ = lossy.Faults.Once(FaultKind.Drop, e => e.From == pair.Romeo.Jid && (string?)e.Stanza.Attribute("type") == "set");
        }

        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);
        // One send (and flush) at a time, as an application writes: once the window is full, the next ones wait as plaintext.
        Task[] sends = [.. Enumerable.Range(0, Count).Select(i => pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "lost " + i)))];
        await pair.Romeo.Channel!.EventLoop.SubmitAsync(() => true).WaitAsync(XtlsPair.Bound);
        Assert.That(pair.Router.Disconnect(pair.Romeo.Jid), Is.True);
        XtlsTunnelClosedEventArgs closed = await romeoClosed.WaitAsync(XtlsPair.Bound);
        await Task.WhenAny(Task.WhenAll(sends)).WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(closed.Reason, Is.EqualTo(TunnelCloseReason.SessionEnded));
            Assert.That(sends.Select(s => s.Status), Is.All.EqualTo(TaskStatus.Faulted));
            Assert.That(closed.UndeliveredStanzas, Is.EqualTo(Count), "every failed send is counted, also those never encrypted");
        });
    }

    [Test]
    public async Task A_cut_receiver_is_detected_by_the_bounce_of_the_next_chunk_and_its_new_login_gets_a_new_tunnel()
    {
        await using LossyTunnel lossy = await LossyTunnel.StartAsync(seed: 0);
        XtlsPair pair = lossy.Pair;
        await lossy.OpenAsync();
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);

        Assert.That(pair.Router.Disconnect(pair.Juliet.Jid), Is.True);
        Assert.That((await julietClosed).Reason, Is.EqualTo(TunnelCloseReason.SessionEnded));
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);
        Task lost = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "to nobody"));

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await lost.WaitAsync(XtlsPair.Bound));
        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.PeerGone), "the server bounced the chunk: service-unavailable");
        Assert.That((await romeoClosed).Reason, Is.EqualTo(TunnelCloseReason.PeerGone));
        Assert.That(await Drive.TunnelCount(pair.Romeo), Is.Zero);

        await using XmppClient julietAgain = XtlsPair.Build(pair.Router, "juliet", "j-pass", "balcony", o => o.Identity = pair.JulietXtls.Identity, lossy.Clock);
        var inbox = System.Threading.Channels.Channel.CreateUnbounded<XElement>();
        julietAgain.StanzaReceived += (_, e) => inbox.Writer.TryWrite(e.Stanza);
        await julietAgain.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await AssertNewTunnelCarriesAsync(pair.Romeo, julietAgain, inbox);
    }

    [Test]
    public async Task A_cut_sender_fails_its_unacknowledged_sends_and_its_new_login_replaces_the_tunnel_the_receiver_kept()
    {
        await using LossyTunnel lossy = await LossyTunnel.StartAsync(seed: 0);
        XtlsPair pair = lossy.Pair;
        await lossy.OpenAsync();
        Task lostAnswer = lossy.Faults.Once(FaultKind.Drop, FaultInjector.AnswerFrom(pair.Juliet.Jid));
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);
        Task unacknowledged = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "answer lost"));
        await lostAnswer.WaitAsync(XtlsPair.Bound);

        Assert.That(pair.Router.Disconnect(pair.Romeo.Jid), Is.True);

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await unacknowledged.WaitAsync(XtlsPair.Bound));
        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.SessionEnded));
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;
        Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.SessionEnded));
        Assert.That(atRomeo.UndeliveredStanzas, Is.EqualTo(1));
        Assert.That((await XtlsPair.NextMessageAsync(pair.JulietInbox)).Value, Is.EqualTo("answer lost"), "delivered although its send failed");
        Assert.That(julietClosed.IsCompleted, Is.False, "Juliet cannot know yet: Romeo announced no presence, and an idle receiver has no timeout");

        await using XmppClient romeoAgain = XtlsPair.Build(pair.Router, "romeo", "r-pass", "orchard", o => o.Identity = pair.RomeoXtls.Identity, lossy.Clock);
        await romeoAgain.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await AssertNewTunnelCarriesAsync(romeoAgain, pair.Juliet, pair.JulietInbox);
        Assert.That((await julietClosed).Reason, Is.EqualTo(TunnelCloseReason.Replaced), "the new start replaced the stale tunnel");
        Assert.That(await Drive.TunnelCount(pair.Juliet), Is.EqualTo(1));
    }

    private static async Task AssertNewTunnelCarriesAsync(XmppClient from, XmppClient to, System.Threading.Channels.Channel<XElement> inbox)
    {
        XtlsTunnel tunnel = await from.GetXtls().OpenAsync(to.Jid).WaitAsync(XtlsPair.Bound);
        Assert.That(tunnel.Peer, Is.EqualTo(to.Jid));
        await from.SendAsync(XtlsPair.Chat(to.Jid, "through the new tunnel")).WaitAsync(XtlsPair.Bound);
        XElement message = await XtlsPair.NextMessageAsync(inbox);
        Assert.That(message.Value, Is.EqualTo("through the new tunnel"));
        Assert.That(message.IsFromXtlsTunnel(), Is.True);
    }
}
