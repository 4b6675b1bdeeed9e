using System.Security.Cryptography;
using System.Threading.Channels;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Reopen;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tests.Reopen;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// A server in the middle (or a confused peer) interferes with a re-open: unknown or replayed identities, a
/// forged or stripped acceptance, a malformed offer, a replayed ClientHello. Each ends in a full handshake that
/// the application sees as one successful open (at most one retry inside), never in a tunnel without fresh
/// keys, a reused secret or anything delivered from the interfered exchange.
/// </summary>
public class ReopenAbuseTests
{
    private static readonly bool[] OnlyAFullHandshake = [false];

    private static readonly Func<Jid, char[]?> Password = _ => "our shared secret".ToCharArray();

    [Test]
    public async Task A_reopen_identity_the_responder_does_not_know_gets_a_full_handshake()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        // Romeo's secret replaced by one with the same basis but an identity and key Juliet never agreed to.
        IReopenSecretStore store = pair.RomeoXtls.ReopenStore;
        using ReopenSecret real = store.Take(pair.Romeo.Jid, pair.Juliet.Jid, DateTimeOffset.UtcNow)!;
        store.Add(
            new ReopenSecret(real.Local, real.Peer, real.Method, new TlsReopenKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(32)), real.Created, real.Expires, real.PeerFingerprint, real.LocalFingerprint, real.PasswordBinding, real.Trust),
            DateTimeOffset.UtcNow);
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(again.Reopened, Is.False);
            Assert.That(XtlsElements.ReadReopen(ClientHello.Starts(pair.Routed)[1]), Is.Not.Null);
            Assert.That(XtlsElements.ReadReopen(ClientHello.Proceeds(pair.Routed)[1]), Is.Null);
            Assert.That(ClientHello.Starts(pair.Routed), Has.Count.EqualTo(2), "no retry");
        });
    }

    [TestCase(XtlsMethod.X509, 2)]
    [TestCase(XtlsMethod.Srp, 3)]
    public async Task A_forged_acceptance_ends_in_a_full_handshake_without_an_error(XtlsMethod method, int starts)
    {
        ServerInTheMiddle? server = null;
        await using XtlsPair pair = await XtlsPair.StartAsync(
            o => o.SrpPassword = Password,
            o =>
            {
                o.SrpPassword = Password;
                o.ReopenTunnels = false; // Juliet never keeps a secret
            },
            configureRouter: r => server = new ServerInTheMiddle(r));
        var failures = Failures(pair.RomeoXtls);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, method).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        // The server echoes Romeo's identity in Juliet's proceed, as if she held the secret.
        Task<XElement> forged = server!.Once(
            e => e.From == pair.Juliet.Jid && e.Stanza.Element(XtlsElements.ProceedName) is not null,
            iq =>
            {
                var copy = new XElement(iq);
                copy.Element(XtlsElements.ProceedName)!.Add(XtlsElements.Reopen(XtlsElements.ReadReopen(ClientHello.Starts(pair.Routed)[^1])!));
                return [copy];
            });
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, method).WaitAsync(XtlsPair.Bound);
        await forged.WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(again.Reopened, Is.False);
            Assert.That(again.ProtocolVersion, Is.EqualTo(method == XtlsMethod.Srp ? "TLSv1.2" : "TLSv1.3"));
            Assert.That(ClientHello.Starts(pair.Routed), Has.Count.EqualTo(starts), method == XtlsMethod.Srp ? "an SRP re-open cannot fall back in the exchange: one retry" : "x509 falls back in the same exchange");
            Assert.That(failures, Is.Empty, "the application saw no error");
        });
    }

    [Test]
    public async Task A_stripped_acceptance_of_an_srp_reopen_costs_one_retry_and_no_error()
    {
        ServerInTheMiddle? server = null;
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.SrpPassword = Password, o => o.SrpPassword = Password, configureRouter: r => server = new ServerInTheMiddle(r));
        var failures = Failures(pair.RomeoXtls);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, XtlsMethod.Srp).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        Task<XElement> stripped = server!.Once(
            e => e.From == pair.Juliet.Jid && e.Stanza.Element(XtlsElements.ProceedName) is not null,
            iq =>
            {
                var copy = new XElement(iq);
                copy.Element(XtlsElements.ProceedName)!.Element(XtlsElements.ReopenName)?.Remove();
                return [copy];
            });
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, XtlsMethod.Srp).WaitAsync(XtlsPair.Bound);
        XElement original = await stripped.WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(XtlsElements.ReadReopen(original.Element(XtlsElements.ProceedName)!), Is.Not.Null, "Juliet had accepted");
            Assert.That(again.Reopened, Is.False);
            Assert.That(ClientHello.Starts(pair.Routed), Has.Count.EqualTo(3), "the re-open, then one full SRP handshake");
            Assert.That(failures, Is.Empty);
        });
    }

    [Test]
    public async Task A_malformed_reopen_offer_is_ignored_and_the_tunnel_opens_in_full()
    {
        ServerInTheMiddle? server = null;
        await using XtlsPair pair = await XtlsPair.StartAsync(configureRouter: r => server = new ServerInTheMiddle(r));
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        Task<XElement> spoiled = server!.Once(
            e => e.From == pair.Romeo.Jid && e.Stanza.Element(XtlsElements.StartName) is not null,
            iq =>
            {
                var copy = new XElement(iq);
                copy.Element(XtlsElements.StartName)!.Element(XtlsElements.ReopenName)!.SetAttributeValue("psk-id", "not base64 at all!");
                return [copy];
            });
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await spoiled.WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(again.Reopened, Is.False);
            Assert.That(XtlsElements.ReadReopen(ClientHello.Proceeds(pair.Routed)[1]), Is.Null);
            Assert.That(pair.JulietXtls.GetTunnel(pair.Romeo.Jid), Is.Not.Null);
        });
    }

    [Test]
    public async Task A_replayed_reopen_offer_finds_no_secret()
    {
        ServerInTheMiddle? server = null;
        await using XtlsPair pair = await XtlsPair.StartAsync(configureRouter: r => server = new ServerInTheMiddle(r));
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        XtlsTunnel reopened = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        byte[] used = XtlsElements.ReadReopen(ClientHello.Starts(pair.Routed)[1])!;

        // The next start names the identity that was used already.
        Task<XElement> replayed = server!.Once(
            e => e.From == pair.Romeo.Jid && e.Stanza.Element(XtlsElements.StartName) is not null,
            iq =>
            {
                var copy = new XElement(iq);
                copy.Element(XtlsElements.StartName)!.Element(XtlsElements.ReopenName)!.SetAttributeValue("psk-id", Convert.ToBase64String(used));
                return [copy];
            });
        XtlsTunnel third = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await replayed.WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(reopened.Reopened, Is.True);
            Assert.That(third.Reopened, Is.False, "the used secret is gone on both sides");
            Assert.That(XtlsElements.ReadReopen(ClientHello.Proceeds(pair.Routed)[2]), Is.Null);
        });
    }

    [Test]
    public async Task A_replayed_client_hello_with_an_old_key_never_opens_a_tunnel_with_the_old_keys()
    {
        ServerInTheMiddle? server = null;
        await using XtlsPair pair = await XtlsPair.StartAsync(configureRouter: r => server = new ServerInTheMiddle(r));
        Channel<XElement> julietMessages = Watch.Messages(pair.Juliet);
        var julietOpened = new List<XtlsTunnel>();
        pair.JulietXtls.TunnelOpened += (_, e) => julietOpened.Add(e.Tunnel);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "under the old keys")).WaitAsync(XtlsPair.Bound);
        await XtlsPair.NextMessageAsync(julietMessages);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        // The ClientHello of the re-open (with its PSK binder) and everything Romeo sent after it, replayed in
        // place of the next tunnel's first chunk.
        XElement[] old = [.. server!.DataSent.Where(d => d.From == pair.Romeo.Jid).Select(d => d.Iq)];
        int firstOfReopen = Array.FindIndex(old, 1, d => XtlsElements.ReadMethod(d.Element(XtlsElements.DataName)!) is not null);
        byte[] replay = [.. old.Skip(firstOfReopen).TakeWhile((_, i) => i == 0 || XtlsElements.ReadMethod(old[firstOfReopen + i].Element(XtlsElements.DataName)!) is null).SelectMany(DataIq.Payload)];
        Task<XElement> replaced = server.Once(
            e => e.From == pair.Romeo.Jid && DataIq.IsData(e.Stanza) && XtlsElements.ReadMethod(e.Stanza.Element(XtlsElements.DataName)!) is not null,
            iq => [DataIq.WithPayload(iq, replay)]);
        int openedBefore = julietOpened.Count;
        XtlsTunnel third = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await replaced.WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(third.Reopened, Is.False, "the replay failed; the retry was a full handshake");
            Assert.That(julietOpened.Skip(openedBefore).Select(t => t.Reopened).ToList(), Is.EqualTo(OnlyAFullHandshake), "Juliet opened only the fresh tunnel");
            Assert.That(julietMessages.Reader.TryRead(out _), Is.False, "nothing from the replay was delivered");
        });
    }

    private static List<XtlsTunnelClosedEventArgs> Failures(XtlsService service)
    {
        var failures = new List<XtlsTunnelClosedEventArgs>();
        service.TunnelClosed += (_, e) =>
        {
            if (e.Reason is not (TunnelCloseReason.ClosedLocally or TunnelCloseReason.ClosedByPeer))
            {
                lock (failures)
                {
                    failures.Add(e);
                }
            }
        };
        return failures;
    }
}
