using System.Xml.Linq;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Pipeline;

/// <summary>
/// What a responder holds while its trust decision is pending (a <c>VerifyPeer</c> callback that answers
/// later): bounded by <see cref="XtlsOptions.MaxHeldPlaintextBytes"/>, counted as the decrypted bytes, and
/// delivered in order once the peer is trusted.
/// </summary>
public class HeldPlaintextTests
{
    private const int HeldLimit = 8 * 1024;
    private static readonly string Body = new('x', 120);

    [Test]
    public async Task Many_small_stanzas_under_the_bound_are_held_and_delivered_in_order_once_the_peer_is_trusted()
    {
        var decide = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => Limit(o, decide));
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        // About 7 KB of stanzas, sent at once: the window makes many share a data IQ, so one decrypted
        // read carries several of them. Counted per stanza and read, that would pass the 8 KiB bound.
        Task[] sends = [.. Enumerable.Range(0, 40).Select(i => pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, $"{i:D2} {Body}")))];
        await Task.WhenAll(sends).WaitAsync(XtlsPair.Bound);
        decide.SetResult(true);

        var bodies = new List<string>();
        for (int i = 0; i < sends.Length; i++)
        {
            XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);
            Assert.That(received.IsFromXtlsTunnel(), Is.True);
            bodies.Add(received.Value);
        }

        Assert.That(bodies, Is.EqualTo(Enumerable.Range(0, 40).Select(i => $"{i:D2} {Body}")));
        Assert.That(pair.JulietXtls.OpenTunnels, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task More_than_the_bound_before_the_trust_decision_fails_the_tunnel_and_delivers_nothing()
    {
        var decide = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => Limit(o, decide));
        var closed = new TaskCompletionSource<XtlsTunnelClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.JulietXtls.TunnelClosed += (_, e) => closed.TrySetResult(e);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        // About 12 KB, more than the 8 KiB the responder may hold undecided.
        Task[] sends = [.. Enumerable.Range(0, 70).Select(i => pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, $"{i:D2} {Body}")))];
        XtlsTunnelClosedEventArgs ended = await closed.Task.WaitAsync(XtlsPair.Bound);
        decide.SetResult(true);
        await Task.WhenAll(sends.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(XtlsPair.Bound);

        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.LimitExceeded));
        Assert.That(sends.Any(s => s.IsFaulted), Is.True, "sends that did not reach the peer's application fail");
        var delivered = new List<XElement>();
        while (pair.JulietInbox.Reader.TryRead(out XElement? stanza))
        {
            delivered.Add(stanza);
        }

        Assert.That(delivered.Where(s => s.Name.LocalName == "message"), Is.Empty, "nothing held was delivered");
    }

    private static void Limit(XtlsOptions options, TaskCompletionSource<bool> decide)
    {
        options.MaxInnerStanzaBytes = 1024;
        options.MaxHeldPlaintextBytes = HeldLimit;
        options.TrustStore = new InMemoryTrustStore(TrustOnFirstUse.Enabled);
        options.VerifyPeer = (_, _, _, cancellationToken) => new ValueTask<bool>(decide.Task.WaitAsync(cancellationToken));
    }
}
