using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// With TLS 1.3 the initiator finishes its handshake before the responder has judged its certificate,
/// and sends what waited for the tunnel at once. When the responder then refuses the certificate,
/// those stanzas were thrown away: they must be reported failed, not delivered.
/// </summary>
public class RefusedCertificateTests
{
    [Test]
    public async Task A_stanza_sent_as_the_handshake_ends_is_reported_failed_when_the_peer_then_refuses_this_sides_certificate()
    {
        var julietKnows = new InMemoryTrustStore(TrustOnFirstUse.Enabled);
        await julietKnows.PinAsync(Jid.Parse("romeo@capulet.lit"), XtlsIdentity.Generate().Fingerprint);
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => o.TrustStore = julietKnows);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);

        _ = pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).ContinueWith(t => t.Exception, TaskScheduler.Default);
        Task early = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "early words"));

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await early.WaitAsync(XtlsPair.Bound));
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;
        XtlsTunnelClosedEventArgs atJuliet = await julietClosed;

        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(error.Detail, Does.Contain("bad_certificate"));
        Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False);
        Assert.That(pair.Routed.Any(s => s.Contains("early words", StringComparison.Ordinal)), Is.False);
    }
}
