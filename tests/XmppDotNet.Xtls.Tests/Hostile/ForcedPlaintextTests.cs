using System.Xml.Linq;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>A server that ends a tunnel must not turn the conversation into plaintext.</summary>
public class ForcedPlaintextTests
{
    [Test]
    public async Task A_forged_close_does_not_make_the_next_stanza_go_in_the_clear()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);

        // The server swallows Juliet's next chunk and sends Romeo a close "from" her instead.
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Juliet.Jid), iq =>
            [Stanza.Iq("set", "forged", pair.Romeo.Jid, XtlsElements.Close(), pair.Juliet.Jid)]);
        _ = pair.Juliet.SendAsync(XtlsPair.Chat(pair.Romeo.Jid, "never arrives"));
        XtlsTunnelClosedEventArgs closed = await romeoClosed.WaitAsync(XtlsPair.Bound);

        XtlsTunnelException? refused = await Assert.ThrowsAsync<XtlsTunnelException>(
            async () => await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "secret after the close")).WaitAsync(XtlsPair.Bound));

        Assert.That(closed.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
        Assert.That(refused!.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
        Assert.That(pair.Routed.Any(s => s.Contains("secret after the close", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task After_a_tampered_chunk_the_peer_gets_nothing_in_the_clear_until_the_application_allows_it()
    {
        // About clear text: no automatic tunnel for Romeo once the application allowed it.
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Off);
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq => [DataIq.FlipBit(iq, DataIq.Payload(iq).Length / 2)]);

        _ = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "tampered on the way")).ContinueWith(t => t.Exception, TaskScheduler.Default);
        await romeoClosed.WaitAsync(XtlsPair.Bound);
        Assert.That(async () => await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "still secret")).WaitAsync(XtlsPair.Bound), Throws.TypeOf<XtlsTunnelException>());

        Assert.That(pair.RomeoXtls.AllowClearText(pair.Juliet.Jid), Is.True);
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "now in the clear, knowingly")).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(received.Value, Is.EqualTo("now in the clear, knowingly"));
        Assert.That(received.IsFromXtlsTunnel(), Is.False);
        Assert.That(pair.Routed.Any(s => s.Contains("still secret", StringComparison.Ordinal)), Is.False);
        Assert.That(pair.Routed.Any(s => s.Contains("now in the clear, knowingly", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task A_new_tunnel_lifts_the_refusal()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq => [DataIq.FlipBit(iq, DataIq.Payload(iq).Length / 2)]);
        _ = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "tampered")).ContinueWith(t => t.Exception, TaskScheduler.Default);
        await romeoClosed.WaitAsync(XtlsPair.Bound);

        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "through the new tunnel")).WaitAsync(XtlsPair.Bound);

        Assert.That(pair.Routed.Any(s => s.Contains("through the new tunnel", StringComparison.Ordinal)), Is.False);
    }
}
