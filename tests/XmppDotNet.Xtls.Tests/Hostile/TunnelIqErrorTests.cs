using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// A server answers each kind of tunnel IQ (<c>start</c>, <c>data</c>, <c>close</c>) with every error
/// condition RFC 6120 defines, in place of the peer's real answer: the tunnel ends with the reason the
/// condition maps to, the API reports it typed, and nothing is left half open on either side.
/// </summary>
public class TunnelIqErrorTests
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(20);

    public static IEnumerable<string> Conditions => StanzaErrorConditions.All;

    [TestCaseSource(nameof(Conditions))]
    public async Task An_error_answering_start_fails_the_open_with_the_mapped_reason_and_the_responder_gives_up_at_its_handshake_timeout(string condition)
    {
        var julietClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => o.Tunnels.HandshakeTimeout = HandshakeTimeout, julietClock: julietClock);
        var mitm = new ServerInTheMiddle(pair.Router);
        var wire = new Wire(pair.Router);
        Task<XElement> proceed = mitm.Once(
            e => e.From == pair.Juliet.Jid && e.Stanza.Element(XtlsElements.ProceedName) is not null,
            iq => [Forged(iq, condition, pair)]);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound));
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;
        await proceed;
        await Watch.EventLoopSettled(pair.Juliet);
        julietClock.Advance(HandshakeTimeout);
        XtlsTunnelClosedEventArgs atJuliet = await julietClosed;
        XElement julietsClose = await wire.CloseAsync(pair.Juliet.Jid);
        XElement romeosAnswer = await wire.AnswerAsync(pair.Romeo.Jid, Stanza.GetId(julietsClose)!);

        TunnelCloseReason expected = condition switch
        {
            "service-unavailable" or "feature-not-implemented" => TunnelCloseReason.NotSupported,
            "not-acceptable" => TunnelCloseReason.Refused,
            "conflict" => TunnelCloseReason.Conflict,
            _ => TunnelCloseReason.PeerError,
        };
        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo(expected));
            Assert.That(error.Peer, Is.EqualTo(pair.Juliet.Jid));
            Assert.That(error.Detail, Does.Contain(condition));
            Assert.That(atRomeo.Reason, Is.EqualTo(expected));
            Assert.That(atRomeo.WasOpen, Is.False);
            Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.HandshakeTimeout));
            Assert.That(Wire.Condition(romeosAnswer), Is.EqualTo("item-not-found"), "the initiator no longer knows the tunnel the responder closes");
            Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
            Assert.That(pair.JulietXtls.OpenTunnels, Is.Empty);
        });
    }

    [TestCaseSource(nameof(Conditions))]
    public async Task An_error_answering_data_ends_the_senders_tunnel_with_the_mapped_reason_and_fails_the_send(string condition)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        string? dataId = null;
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq =>
        {
            dataId = Stanza.GetId(iq);
            return [iq];
        });
        Task<XElement> acknowledgement = mitm.Once(
            e => e.From == pair.Juliet.Jid && dataId is not null && Stanza.IsIqResponse(e.Stanza) && Stanza.GetId(e.Stanza) == dataId,
            iq => [Forged(iq, condition, pair)]);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);

        Task sent = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "acknowledged, then denied"));
        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await sent.WaitAsync(XtlsPair.Bound));
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;
        await acknowledgement;

        // wait: the chunk is resent after a back-off; the peer had it already, so TLS sees a replay.
        TunnelCloseReason expected = StanzaError.DefaultTypeFor(condition) == StanzaErrorType.Wait
            ? TunnelCloseReason.TlsFailure
            : condition is "item-not-found" or "recipient-unavailable" or "service-unavailable" or "remote-server-not-found" or "remote-server-timeout"
                ? TunnelCloseReason.PeerGone
                : TunnelCloseReason.PeerError;
        Assert.Multiple(() =>
        {
            Assert.That(error!.Reason, Is.EqualTo(expected));
            Assert.That(atRomeo.Reason, Is.EqualTo(expected));
            Assert.That(atRomeo.WasOpen, Is.True);
            Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
        });

        // The peer did receive the chunk: the message reached it once, and only once.
        XElement delivered = await XtlsPair.NextMessageAsync(pair.JulietInbox);
        Assert.That(delivered.Value, Is.EqualTo("acknowledged, then denied"));
        Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False);
    }

    [TestCaseSource(nameof(Conditions))]
    public async Task An_error_answering_close_ends_the_tunnel_on_both_sides_with_the_mapped_reason(string condition)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        Task<XElement> closed = mitm.Once(
            e => e.From == pair.Juliet.Jid && e.Stanza.Element(XtlsElements.ClosedName) is not null,
            iq => [Forged(iq, condition, pair)]);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);

        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await closed;
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;
        XtlsTunnelClosedEventArgs atJuliet = await julietClosed;

        TunnelCloseReason expected = condition switch
        {
            "item-not-found" => TunnelCloseReason.ClosedLocally,
            "recipient-unavailable" or "service-unavailable" or "remote-server-not-found" or "remote-server-timeout" => TunnelCloseReason.PeerGone,
            _ => TunnelCloseReason.PeerError,
        };
        Assert.Multiple(() =>
        {
            Assert.That(atRomeo.Reason, Is.EqualTo(expected));
            Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
            Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
            Assert.That(pair.JulietXtls.OpenTunnels, Is.Empty);
            Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False);
        });
    }

    [TestCase("<error/>", "undefined-condition (cancel)")]
    [TestCase("<error type='cancel'><x-busy xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>", "undefined-condition (cancel)")]
    [TestCase("<error type='later'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>", "resource-constraint (cancel)")]
    [TestCase("<error code='503'/>", "undefined-condition (cancel)")]
    [TestCase("", "undefined-condition (cancel)")]
    public async Task A_malformed_error_answering_data_is_read_as_a_failure_never_as_success_or_a_retry(string error, string readAs)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        string? dataId = null;
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq =>
        {
            dataId = Stanza.GetId(iq);
            return [iq];
        });
        _ = mitm.Once(
            e => e.From == pair.Juliet.Jid && dataId is not null && Stanza.IsIqResponse(e.Stanza) && Stanza.GetId(e.Stanza) == dataId,
            iq => [XElement.Parse($"<iq xmlns='jabber:client' type='error' id='{dataId}' from='{pair.Juliet.Jid}' to='{pair.Romeo.Jid}'>{error}</iq>")]);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);

        Task sent = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "answered with a broken error"));
        XtlsTunnelException? failed = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await sent.WaitAsync(XtlsPair.Bound));
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;

        Assert.That(failed!.Reason, Is.EqualTo(TunnelCloseReason.PeerError));
        Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.PeerError));
        Assert.That(atRomeo.Detail, Does.Contain(readAs));
    }

    /// <summary>An error in place of the peer's answer, with its id and addresses.</summary>
    private static XElement Forged(XElement answer, string condition, XtlsPair pair) =>
        Stanza.Iq("error", Stanza.GetId(answer)!, pair.Romeo.Jid, StanzaError.Of(condition, "forged by the server").ToXElement(), pair.Juliet.Jid);
}
