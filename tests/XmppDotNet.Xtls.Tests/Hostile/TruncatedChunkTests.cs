using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// A server cuts the end off a chunk. The receiver cannot tell a truncated record from one split
/// across chunks: it holds the partial record, delivers nothing of it, and acknowledges the chunk;
/// the next record completes the partial one with the wrong bytes and fails the tunnel on both sides.
/// </summary>
public class TruncatedChunkTests
{
    [TestCase(1)]
    [TestCase(16)]
    public async Task A_truncated_chunk_delivers_nothing_and_the_next_record_fails_the_tunnel(int cut)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        var wire = new Wire(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        Task<XElement> truncated = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq => [DataIq.WithPayload(iq, DataIq.Payload(iq)[..^cut])]);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);

        Task cutShort = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "cut short"));
        string truncatedId = Stanza.GetId(await truncated.WaitAsync(XtlsPair.Bound))!;
        XElement acknowledgement = await wire.AnswerAsync(pair.Juliet.Jid, truncatedId);
        await Watch.EventLoopSettled(pair.Juliet);
        Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False, "nothing of a partial record is delivered");
        Assert.That(pair.JulietXtls.GetTunnel(pair.Romeo.Jid), Is.Not.Null, "the partial record is held: it may be completed by the next chunk");

        Task next = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "reveals the cut"));
        XtlsTunnelClosedEventArgs atJuliet = await julietClosed;
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;
        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await next.WaitAsync(XtlsPair.Bound));

        Assert.Multiple(() =>
        {
            // Known gap: the acknowledgement covers ciphertext, so the cut stanza counts as delivered.
            Assert.That(Stanza.GetType(acknowledgement), Is.EqualTo("result"));
            Assert.That(cutShort.IsCompletedSuccessfully, Is.True);
            Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(atJuliet.Detail, Does.Contain("bad_record_mac"));
            Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False);
        });
    }
}
