using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tests.Pipeline;

namespace XmppDotNet.Xtls.Tests.Contacts;

public class PresenceDrivenTunnelTests
{
    [Test]
    public async Task A_contact_coming_online_with_xtls_gets_a_tunnel_at_once_and_again_after_each_new_login()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.OpenOnPresence = true);
        var opened = new BlockingCollection<XtlsTunnel>();
        net.Romeo.GetXtls().TunnelOpened += (_, e) => opened.Add(e.Tunnel);

        XmppClient balcony = await net.JulietAsync("balcony");
        XtlsTunnel first = await TakeAsync(opened);
        Assert.That(first.Peer, Is.EqualTo(balcony.Jid));
        Assert.That(first.Initiator, Is.True);

        Task gone = ContactNet.UntilAsync(net.Romeo, book => book.Find(balcony.Jid) is null);
        await balcony.DisposeAsync();
        await gone.WaitAsync(XtlsPair.Bound);
        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare), Is.Empty, "unavailable ended the tunnel");

        XmppClient again = await net.JulietAsync("balcony");
        XtlsTunnel second = await TakeAsync(opened);
        Assert.That(second.Peer, Is.EqualTo(again.Jid));
        Assert.That(second.PeerFingerprint, Is.EqualTo(again.GetXtls().Identity.Fingerprint));
        Assert.That(net.RoutedMessages, Is.Empty);
    }

    [Test]
    public async Task Presence_opens_no_more_tunnels_to_a_contact_than_its_limit()
    {
        await using ContactNet net = await ContactNet.StartAsync(o =>
        {
            o.OpenOnPresence = true;
            o.Tunnels.MaxTunnelsPerBareJid = 2;
        });

        XmppClient[] devices = [await net.JulietAsync("a"), await net.JulietAsync("b"), await net.JulietAsync("c")];
        PresenceOpener opener = net.RomeoContacts.PresenceOpener!;
        using var bound = new CancellationTokenSource(XtlsPair.Bound);
        while (opener.Pending > 0 || net.RomeoContacts.GetTunnels(ContactNet.JulietBare).Count < 2)
        {
            await Task.Delay(20, bound.Token);
        }

        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare), Has.Count.EqualTo(2));
        Assert.That(devices.Count(d => d.GetXtls().OpenTunnels.Count == 1), Is.EqualTo(2));
    }

    [Test]
    public async Task Without_the_option_presence_opens_nothing()
    {
        await using ContactNet net = await ContactNet.StartAsync();
        XmppClient balcony = await net.JulietAsync("balcony");

        // A round trip through both sessions: had Romeo opened on presence, the start would have preceded it.
        await net.Romeo.GetXtls().IsSupportedAsync(balcony.Jid).WaitAsync(XtlsPair.Bound);

        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare), Is.Empty);
        Assert.That(net.Routed.Any(s => s.Descendants(XName.Get("start", XtlsNamespaces.Xtls)).Any()), Is.False);
    }

    [Test]
    public async Task A_contact_whose_policy_is_off_gets_no_tunnel_on_presence()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.OpenOnPresence = true);
        net.RomeoContacts.SetPolicy(ContactNet.JulietBare, ContactPolicy.Off);
        XmppClient balcony = await net.JulietAsync("balcony");

        await net.Romeo.GetXtls().IsSupportedAsync(balcony.Jid).WaitAsync(XtlsPair.Bound);

        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare), Is.Empty);
    }

    [Test]
    public async Task Both_sides_opening_on_the_same_presence_end_with_one_tunnel_and_no_lost_message()
    {
        // Whichever start comes first is held until the other side's start has crossed it, so that both
        // requests are in flight at once: XTLS's simultaneous start, settled by the conflict rule.
        var crossing = new CrossingStarts();
        await using XtlsPair pair = await XtlsPair.StartAsync(
            o => o.OpenOnPresence = true,
            o => o.OpenOnPresence = true,
            configureRouter: r => r.Interceptor = crossing.Intercept);
        var romeoOpened = new ConcurrentQueue<XtlsTunnel>();
        var julietOpened = new ConcurrentQueue<XtlsTunnel>();
        pair.RomeoXtls.TunnelOpened += (_, e) => romeoOpened.Enqueue(e.Tunnel);
        pair.JulietXtls.TunnelOpened += (_, e) => julietOpened.Enqueue(e.Tunnel);
        Task romeoTunnel = pair.Romeo.GetXtlsContacts().WaitForTunnelAsync(pair.Juliet.Jid, XtlsPair.Bound);
        Task julietTunnel = pair.Juliet.GetXtlsContacts().WaitForTunnelAsync(pair.Romeo.Jid, XtlsPair.Bound);

        await Task.WhenAll(Presence(pair.Romeo), Presence(pair.Juliet)).WaitAsync(XtlsPair.Bound);
        await Task.WhenAll(romeoTunnel, julietTunnel);
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid.Bare, "from the orchard")).WaitAsync(XtlsPair.Bound);
        await pair.Juliet.SendAsync(XtlsPair.Chat(pair.Romeo.Jid.Bare, "from the balcony")).WaitAsync(XtlsPair.Bound);
        XElement atJuliet = await XtlsPair.NextMessageAsync(pair.JulietInbox);
        XElement atRomeo = await XtlsPair.NextMessageAsync(pair.RomeoInbox);

        Assert.That(crossing.Starts, Is.EqualTo(2), "both sides sent start");
        Assert.That(crossing.Conflicts, Is.EqualTo(1), "the party whose JID sorts first answered the other's start with conflict");
        Assert.That(pair.RomeoXtls.OpenTunnels, Has.Count.EqualTo(1));
        Assert.That(pair.JulietXtls.OpenTunnels, Has.Count.EqualTo(1));
        Assert.That(romeoOpened, Has.Count.EqualTo(1));
        Assert.That(julietOpened, Has.Count.EqualTo(1));
        Assert.That(julietOpened.Single().Initiator, Is.True, "juliet@… sorts before romeo@…: her request was kept");
        Assert.That(atJuliet.Value, Is.EqualTo("from the orchard"));
        Assert.That(atRomeo.Value, Is.EqualTo("from the balcony"));
        Assert.That(atJuliet.IsFromXtlsTunnel() && atRomeo.IsFromXtlsTunnel(), Is.True);
        Assert.That(pair.Routed.Any(s => s.Contains("from the", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task The_chat_primitives_wait_for_a_tunnel_and_send_to_every_open_one()
    {
        await using ContactNet net = await ContactNet.StartAsync();
        XmppClient balcony = await net.JulietAsync("balcony");
        XmppClient tomb = await net.JulietAsync("tomb");

        XtlsTunnel first = await net.RomeoContacts.WaitForTunnelAsync(ContactNet.JulietBare, XtlsPair.Bound);
        await net.RomeoContacts.OpenTunnelsAsync(ContactNet.JulietBare).WaitAsync(XtlsPair.Bound);
        IReadOnlyList<ContactDelivery> delivered = await net.RomeoContacts.SendToTunnelsAsync(ContactNet.JulietBare, XtlsPair.Chat(ContactNet.JulietBare, "one line")).WaitAsync(XtlsPair.Bound);

        Assert.That(first.Peer.Bare, Is.EqualTo(ContactNet.JulietBare));
        Assert.That(delivered.Select(d => d.Resource), Is.EquivalentTo(new[] { balcony.Jid, tomb.Jid }));
        Assert.That(delivered.All(d => d.ThroughTunnel), Is.True);
        Assert.That((await net.NextMessageAsync(balcony)).IsFromXtlsTunnel(), Is.True);
        Assert.That((await net.NextMessageAsync(tomb)).IsFromXtlsTunnel(), Is.True);
        Assert.That(net.RoutedMessages, Is.Empty);
    }

    [Test]
    public async Task Waiting_for_a_tunnel_to_a_contact_with_nobody_online_times_out_and_sending_to_its_tunnels_fails()
    {
        await using ContactNet net = await ContactNet.StartAsync();

        await Assert.ThrowsAsync<TimeoutException>(async () => await net.RomeoContacts.WaitForTunnelAsync(ContactNet.JulietBare, TimeSpan.FromMilliseconds(200)));
        XtlsContactSendException? error = await Assert.ThrowsAsync<XtlsContactSendException>(async () => await net.RomeoContacts.SendToTunnelsAsync(ContactNet.JulietBare, XtlsPair.Chat(ContactNet.JulietBare, "x")));

        Assert.That(error!.Failures.Single().Reason, Is.EqualTo(ContactSendFailureReason.NoTunnelOpen));
    }

    private static Task Presence(XmppClient client) => client.SendAsync(new XElement(XName.Get("presence", "jabber:client")));

    private static async Task<XtlsTunnel> TakeAsync(BlockingCollection<XtlsTunnel> opened)
    {
        return await Task.Run(() => opened.TryTake(out XtlsTunnel? tunnel, XtlsPair.Bound) ? tunnel : throw new TimeoutException("no tunnel opened"));
    }

    private sealed class CrossingStarts
    {
        private readonly Lock _gate = new();
        private readonly List<Jid> _starters = [];
        private XElement? _held;
        private Jid? _heldFor;

        public int Starts { get; private set; }

        public int Conflicts { get; private set; }

        public IReadOnlyList<XElement> Intercept(RoutedStanzaEventArgs e)
        {
            lock (_gate)
            {
                if (e.Stanza.Descendants(XName.Get("conflict", "urn:ietf:params:xml:ns:xmpp-stanzas")).Any())
                {
                    Conflicts++;
                }

                if (e.Stanza.Element(XName.Get("start", XtlsNamespaces.Xtls)) is not null)
                {
                    Starts++;
                    _starters.Add(e.From);
                    if (_starters.Count == 1)
                    {
                        _held = e.Stanza;
                        _heldFor = e.To;
                        return [];
                    }

                    return [e.Stanza];
                }

                if (_held is { } held && e.To == _heldFor)
                {
                    _held = null;
                    return [held, e.Stanza];
                }

                return [e.Stanza];
            }
        }
    }
}
