using System.Xml.Linq;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Contacts;

public class FullJidPolicyTests
{
    [Test]
    public void The_session_default_is_opportunistic()
    {
        Assert.That(new XtlsOptions().DefaultContactPolicy, Is.EqualTo(ContactPolicy.Opportunistic));
    }

    [Test]
    public async Task Required_to_a_full_jid_without_xtls_fails_and_sends_nothing_in_the_clear()
    {
        await using ContactNet net = await ContactNet.StartAsync();
        XmppClient plain = await net.JulietAsync("kitchen", xtls: false);
        net.RomeoContacts.RequireEncryption(plain.Jid);

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(
            async () => await net.Romeo.SendAsync(XtlsPair.Chat(plain.Jid, "never in the clear")).WaitAsync(XtlsPair.Bound));
        XtlsTunnelException? again = await Assert.ThrowsAsync<XtlsTunnelException>(
            async () => await net.Romeo.SendAsync(XtlsPair.Chat(plain.Jid, "nor now")).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.NotSupported));
        Assert.That(again!.Reason, Is.EqualTo(TunnelCloseReason.NotSupported), "the remembered answer fails at once");
        Assert.That(net.RoutedMessages, Is.Empty);
    }

    [Test]
    public async Task Opportunistic_to_a_full_jid_known_without_xtls_goes_in_the_clear_and_to_one_with_xtls_through_a_tunnel()
    {
        await using ContactNet net = await ContactNet.StartAsync();
        XmppClient plain = await net.JulietAsync("kitchen", xtls: false);
        XmppClient balcony = await net.JulietAsync("balcony");

        await net.Romeo.SendAsync(XtlsPair.Chat(plain.Jid, "plain words")).WaitAsync(XtlsPair.Bound);
        await net.Romeo.SendAsync(XtlsPair.Chat(balcony.Jid, "sealed words")).WaitAsync(XtlsPair.Bound);

        Assert.That((await net.NextMessageAsync(plain)).IsFromXtlsTunnel(), Is.False);
        Assert.That((await net.NextMessageAsync(balcony)).IsFromXtlsTunnel(), Is.True);
        Assert.That(net.SawInTheClear("sealed words"), Is.False);
    }

    [Test]
    public async Task Our_own_other_resources_and_the_server_are_not_governed_by_the_policy()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Required);
        XmppClient phone = await net.ConnectAsync("romeo", "r-pass", "phone", xtls: _ => { });

        await net.Romeo.SendAsync(XtlsPair.Chat(phone.Jid, "note to self")).WaitAsync(XtlsPair.Bound);
        XElement received = await net.NextMessageAsync(phone);
        XElement pong = await net.Romeo.SendIqAsync(Stanza.Iq("get", net.Romeo.NextId(), new Jid(null, "capulet.lit"), new XElement(XName.Get("ping", "urn:xmpp:ping")))).WaitAsync(XtlsPair.Bound);

        Assert.That(received.IsFromXtlsTunnel(), Is.False);
        Assert.That(Stanza.GetType(pong), Is.EqualTo("result"));
        Assert.That(net.RomeoContacts.GetPolicy(phone.Jid), Is.EqualTo(ContactPolicy.Off));
        Assert.That(net.RomeoContacts.GetPolicy(Jid.Parse("capulet.lit")), Is.EqualTo(ContactPolicy.Off));
        Assert.That(net.RomeoContacts.GetPolicy(ContactNet.JulietBare), Is.EqualTo(ContactPolicy.Required));
        Assert.Throws<ArgumentException>(() => net.RomeoContacts.SetPolicy(Jid.Parse("capulet.lit"), ContactPolicy.Required));
        Assert.Throws<ArgumentException>(() => net.RomeoContacts.SetPolicy(phone.Jid, ContactPolicy.Required));
    }

    [Test]
    public async Task A_per_contact_policy_overrides_the_default_and_clearing_it_restores_the_default()
    {
        await using ContactNet net = await ContactNet.StartAsync(o => o.MaxContactPolicies = 1);

        net.RomeoContacts.SetPolicy(Jid.Parse("juliet@capulet.lit/balcony"), ContactPolicy.Off);
        Assert.That(net.RomeoContacts.GetPolicy(ContactNet.JulietBare), Is.EqualTo(ContactPolicy.Off));
        Assert.Throws<ContactPolicyLimitException>(() => net.RomeoContacts.RequireEncryption(Jid.Parse("nurse@capulet.lit")));
        Assert.That(net.RomeoContacts.ClearPolicy(ContactNet.JulietBare), Is.True);
        Assert.That(net.RomeoContacts.GetPolicy(ContactNet.JulietBare), Is.EqualTo(ContactPolicy.Opportunistic));
    }
}
