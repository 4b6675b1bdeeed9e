using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// A server that replays, reorders or loses data IQs of an open tunnel. TLS sequence numbers turn
/// each into a failed record or a missing acknowledgement: the tunnel ends with a typed reason on
/// both sides, nothing out of order or undecryptable is delivered, and every stanza the receiver
/// did not deliver is reported failed to its sender.
/// </summary>
public class ReplayAndLossTests
{
    [Test]
    public async Task A_chunk_replayed_with_the_same_id_is_delivered_once_then_the_tunnel_fails_and_later_stanzas_are_reported_failed()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq => [iq, iq]);

        await AssertReplayOutcomeAsync(pair);
    }

    [Test]
    public async Task A_chunk_replayed_under_a_new_id_is_delivered_once_then_the_tunnel_fails_and_later_stanzas_are_reported_failed()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq => [iq, DataIq.WithId(iq, "replayed-1")]);

        await AssertReplayOutcomeAsync(pair);
    }

    [Test]
    public async Task Two_chunks_delivered_in_swapped_order_deliver_nothing_and_both_stanzas_are_reported_failed()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        XElement? held = null;
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq =>
        {
            held = iq;
            return [];
        });
        Task<XElement> swapped = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq => [iq, held!]);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);

        Task[] sent = await Watch.SendInOneTurn(pair.Romeo, XtlsPair.Chat(pair.Juliet.Jid, "first"), XtlsPair.Chat(pair.Juliet.Jid, "second"));
        (Task first, Task second) = (sent[0], sent[1]);
        await swapped.WaitAsync(XtlsPair.Bound);

        await AssertFailedOnBothSidesAsync(julietClosed, romeoClosed, "bad_record_mac");
        await AssertReportedFailedAsync(first, TunnelCloseReason.TlsFailure);
        await AssertReportedFailedAsync(second, TunnelCloseReason.TlsFailure);
        Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False, "neither half of a swapped pair is delivered");
    }

    [Test]
    public async Task A_lost_chunk_is_revealed_by_the_next_one_and_neither_stanza_is_delivered()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        Task<XElement> dropped = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), _ => []);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);

        Task[] sent = await Watch.SendInOneTurn(pair.Romeo, XtlsPair.Chat(pair.Juliet.Jid, "lost"), XtlsPair.Chat(pair.Juliet.Jid, "after the gap"));
        (Task lost, Task afterTheGap) = (sent[0], sent[1]);
        await dropped.WaitAsync(XtlsPair.Bound);

        (_, XtlsTunnelClosedEventArgs atRomeo) = await AssertFailedOnBothSidesAsync(julietClosed, romeoClosed, "bad_record_mac");
        await AssertReportedFailedAsync(lost, TunnelCloseReason.TlsFailure);
        await AssertReportedFailedAsync(afterTheGap, TunnelCloseReason.TlsFailure);
        Assert.That(atRomeo.UndeliveredStanzas, Is.EqualTo(2), "the lost chunk was never acknowledged, so nothing after it counts as delivered");
        Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False);
    }

    [Test]
    public async Task A_lost_chunk_with_nothing_after_it_ends_the_tunnel_at_the_progress_timeout()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        TimeSpan progressTimeout = TimeSpan.FromSeconds(10);
        await using XtlsPair pair = await XtlsPair.StartAsync(romeoOptions: o => o.Tunnels.ProgressTimeout = progressTimeout, romeoClock: clock);
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        Task<XElement> dropped = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), _ => []);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);

        Task lost = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "into the void"));
        await dropped.WaitAsync(XtlsPair.Bound);
        await Watch.EventLoopSettled(pair.Romeo);
        clock.Advance(progressTimeout - TimeSpan.FromSeconds(1));
        await Watch.EventLoopSettled(pair.Romeo);
        Assert.That(pair.RomeoXtls.GetTunnel(pair.Juliet.Jid), Is.Not.Null, "the acknowledgement may still come");

        clock.Advance(TimeSpan.FromSeconds(1));
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;
        XtlsTunnelClosedEventArgs atJuliet = await julietClosed;

        Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.ProgressTimeout));
        Assert.That(atRomeo.UndeliveredStanzas, Is.EqualTo(1));
        Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer), "the sender tells the receiver with close");
        await AssertReportedFailedAsync(lost, TunnelCloseReason.ProgressTimeout);
        Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False);
    }

    /// <summary>The replayed stanza arrives once; the replay fails the tunnel; the stanza behind it is not delivered and is reported so.</summary>
    private static async Task AssertReplayOutcomeAsync(XtlsPair pair)
    {
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);

        Task[] sent = await Watch.SendInOneTurn(pair.Romeo, XtlsPair.Chat(pair.Juliet.Jid, "once only"), XtlsPair.Chat(pair.Juliet.Jid, "behind the replay"));
        (Task replayed, Task behind) = (sent[0], sent[1]);

        await AssertFailedOnBothSidesAsync(julietClosed, romeoClosed, "bad_record_mac");
        await replayed.WaitAsync(XtlsPair.Bound);
        await AssertReportedFailedAsync(behind, TunnelCloseReason.TlsFailure);
        XElement delivered = await XtlsPair.NextMessageAsync(pair.JulietInbox);
        Assert.That(delivered.Value, Is.EqualTo("once only"));
        Assert.That(delivered.IsFromXtlsTunnel(), Is.True);
        Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False, "the replay is not delivered again, nor what follows it");
    }

    private static async Task<(XtlsTunnelClosedEventArgs AtJuliet, XtlsTunnelClosedEventArgs AtRomeo)> AssertFailedOnBothSidesAsync(
        Task<XtlsTunnelClosedEventArgs> julietClosed, Task<XtlsTunnelClosedEventArgs> romeoClosed, string alert)
    {
        XtlsTunnelClosedEventArgs atJuliet = await julietClosed;
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;
        Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(atJuliet.Detail, Does.Contain(alert));
        Assert.That(atJuliet.WasOpen, Is.True);
        Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(atRomeo.Detail, Does.Contain("the peer sent the alert " + alert));
        Assert.That(atRomeo.WasOpen, Is.True);
        return (atJuliet, atRomeo);
    }

    private static async Task AssertReportedFailedAsync(Task send, TunnelCloseReason reason)
    {
        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await send.WaitAsync(XtlsPair.Bound));
        Assert.That(error!.Reason, Is.EqualTo(reason));
    }
}
