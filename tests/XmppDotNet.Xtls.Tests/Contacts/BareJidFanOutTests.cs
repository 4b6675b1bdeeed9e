using System.Xml.Linq;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Contacts;

public class BareJidFanOutTests
{
    [Test]
    public async Task A_message_to_the_bare_jid_reaches_each_resource_through_its_own_tunnel()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Required);
        XmppClient balcony = await net.JulietAsync("balcony");
        XmppClient tomb = await net.JulietAsync("tomb");

        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "to all of you")).WaitAsync(XtlsPair.Bound);
        XElement atBalcony = await net.NextMessageAsync(balcony);
        XElement atTomb = await net.NextMessageAsync(tomb);

        Assert.That(atBalcony.Value, Is.EqualTo("to all of you"));
        Assert.That(atTomb.Value, Is.EqualTo("to all of you"));
        Assert.That(atBalcony.IsFromXtlsTunnel(out XtlsTunnel? balconyTunnel), Is.True);
        Assert.That(atTomb.IsFromXtlsTunnel(), Is.True);
        Assert.That(Stanza.GetTo(atBalcony), Is.EqualTo(balcony.Jid), "each copy is addressed to the resource's full JID");
        Assert.That(Stanza.GetTo(atTomb), Is.EqualTo(tomb.Jid));
        Assert.That(balconyTunnel!.Peer, Is.EqualTo(net.Romeo.Jid));
        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare).Select(t => t.Peer), Is.EqualTo(new[] { balcony.Jid, tomb.Jid }));
        Assert.That(net.RoutedMessages, Is.Empty, "no message stanza crossed the server");
        Assert.That(net.SawInTheClear("to all of you"), Is.False);
    }

    [Test]
    public async Task The_tunnels_of_a_contact_list_method_fingerprint_and_opening_time()
    {
        await using ContactNet net = await ContactNet.StartAsync();
        XmppClient balcony = await net.JulietAsync("balcony");
        DateTimeOffset before = DateTimeOffset.UtcNow;

        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "hello")).WaitAsync(XtlsPair.Bound);

        XtlsTunnel tunnel = net.RomeoContacts.GetTunnels(Jid.Parse("juliet@capulet.lit/anything")).Single();
        Assert.That(tunnel.Peer, Is.EqualTo(balcony.Jid));
        Assert.That(tunnel.Method, Is.EqualTo(XtlsMethod.X509));
        Assert.That(tunnel.PeerFingerprint, Is.EqualTo(balcony.GetXtls().Identity.Fingerprint));
        Assert.That(tunnel.Opened, Is.InRange(before, DateTimeOffset.UtcNow));
    }

    [Test]
    public async Task After_one_resource_logs_out_and_another_logs_in_later_messages_reach_the_new_one_through_a_new_tunnel()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Required);
        XmppClient balcony = await net.JulietAsync("balcony");
        XmppClient tomb = await net.JulietAsync("tomb");
        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "first")).WaitAsync(XtlsPair.Bound);
        await net.NextMessageAsync(balcony);
        await net.NextMessageAsync(tomb);

        Task balconyGone = ContactNet.UntilAsync(net.Romeo, book => book.Find(balcony.Jid) is null);
        await balcony.DisposeAsync();
        await balconyGone.WaitAsync(XtlsPair.Bound);
        XmppClient garden = await net.JulietAsync("garden");
        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "second")).WaitAsync(XtlsPair.Bound);

        XElement atGarden = await net.NextMessageAsync(garden);
        XElement atTomb = await net.NextMessageAsync(tomb);
        Assert.That(atGarden.Value, Is.EqualTo("second"));
        Assert.That(atGarden.IsFromXtlsTunnel(), Is.True);
        Assert.That(atTomb.Value, Is.EqualTo("second"));
        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare).Select(t => t.Peer), Is.EquivalentTo(new[] { garden.Jid, tomb.Jid }));
        Assert.That(net.RoutedMessages, Is.Empty);
    }

    [Test]
    public async Task The_same_resource_logging_in_again_after_a_cut_gets_a_fresh_tunnel_and_nothing_goes_in_the_clear()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Required);
        XmppClient balcony = await net.JulietAsync("balcony");
        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "before the cut")).WaitAsync(XtlsPair.Bound);
        await net.NextMessageAsync(balcony);
        XtlsTunnel stale = net.RomeoContacts.GetTunnels(ContactNet.JulietBare).Single();

        Task gone = ContactNet.UntilAsync(net.Romeo, book => book.Find(balcony.Jid) is null);
        Assert.That(net.Router.Disconnect(balcony.Jid), Is.True);
        await gone.WaitAsync(XtlsPair.Bound);
        XmppClient again = await net.JulietAsync("balcony");
        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "after the cut")).WaitAsync(XtlsPair.Bound);

        XElement received = await net.NextMessageAsync(again);
        Assert.That(received.Value, Is.EqualTo("after the cut"));
        Assert.That(received.IsFromXtlsTunnel(out XtlsTunnel? fresh), Is.True);
        Assert.That(fresh!.LocalFingerprint, Is.EqualTo(again.GetXtls().Identity.Fingerprint));
        Assert.That(again.GetXtls().Identity.Fingerprint, Is.Not.EqualTo(balcony.GetXtls().Identity.Fingerprint), "a new process, a new key");
        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare).Single(), Is.Not.EqualTo(stale));
        Assert.That(net.RoutedMessages, Is.Empty);
    }

    [Test]
    public async Task A_stale_tunnel_whose_unavailable_was_never_seen_is_replaced_and_the_copy_sent_again()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Required);
        XmppClient balcony = await LoginWithDirectedPresenceAsync(net, "balcony");
        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "before the cut")).WaitAsync(XtlsPair.Bound);
        await net.NextMessageAsync(balcony);
        XtlsTunnel stale = net.RomeoContacts.GetTunnels(ContactNet.JulietBare).Single();

        // Presence was directed only, so the server tells nobody that the session ended.
        Assert.That(net.Router.Disconnect(balcony.Jid), Is.True);
        using (var bound = new CancellationTokenSource(XtlsPair.Bound))
        {
            while (net.Router.OnlineSessions.Contains(balcony.Jid))
            {
                await Task.Delay(10, bound.Token);
            }
        }

        XmppClient again = await LoginWithDirectedPresenceAsync(net, "balcony");
        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare).Single(), Is.EqualTo(stale), "Romeo cannot know yet");
        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "after the cut")).WaitAsync(XtlsPair.Bound);
        XElement received = await net.NextMessageAsync(again);

        Assert.That(received.Value, Is.EqualTo("after the cut"));
        Assert.That(received.IsFromXtlsTunnel(), Is.True);
        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare).Single().PeerFingerprint, Is.EqualTo(again.GetXtls().Identity.Fingerprint));
        Assert.That(net.RoutedMessages, Is.Empty);
    }

    [Test]
    public async Task Required_with_no_xtls_resource_fails_with_the_reason_and_sends_no_message()
    {
        await using ContactNet net = await ContactNet.StartAsync();
        net.RomeoContacts.RequireEncryption(ContactNet.JulietBare);
        XmppClient plain = await net.JulietAsync("kitchen", xtls: false);

        XtlsContactSendException? error = await Assert.ThrowsAsync<XtlsContactSendException>(
            async () => await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "never in the clear")).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Contact, Is.EqualTo(ContactNet.JulietBare));
        Assert.That(error.Delivered, Is.Empty);
        Assert.That(error.Failures.Select(f => (f.Resource, f.Reason)), Is.EqualTo(new[] { (plain.Jid, ContactSendFailureReason.NotSupported) }));
        Assert.That(net.RoutedMessages, Is.Empty);
    }

    [Test]
    public async Task Required_with_no_resource_online_fails_and_sends_no_message()
    {
        await using ContactNet net = await ContactNet.StartAsync();
        net.RomeoContacts.RequireEncryption(ContactNet.JulietBare);

        XtlsContactSendException? error = await Assert.ThrowsAsync<XtlsContactSendException>(
            async () => await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "are you there?")).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Failures.Single().Reason, Is.EqualTo(ContactSendFailureReason.NoResourceOnline));
        Assert.That(net.RoutedMessages, Is.Empty);
    }

    [Test]
    public async Task Opportunistic_sends_a_clear_copy_only_to_the_resource_without_xtls()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Opportunistic);
        XmppClient balcony = await net.JulietAsync("balcony");
        XmppClient plain = await net.JulietAsync("kitchen", xtls: false);

        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "mixed company")).WaitAsync(XtlsPair.Bound);
        XElement atBalcony = await net.NextMessageAsync(balcony);
        XElement atKitchen = await net.NextMessageAsync(plain);

        Assert.That(atBalcony.IsFromXtlsTunnel(), Is.True);
        Assert.That(atKitchen.Value, Is.EqualTo("mixed company"));
        Assert.That(net.RoutedMessages.Select(m => Stanza.GetTo(m)), Is.EqualTo(new[] { plain.Jid }), "one clear copy, to the resource without XTLS");
    }

    [Test]
    public async Task Opportunistic_with_no_resource_online_sends_to_the_bare_jid_in_the_clear()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Opportunistic);

        // The in-memory router keeps no offline storage and bounces it: the clear send itself is what is checked.
        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "for later")).WaitAsync(XtlsPair.Bound);

        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare), Is.Empty);
        XElement bounce = await net.NextMessageAsync(net.Romeo);
        Assert.That(Stanza.GetType(bounce), Is.EqualTo("error"));
    }

    [Test]
    public async Task Off_leaves_a_bare_jid_message_to_the_server()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Off);
        XmppClient balcony = await net.JulietAsync("balcony");

        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "plain as before")).WaitAsync(XtlsPair.Bound);
        XElement received = await net.NextMessageAsync(balcony);

        Assert.That(received.IsFromXtlsTunnel(), Is.False);
        Assert.That(net.RoutedMessages.Select(m => Stanza.GetTo(m)), Is.EqualTo(new[] { ContactNet.JulietBare }));
    }

    [Test]
    public async Task A_resource_that_never_answers_disco_info_is_reported_unknown_after_the_timeout_and_gets_nothing_in_the_clear()
    {
        await using ContactNet net = await ContactNet.StartAsync(o =>
        {
            o.DefaultContactPolicy = ContactPolicy.Opportunistic;
            o.SupportQueryTimeout = TimeSpan.FromMilliseconds(300);
        });
        XmppClient balcony = await net.JulietAsync("balcony");

        // Caps it cannot be held to (md5), and disco#info requests to it are lost on the way.
        XmppClient silent = await net.ConnectAsync("juliet", "j-pass", "silent", xtls: null, sendPresence: false);
        net.Router.Interceptor = e => e.To == silent.Jid && e.Stanza.Descendants(XName.Get("query", "http://jabber.org/protocol/disco#info")).Any()
            ? []
            : [e.Stanza];
        Task seen = ContactNet.UntilAsync(net.Romeo, book => book.Find(silent.Jid) is not null);
        await silent.SendAsync(new XElement(XName.Get("presence", "jabber:client"), new XElement(XName.Get("c", "http://jabber.org/protocol/caps"), new XAttribute("hash", "md5"), new XAttribute("node", "n"), new XAttribute("ver", "v")))).WaitAsync(XtlsPair.Bound);
        await seen.WaitAsync(XtlsPair.Bound);

        XtlsContactSendException? error = await Assert.ThrowsAsync<XtlsContactSendException>(
            async () => await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "are you listening?")).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Delivered, Is.EqualTo(new[] { new ContactDelivery(balcony.Jid, true) }));
        ContactCopyFailure failure = error.Failures.Single();
        Assert.That((failure.Resource, failure.Reason), Is.EqualTo((silent.Jid, ContactSendFailureReason.SupportUnknown)));
        Assert.That(failure.Detail, Does.Contain("no disco#info answer"));
        Assert.That(net.SawInTheClear("are you listening?"), Is.False);
    }

    [Test]
    public async Task Messages_to_a_contact_whose_device_does_not_answer_wait_in_a_bounded_queue()
    {
        await using ContactNet net = await ContactNet.StartAsync(o =>
        {
            o.DefaultContactPolicy = ContactPolicy.Required;
            o.SupportQueryTimeout = TimeSpan.FromSeconds(20);
            o.MaxQueuedStanzasPerTunnel = 2;
        });

        // A device whose disco#info requests are lost: the first message waits for its answer.
        XmppClient silent = await net.ConnectAsync("juliet", "j-pass", "silent", xtls: null, sendPresence: false);
        net.Router.Interceptor = e => e.To == silent.Jid && e.Stanza.Descendants(XName.Get("query", "http://jabber.org/protocol/disco#info")).Any()
            ? []
            : [e.Stanza];
        Task seen = ContactNet.UntilAsync(net.Romeo, book => book.Find(silent.Jid) is not null);
        await silent.SendAsync(new XElement(XName.Get("presence", "jabber:client"))).WaitAsync(XtlsPair.Bound);
        await seen.WaitAsync(XtlsPair.Bound);

        Task first = net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "one"));
        Task second = net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "two"));
        TunnelBackpressureException? refused = await Assert.ThrowsAsync<TunnelBackpressureException>(
            async () => await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "three")).WaitAsync(XtlsPair.Bound));

        Assert.That(refused!.Message, Does.Contain("wait to be fanned out"));
        Assert.That(first.IsCompleted || second.IsCompleted, Is.False, "the two before it still wait for the device's answer");
        Assert.That(net.SawInTheClear("three"), Is.False);
    }

    [Test]
    public async Task A_resource_announcing_xtls_that_refuses_the_start_fails_alone_and_the_others_get_their_copy()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Required);
        XmppClient balcony = await net.JulietAsync("balcony");

        // Announces the feature but has no XTLS: its host answers start with service-unavailable.
        XmppClient liar = await net.ConnectAsync("juliet", "j-pass", "liar", xtls: null, configure: b => b.WithSessionInitializer(s => s.Features.Add("urn:xmpp:tmp:xtls")));

        XtlsContactSendException? error = await Assert.ThrowsAsync<XtlsContactSendException>(
            async () => await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "only for the honest")).WaitAsync(XtlsPair.Bound));
        XElement atBalcony = await net.NextMessageAsync(balcony);

        Assert.That(atBalcony.IsFromXtlsTunnel(), Is.True);
        Assert.That(error!.Delivered, Is.EqualTo(new[] { new ContactDelivery(balcony.Jid, true) }));
        ContactCopyFailure failure = error.Failures.Single();
        Assert.That(failure.Resource, Is.EqualTo(liar.Jid));
        Assert.That(failure.Reason, Is.EqualTo(ContactSendFailureReason.TunnelFailed));
        Assert.That(((XtlsTunnelException)failure.Cause!).Reason, Is.EqualTo(TunnelCloseReason.NotSupported));
        Assert.That(net.SawInTheClear("only for the honest"), Is.False);
    }

    [Test]
    public async Task A_resource_whose_caps_hash_is_wrong_is_asked_by_disco_and_still_gets_its_copy_through_a_tunnel()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Required);
        XmppClient balcony = await net.ConnectAsync("juliet", "j-pass", "balcony", xtls: _ => { }, sendPresence: false);
        Task seen = ContactNet.UntilAsync(net.Romeo, book => book.Find(balcony.Jid) is not null);
        await balcony.SendAsync(new XElement(
            XName.Get("presence", "jabber:client"),
            new XElement(
                XName.Get("c", "http://jabber.org/protocol/caps"),
                new XAttribute("hash", "sha-1"),
                new XAttribute("node", "https://example.org/liar"),
                new XAttribute("ver", "QgayPKawpkPSDYmwT/WM94uAlu0=")))).WaitAsync(XtlsPair.Bound);
        await seen.WaitAsync(XtlsPair.Bound);

        await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "despite the caps")).WaitAsync(XtlsPair.Bound);
        XElement received = await net.NextMessageAsync(balcony);

        Assert.That(received.IsFromXtlsTunnel(), Is.True);
        Assert.That(net.Romeo.GetEntityCapabilities().TryGetKnownFeatures(balcony.Jid, out IReadOnlySet<string>? features), Is.True);
        Assert.That(features, Does.Contain("urn:xmpp:tmp:xtls"), "learnt from the resource's own disco#info");
        Assert.That(net.RoutedMessages, Is.Empty);
    }

    // With the real device's caps copied, the ghost looks like XTLS: its start is refused (offline).
    // Without caps, its disco#info is refused: whether it supports XTLS stays unknown.
    [TestCase(true, ContactSendFailureReason.TunnelFailed)]
    [TestCase(false, ContactSendFailureReason.SupportUnknown)]
    public async Task Presence_of_a_resource_that_never_existed_fails_that_copy_and_not_the_others(bool withCaps, ContactSendFailureReason expected)
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Opportunistic);
        XmppClient balcony = await net.JulietAsync("balcony");
        Jid ghost = Jid.Parse("juliet@capulet.lit/ghost");

        // A server forges the presence of a resource that is not online.
        net.Router.Interceptor = e => e.Stanza.Name.LocalName == "presence" && e.From == balcony.Jid
            ? [Forged(e.Stanza, ghost, withCaps)]
            : [e.Stanza];
        Task ghostSeen = ContactNet.UntilAsync(net.Romeo, book => book.Find(ghost) is not null);
        await balcony.SendAsync(new XElement(XName.Get("presence", "jabber:client"), new XAttribute("to", net.Romeo.Jid.ToString()))).WaitAsync(XtlsPair.Bound);
        await ghostSeen.WaitAsync(XtlsPair.Bound);
        net.Router.Interceptor = null;

        XtlsContactSendException? error = await Assert.ThrowsAsync<XtlsContactSendException>(
            async () => await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "to the living")).WaitAsync(XtlsPair.Bound));
        XElement atBalcony = await net.NextMessageAsync(balcony);

        Assert.That(atBalcony.IsFromXtlsTunnel(), Is.True);
        Assert.That(error!.Delivered.Select(d => d.Resource), Is.EqualTo(new[] { balcony.Jid }));
        Assert.That(error.Failures.Select(f => (f.Resource, f.Reason)), Is.EqualTo(new[] { (ghost, expected) }));
        Assert.That(net.SawInTheClear("to the living"), Is.False);
    }

    [Test]
    public async Task Beyond_the_per_contact_limit_no_tunnel_is_opened_and_the_rest_is_reported()
    {
        await using ContactNet net = await ContactNet.StartAsync(o =>
        {
            o.DefaultContactPolicy = ContactPolicy.Required;
            o.Tunnels.MaxTunnelsPerBareJid = 2;
        });
        XmppClient[] devices = [await net.JulietAsync("a"), await net.JulietAsync("b"), await net.JulietAsync("c")];

        XtlsContactSendException? error = await Assert.ThrowsAsync<XtlsContactSendException>(
            async () => await net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "two of three")).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Delivered, Has.Count.EqualTo(2));
        Assert.That(error.Failures.Single().Reason, Is.EqualTo(ContactSendFailureReason.LimitExceeded));
        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare), Has.Count.EqualTo(2));
        Assert.That(devices.Select(d => d.Jid), Is.EquivalentTo(error.Delivered.Select(d => d.Resource).Append(error.Failures[0].Resource)));
        Assert.That(net.RoutedMessages, Is.Empty);
    }

    [Test]
    public async Task Messages_to_one_contact_keep_their_order_across_the_opens()
    {
        await using ContactNet net = await ContactNet.StartAsync();
        XmppClient balcony = await net.JulietAsync("balcony");

        Task[] sends = [.. Enumerable.Range(0, 5).Select(i => net.Romeo.SendAsync(XtlsPair.Chat(ContactNet.JulietBare, "line " + i.ToString(System.Globalization.CultureInfo.InvariantCulture))))];
        await Task.WhenAll(sends).WaitAsync(XtlsPair.Bound);

        for (int i = 0; i < 5; i++)
        {
            Assert.That((await net.NextMessageAsync(balcony)).Value, Is.EqualTo("line " + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public async Task Iq_requests_and_presence_to_a_bare_jid_pass_unchanged_to_the_server()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Required);
        await net.JulietAsync("balcony");

        // RFC 6121 §8.5.3.1: the server answers for the account; the in-memory router has nothing to say.
        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await net.Romeo.SendIqAsync(Stanza.Iq("get", net.Romeo.NextId(), ContactNet.JulietBare, new XElement(XName.Get("vCard", "vcard-temp")))).WaitAsync(XtlsPair.Bound));
        await net.Romeo.SendAsync(new XElement(XName.Get("presence", "jabber:client"), new XAttribute("to", ContactNet.JulietBare.ToString()), new XAttribute("type", "subscribe"))).WaitAsync(XtlsPair.Bound);

        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
        Assert.That(net.RomeoContacts.GetTunnels(ContactNet.JulietBare), Is.Empty);
    }

    private static XElement Forged(XElement presence, Jid from, bool withCaps)
    {
        var copy = new XElement(presence);
        copy.SetAttributeValue("from", from.ToString());
        if (!withCaps)
        {
            copy.Elements(XName.Get("c", "http://jabber.org/protocol/caps")).Remove();
        }

        return copy;
    }

    private static async Task<XmppClient> LoginWithDirectedPresenceAsync(ContactNet net, string resource)
    {
        XmppClient device = await net.ConnectAsync("juliet", "j-pass", resource, xtls: _ => { }, sendPresence: false);
        Task seen = ContactNet.UntilAsync(net.Romeo, book => book.Find(device.Jid) is not null);
        await device.SendAsync(new XElement(XName.Get("presence", "jabber:client"), new XAttribute("to", net.Romeo.Jid.ToString()))).WaitAsync(XtlsPair.Bound);
        await seen.WaitAsync(XtlsPair.Bound);
        return device;
    }
}
