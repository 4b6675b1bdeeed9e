using System.Globalization;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// When many tunnels fail at once (thousands of peers: a server or network gone, or a load the session
/// cannot keep up with), every one of those peers stays refused clear text. The record of failed peers
/// used to be emptied all at once when it reached 4096, which let every recently failed peer fall back to
/// plaintext together: in a load run of 10,000 tunnels that timed out, 212,315 stanzas went out in the clear.
/// </summary>
public class ManyFailedTunnelsTests
{
    [Test]
    public void Every_peer_of_a_mass_failure_stays_refused_clear_text()
    {
        XtlsService xtls = Service(maxTunnels: 10_000);
        Jid[] peers = Peers(10_000);

        foreach (Jid peer in peers)
        {
            xtls.NoteFailedTunnel(peer, TunnelCloseReason.ProgressTimeout, "no acknowledgement of data in flight");
        }

        Assert.That(peers.Count(p => !xtls.RefusesClearText(p, out _)), Is.Zero, "peers allowed clear text after their tunnel failed");
    }

    [Test]
    public void A_full_record_forgets_only_its_oldest_failure()
    {
        XtlsService xtls = Service(maxTunnels: 1_000);
        Jid[] peers = Peers(4097);

        foreach (Jid peer in peers)
        {
            xtls.NoteFailedTunnel(peer, TunnelCloseReason.PeerGone, null);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(xtls.RefusesClearText(peers[0], out _), Is.False, "the oldest failure, forgotten to keep the record bounded");
            Assert.That(peers.Skip(1).Count(p => !xtls.RefusesClearText(p, out _)), Is.Zero, "later failures forgotten");
            Assert.That(xtls.RefusesClearText(peers[^1], out (TunnelCloseReason Reason, string? Detail) last), Is.True);
            Assert.That(last.Reason, Is.EqualTo(TunnelCloseReason.PeerGone));
        }
    }

    [Test]
    public void A_peer_allowed_clear_text_leaves_room_and_a_new_failure_is_remembered_again()
    {
        XtlsService xtls = Service(maxTunnels: 1_000);
        Jid[] peers = Peers(4096);
        foreach (Jid peer in peers)
        {
            xtls.NoteFailedTunnel(peer, TunnelCloseReason.PeerGone, null);
        }

        bool allowed = xtls.AllowClearText(peers[10]);
        xtls.NoteFailedTunnel(Jid.Parse("late@example.net/r"), TunnelCloseReason.TlsFailure, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allowed, Is.True);
            Assert.That(xtls.RefusesClearText(peers[10], out _), Is.False);
            Assert.That(xtls.RefusesClearText(peers[0], out _), Is.True, "the record had room: nothing forgotten");
            Assert.That(xtls.RefusesClearText(Jid.Parse("late@example.net/r"), out _), Is.True);
        }
    }

    private static XtlsService Service(int maxTunnels) =>
        new XmppClientBuilder()
            .WithJid("hub@example.net")
            .WithPassword("unused")
            .UseXtls(o => o.Tunnels.MaxTunnels = maxTunnels)
            .Build()
            .GetXtls();

    private static Jid[] Peers(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Jid.Parse($"peer{(i / 100).ToString(CultureInfo.InvariantCulture)}@example.net/r{(i % 100).ToString(CultureInfo.InvariantCulture)}"))];
}
