using System.Xml.Linq;
using Org.BouncyCastle.Asn1.X509;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tests.Tls;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// A peer whose certificate breaks policy (expired, or a key usage that forbids signatures) gets no
/// tunnel: the side that checks it aborts the handshake with a TLS alert, the other side answers
/// that data IQ <c>not-acceptable</c>; both sides
/// report a TLS failure naming the alert, and no stanza crosses, in the clear or otherwise.
/// </summary>
public class PolicyCertificateTests
{
    public enum Flaw
    {
        Expired,
        KeyUsageWithoutDigitalSignature,
    }

    [TestCase(Flaw.Expired, "certificate_expired")]
    [TestCase(Flaw.KeyUsageWithoutDigitalSignature, "bad_certificate")]
    public async Task A_responder_with_a_bad_certificate_is_refused_by_the_initiator_before_anything_is_sent(Flaw flaw, string alert)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => o.Identity = Flawed(flaw));
        var wire = new Wire(pair.Router);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);

        Task<XtlsTunnel> opening = pair.RomeoXtls.OpenAsync(pair.Juliet.Jid);
        Task waiting = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "waits for the tunnel"));

        XtlsTunnelException? openError = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await opening.WaitAsync(XtlsPair.Bound));
        await AssertRefusedAsync(pair, wire, pair.Romeo.Jid, pair.Juliet.Jid, await romeoClosed, await julietClosed, waiting, alert);
        Assert.That(openError!.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(openError.Detail, Does.Contain(alert));
    }

    [TestCase(Flaw.Expired, "certificate_expired")]
    [TestCase(Flaw.KeyUsageWithoutDigitalSignature, "bad_certificate")]
    public async Task An_initiator_with_a_bad_certificate_is_refused_by_the_responder_and_what_it_sent_is_reported_failed(Flaw flaw, string alert)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(romeoOptions: o => o.Identity = Flawed(flaw));
        var wire = new Wire(pair.Router);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);

        // With TLS 1.3 the initiator finishes first; the responder judges its certificate afterwards.
        _ = pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).ContinueWith(t => t.Exception, TaskScheduler.Default);
        Task waiting = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "waits for the tunnel"));

        await AssertRefusedAsync(pair, wire, pair.Juliet.Jid, pair.Romeo.Jid, await julietClosed, await romeoClosed, waiting, alert);
    }

    private static async Task AssertRefusedAsync(
        XtlsPair pair, Wire wire, Jid refuser, Jid refused, XtlsTunnelClosedEventArgs atRefuser, XtlsTunnelClosedEventArgs atRefused, Task waiting, string alert)
    {
        XtlsTunnelException? sendError = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await waiting.WaitAsync(XtlsPair.Bound));
        // The refuser's alert travels in a data IQ, which the refused side, failing on it, answers
        // not-acceptable; each side ends on that answer to its own last chunk, so no close follows.
        XElement alertAnswer = await wire.FirstAsync(e => e.From == refused && e.To == refuser && Stanza.GetType(e.Stanza) == "error");
        Assert.Multiple(() =>
        {
            Assert.That(Wire.Condition(alertAnswer), Is.EqualTo(StanzaErrorConditions.NotAcceptable));
            Assert.That(atRefuser.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(atRefuser.Detail, Does.Contain(alert));
            Assert.That(atRefused.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(atRefused.Detail, Does.Contain("the peer sent the alert " + alert));
            Assert.That(sendError!.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False);
            Assert.That(pair.Routed.Any(s => s.Contains("waits for the tunnel", StringComparison.Ordinal)), Is.False);
            Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
            Assert.That(pair.JulietXtls.OpenTunnels, Is.Empty);
        });
    }

    private static XtlsIdentity Flawed(Flaw flaw) => flaw switch
    {
        Flaw.Expired => XtlsIdentity.Generate(validity: TimeSpan.FromDays(1), time: new FixedTimeProvider(DateTimeOffset.UtcNow.AddDays(-3))),
        _ => CertificateValidityTests.IdentityWithKeyUsage(KeyUsage.KeyAgreement),
    };
}
