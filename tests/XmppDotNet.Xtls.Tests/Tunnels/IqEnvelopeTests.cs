using System.Xml.Linq;
using XmppDotNet.Xtls.Tests.Protocol;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>The IQs a manager sends, as whole elements: jabber:client, this session as sender, the peer as addressee.</summary>
public class IqEnvelopeTests
{
    private static readonly DateTimeOffset Now = Link.T0;

    [Test]
    public void Start_is_an_iq_set_from_this_session_to_the_peer()
    {
        var romeo = new Endpoint(Link.RomeoJid);
        romeo.Manager.Open(new Endpoint(Link.JulietJid).Jid, "x509", null, Now);

        XElement start = romeo.TakeSingleStanza();

        var expected = XElement.Parse(
            $"<iq xmlns='jabber:client' type='set' id='r-1' from='{Link.RomeoJid}' to='{Link.JulietJid}'><start xmlns='urn:xmpp:tmp:xtls'/></iq>");
        Assert.That(XmlEquivalence.AreEquivalent(XElement.Parse(start.ToString()), expected), Is.True, start.ToString());
    }

    [Test]
    public void A_pending_start_refused_later_is_answered_with_its_id_and_both_addresses()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);
        juliet.TakeSingle<IncomingRequest>();

        juliet.Manager.Tick(Now + TimeSpan.FromDays(1));
        XElement answer = juliet.TakeSingleStanza();

        var expected = XElement.Parse(
            $"<iq xmlns='jabber:client' type='error' id='s1' from='{Link.JulietJid}' to='{Link.RomeoJid}'>"
            + "<error type='cancel'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>No decision in time.</text></error></iq>");
        Assert.That(XmlEquivalence.AreEquivalent(XElement.Parse(answer.ToString()), expected), Is.True, answer.ToString());
    }
}
