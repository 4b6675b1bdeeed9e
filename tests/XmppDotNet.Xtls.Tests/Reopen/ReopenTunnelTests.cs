using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Reopen;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Tests.Reopen;

/// <summary>
/// Two clients on the in-memory router re-open a tunnel with the secret of the previous one: after an orderly
/// close and after a new session, for x509 and SRP; and fall back to a full handshake without an error when the
/// peer lost its secret.
/// </summary>
public class ReopenTunnelTests
{
    private static readonly Func<Jid, char[]?> Password = _ => "our shared secret".ToCharArray();

    [TestCase(XtlsMethod.X509)]
    [TestCase(XtlsMethod.Srp)]
    public async Task A_tunnel_closed_in_order_is_reopened_with_its_secret_and_carries_its_trust_over(XtlsMethod method)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(o => Configure(o, method), o => Configure(o, method));
        XtlsTunnel first = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, method).WaitAsync(XtlsPair.Bound);
        XtlsTunnel firstAtJuliet = pair.JulietXtls.GetTunnel(pair.Romeo.Jid)!;
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        XtlsTunnel second = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, method).WaitAsync(XtlsPair.Bound);
        XtlsTunnel secondAtJuliet = pair.JulietXtls.GetTunnel(pair.Romeo.Jid)!;
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "again")).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        List<XElement> starts = ClientHello.Starts(pair.Routed);
        List<int[]> hellos = ClientHello.ExtensionsOfEach(pair.Routed);
        Assert.Multiple(() =>
        {
            Assert.That(first.Reopened, Is.False);
            Assert.That(second.Reopened, Is.True);
            Assert.That(secondAtJuliet.Reopened, Is.True);
            Assert.That(second.Method, Is.EqualTo(method));
            Assert.That(second.ProtocolVersion, Is.EqualTo("TLSv1.3"));
            Assert.That(second.PeerFingerprint, Is.EqualTo(first.PeerFingerprint));
            Assert.That(second.Trust, Is.EqualTo(first.Trust));
            Assert.That(secondAtJuliet.PeerFingerprint, Is.EqualTo(firstAtJuliet.PeerFingerprint));
            Assert.That(secondAtJuliet.Trust, Is.EqualTo(firstAtJuliet.Trust));
            Assert.That(received.IsFromXtlsTunnel(), Is.True);
            Assert.That(received.Element(XName.Get("body", "jabber:client"))?.Value, Is.EqualTo("again"));
            Assert.That(starts[0].Element(XtlsElements.ReopenName), Is.Null, "nothing to re-open the first time");
            Assert.That(XtlsElements.ReadReopen(starts[1]), Is.Not.Null, "the second start offers a re-open");
            Assert.That(XtlsElements.ReadReopen(ClientHello.Proceeds(pair.Routed)[1]), Is.EqualTo(XtlsElements.ReadReopen(starts[1])), "and the responder accepts it");
            Assert.That(hellos[0], Does.Not.Contain(ClientHello.PreSharedKey));
            Assert.That(hellos[1], Does.Contain(ClientHello.PreSharedKey));
            Assert.That(pair.RomeoXtls.ReopenStore.Count, Is.EqualTo(1), "a fresh secret for the next time, the used one gone");
            Assert.That(pair.JulietXtls.ReopenStore.Count, Is.EqualTo(1));
        });
    }

    [TestCase(XtlsMethod.X509)]
    [TestCase(XtlsMethod.Srp)]
    public async Task A_new_session_of_the_peer_reopens_with_the_secret_its_store_kept(XtlsMethod method)
    {
        // What an application keeps across sessions: its identity, its trust store and its re-open store.
        var julietStore = new InMemoryReopenSecretStore();
        var julietTrust = new InMemoryTrustStore();
        XtlsIdentity julietIdentity = XtlsIdentity.Generate();
        await using XtlsPair pair = await XtlsPair.StartAsync(o => Configure(o, method), o => Configure(o, method, julietIdentity, julietStore, julietTrust));
        XtlsTunnel first = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, method).WaitAsync(XtlsPair.Bound);
        await pair.Juliet.DisposeAsync();

        await using XmppClient juliet2 = XtlsPair.Build(pair.Router, "juliet", "j-pass", "balcony", o => Configure(o, method, julietIdentity, julietStore, julietTrust));
        await juliet2.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await WaitUntilGoneAsync(pair.RomeoXtls, juliet2.Jid);
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(juliet2.Jid, method).WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(again.Reopened, Is.True);
            Assert.That(again.Initiator, Is.True);
            Assert.That(juliet2.GetXtls().GetTunnel(pair.Romeo.Jid)?.Reopened, Is.True);
            Assert.That(again.PeerFingerprint, Is.EqualTo(first.PeerFingerprint));
        });
    }

    [TestCase(XtlsMethod.X509)]
    [TestCase(XtlsMethod.Srp)]
    public async Task A_peer_that_lost_its_secret_gets_a_full_handshake_in_the_same_exchange_without_an_error(XtlsMethod method)
    {
        XtlsIdentity julietIdentity = XtlsIdentity.Generate();
        await using XtlsPair pair = await XtlsPair.StartAsync(o => Configure(o, method), o => Configure(o, method, julietIdentity));
        var closed = new List<XtlsTunnelClosedEventArgs>();
        pair.RomeoXtls.TunnelClosed += (_, e) => closed.Add(e);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, method).WaitAsync(XtlsPair.Bound);
        await pair.Juliet.DisposeAsync();

        // The same device back, but with a fresh (empty) re-open store.
        await using XmppClient juliet2 = XtlsPair.Build(pair.Router, "juliet", "j-pass", "balcony", o => Configure(o, method, julietIdentity));
        await juliet2.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await WaitUntilGoneAsync(pair.RomeoXtls, juliet2.Jid);
        int startsBefore = ClientHello.Starts(pair.Routed).Count;
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(juliet2.Jid, method).WaitAsync(XtlsPair.Bound);

        List<XElement> starts = ClientHello.Starts(pair.Routed);
        Assert.Multiple(() =>
        {
            Assert.That(again.Reopened, Is.False);
            Assert.That(again.PeerFingerprint, Is.EqualTo(method == XtlsMethod.X509 ? julietIdentity.Fingerprint : null));
            Assert.That(starts, Has.Count.EqualTo(startsBefore + 1), "one exchange: no retry");
            Assert.That(XtlsElements.ReadReopen(starts[^1]), Is.Not.Null, "the offer was made");
            Assert.That(XtlsElements.ReadReopen(ClientHello.Proceeds(pair.Routed)[^1]), Is.Null, "and not accepted");
            Assert.That(ClientHello.ExtensionsOfEach(pair.Routed)[^1], Does.Not.Contain(ClientHello.PreSharedKey), "so the ClientHello is an ordinary one");
            Assert.That(closed.Where(e => !e.WasOpen), Is.Empty, "no failed attempt reached the application");
        });
    }

    [Test]
    public async Task With_the_option_off_nothing_of_re_opening_appears_on_the_wire()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.ReopenTunnels = false, o => o.ReopenTunnels = false);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        List<XElement> starts = ClientHello.Starts(pair.Routed);
        Assert.Multiple(() =>
        {
            Assert.That(again.Reopened, Is.False);
            Assert.That(starts, Has.Count.EqualTo(2));
            Assert.That(starts.Select(s => s.ToString(SaveOptions.DisableFormatting)), Is.All.EqualTo("<start xmlns=\"urn:xmpp:tmp:xtls\">" + XtlsElements.Offer(new XtlsOffer(pair.RomeoXtls.Identity.Fingerprint.ToString(), false)).ToString(SaveOptions.DisableFormatting) + "</start>"));
            Assert.That(ClientHello.ExtensionsOfEach(pair.Routed), Has.Count.EqualTo(2));
            Assert.That(ClientHello.ExtensionsOfEach(pair.Routed), Has.All.Not.Contains(ClientHello.PreSharedKey).And.All.Not.Contains(ClientHello.PskKeyExchangeModes));
            Assert.That(pair.RomeoXtls.ReopenStore.Count, Is.Zero);
            Assert.That(pair.JulietXtls.ReopenStore.Count, Is.Zero);
        });
    }

    [Test]
    public async Task One_side_with_the_option_off_gets_full_handshakes()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => o.ReopenTunnels = false);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(again.Reopened, Is.False);
            Assert.That(XtlsElements.ReadReopen(ClientHello.Starts(pair.Routed)[1]), Is.Not.Null);
            Assert.That(ClientHello.Proceeds(pair.Routed).Select(XtlsElements.ReadReopen), Is.All.Null);
        });
    }

    internal static void Configure(XtlsOptions options, XtlsMethod method, XtlsIdentity? identity = null, IReopenSecretStore? store = null, ITrustStore? trust = null)
    {
        options.TrustStore = trust;
        if (method == XtlsMethod.Srp)
        {
            options.SrpPassword = Password;
        }

        if (identity is not null)
        {
            options.Identity = identity;
        }

        options.ReopenStore = store;
    }

    /// <summary>The peer's old session is gone once the router delivered its unavailable presence, or the new one is online.</summary>
    internal static async Task WaitUntilGoneAsync(XtlsService service, Jid peer)
    {
        using var timeout = new CancellationTokenSource(XtlsPair.Bound);
        while (service.GetTunnel(peer) is not null)
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
