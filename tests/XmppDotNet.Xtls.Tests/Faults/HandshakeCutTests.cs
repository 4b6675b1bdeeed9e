using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Tests.Hostile;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// Cuts scheduled at one exact moment of a handshake (the injector's one-shot cuts): the open fails with
/// a typed reason, the cut side logs in again on the same client, and a new tunnel opens and carries a
/// stanza. The seeded runs (<see cref="ConnectionCutPropertyTests"/>) cover random moments.
/// </summary>
public class HandshakeCutTests
{
    [Test]
    public async Task A_receiver_cut_when_the_client_hello_reaches_it_fails_the_open_at_the_progress_timeout_and_a_new_login_gets_a_tunnel()
    {
        await using LossyTunnel lossy = await LossyTunnel.StartAsync(seed: 0);
        XtlsPair pair = lossy.Pair;
        Host.Jid julietJid = pair.Juliet.Jid;
        Task cut = lossy.Faults.Once(FaultKind.CutReceiver, FaultInjector.DataFrom(pair.Romeo.Jid));

        Task<XtlsTunnel> opening = pair.RomeoXtls.OpenAsync(julietJid);
        await cut.WaitAsync(XtlsPair.Bound);
        await lossy.UntilCompletedAsync([opening]);

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await opening);
        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.ProgressTimeout), "the client hello went down with Juliet's connection: never answered");
        await Drive.UntilAsync(lossy.Clock, () => pair.Juliet.State == SessionState.Closed, pair.Romeo, pair.Juliet);
        Assert.That(await Drive.TunnelCount(pair.Romeo), Is.Zero);

        await pair.Juliet.ConnectAsync().WaitAsync(XtlsPair.Bound);
        Assert.That(pair.Juliet.Jid, Is.EqualTo(julietJid));
        await lossy.OpenAsync();
        Assert.That(lossy.Faults.Cuts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_sender_cut_while_sending_its_client_hello_fails_the_open_and_its_new_login_replaces_the_half_open_tunnel()
    {
        await using LossyTunnel lossy = await LossyTunnel.StartAsync(seed: 0);
        XtlsPair pair = lossy.Pair;
        Host.Jid romeoJid = pair.Romeo.Jid;
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);
        Task cut = lossy.Faults.Once(FaultKind.CutSender, FaultInjector.DataFrom(romeoJid));

        Task<XtlsTunnel> opening = pair.RomeoXtls.OpenAsync(pair.Juliet.Jid);
        await cut.WaitAsync(XtlsPair.Bound);
        await lossy.UntilCompletedAsync([opening]);

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await opening);
        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.SessionEnded));
        Assert.That(julietClosed.IsCompleted, Is.False, "Juliet accepted and waits for the client hello; no time has run out yet");

        await Drive.UntilAsync(lossy.Clock, () => pair.Romeo.State == SessionState.Closed, pair.Romeo, pair.Juliet);
        await pair.Romeo.ConnectAsync().WaitAsync(XtlsPair.Bound);
        Assert.That(pair.Romeo.Jid, Is.EqualTo(romeoJid));
        await lossy.OpenAsync();
        Assert.That((await julietClosed).Reason, Is.EqualTo(TunnelCloseReason.Replaced), "the new start replaced the half-open tunnel");
        Assert.That(await Drive.TunnelCount(pair.Juliet), Is.EqualTo(1));
    }
}
