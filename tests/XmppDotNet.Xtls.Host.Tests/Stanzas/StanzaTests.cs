using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Tests.Stanzas;

public class StanzaTests
{
    private static readonly Jid Juliet = Jid.Parse("juliet@capulet.lit/balcony");
    private static readonly Jid Romeo = Jid.Parse("romeo@montague.lit/orchard");

    private static XElement Ping => new(XName.Get("ping", "urn:xmpp:ping"));

    [Test]
    public void Iq_BuildsAJabberClientIq()
    {
        XElement iq = Stanza.Iq("get", "p1", Romeo, Ping, Juliet);

        XElement expected = XElement.Parse(
            "<iq xmlns='jabber:client' type='get' id='p1' to='romeo@montague.lit/orchard' from='juliet@capulet.lit/balcony'>"
            + "<ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.That(XmlEquivalence.AreEquivalent(iq, expected), Is.True, iq.ToString());
    }

    [Test]
    public void Iq_WithoutAddresses_OmitsThem()
    {
        XElement iq = Stanza.Iq("result", "r1", to: null);

        Assert.That(iq.Attribute("to"), Is.Null);
        Assert.That(iq.Attribute("from"), Is.Null);
        Assert.That(iq.HasElements, Is.False);
    }

    [Test]
    public void Iq_ValidatesTypeIdAndPayload()
    {
        Assert.That(() => Stanza.Iq("query", "1", Romeo, Ping), Throws.ArgumentException);
        Assert.That(() => Stanza.Iq("get", "", Romeo, Ping), Throws.ArgumentException);
        Assert.That(() => Stanza.Iq("get", "1", Romeo), Throws.ArgumentException);
        Assert.That(() => Stanza.Iq("set", "1", Romeo), Throws.ArgumentException);
    }

    [Test]
    public void ResultFor_SwapsAddressesAndKeepsId()
    {
        XElement request = Stanza.Iq("get", "p1", Juliet, Ping, Romeo);

        XElement result = Stanza.ResultFor(request);

        Assert.That(Stanza.GetType(result), Is.EqualTo("result"));
        Assert.That(Stanza.GetId(result), Is.EqualTo("p1"));
        Assert.That(Stanza.GetTo(result), Is.EqualTo(Romeo));
        Assert.That(Stanza.GetFrom(result), Is.EqualTo(Juliet));
        Assert.That(result.HasElements, Is.False);
    }

    [Test]
    public void ResultFor_RequestFromOwnServer_HasNoTo()
    {
        XElement request = XElement.Parse("<iq xmlns='jabber:client' type='get' id='s1'><ping xmlns='urn:xmpp:ping'/></iq>");

        XElement result = Stanza.ResultFor(request, new XElement(XName.Get("x", "urn:example")));

        Assert.That(result.Attribute("to"), Is.Null);
        Assert.That(result.Attribute("from"), Is.Null);
        Assert.That(result.Elements().Single().Name, Is.EqualTo(XName.Get("x", "urn:example")));
    }

    [Test]
    public void ResultFor_RejectsNonRequests()
    {
        Assert.That(() => Stanza.ResultFor(Stanza.Iq("result", "1", Romeo)), Throws.ArgumentException);
        Assert.That(() => Stanza.ResultFor(XElement.Parse("<iq xmlns='jabber:client' type='get'><ping xmlns='urn:xmpp:ping'/></iq>")), Throws.ArgumentException);
        Assert.That(() => Stanza.ResultFor(XElement.Parse("<message xmlns='jabber:client' type='get' id='1'/>")), Throws.ArgumentException);
    }

    [Test]
    public void ErrorFor_IqRequest_SwapsAddressesKeepsIdAndDoesNotEchoPayload()
    {
        XElement request = Stanza.Iq("set", "x1", Juliet, Ping, Romeo);

        XElement reply = Stanza.ErrorFor(request, StanzaError.Of(StanzaErrorConditions.NotAcceptable));

        XElement expected = XElement.Parse(
            "<iq xmlns='jabber:client' type='error' id='x1' to='romeo@montague.lit/orchard' from='juliet@capulet.lit/balcony'>"
            + "<error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        Assert.That(XmlEquivalence.AreEquivalent(reply, expected), Is.True, reply.ToString());
        Assert.That(StanzaError.FromStanza(reply)!.Condition, Is.EqualTo(StanzaErrorConditions.NotAcceptable));
    }

    [Test]
    public void ErrorFor_MessageWithoutId_HasNoId()
    {
        XElement message = XElement.Parse("<message xmlns='jabber:client' type='chat' from='romeo@montague.lit/orchard'><body>hi</body></message>");

        XElement reply = Stanza.ErrorFor(message, StanzaError.Of(StanzaErrorConditions.ServiceUnavailable));

        Assert.That(reply.Name, Is.EqualTo(Stanza.MessageName));
        Assert.That(reply.Attribute("id"), Is.Null);
        Assert.That(Stanza.GetTo(reply), Is.EqualTo(Romeo));
        Assert.That(reply.Element(XName.Get("body", "jabber:client")), Is.Null);
    }

    [Test]
    public void ErrorFor_Presence_IsAPresenceError()
    {
        XElement presence = XElement.Parse("<presence xmlns='jabber:client' type='subscribe' id='s1' from='romeo@montague.lit'/>");

        XElement reply = Stanza.ErrorFor(presence, StanzaError.Of(StanzaErrorConditions.NotAllowed));

        Assert.That(Stanza.IsPresence(reply), Is.True);
        Assert.That(Stanza.GetType(reply), Is.EqualTo("error"));
        Assert.That(Stanza.GetId(reply), Is.EqualTo("s1"));
    }

    [Test]
    public void ErrorFor_RefusesToAnswerErrorsResultsAndNonStanzas()
    {
        StanzaError error = StanzaError.Of(StanzaErrorConditions.BadRequest);

        Assert.That(() => Stanza.ErrorFor(XElement.Parse("<message xmlns='jabber:client' type='error'/>"), error), Throws.ArgumentException);
        Assert.That(() => Stanza.ErrorFor(XElement.Parse("<iq xmlns='jabber:client' type='error' id='1'/>"), error), Throws.ArgumentException);
        Assert.That(() => Stanza.ErrorFor(XElement.Parse("<iq xmlns='jabber:client' type='result' id='1'/>"), error), Throws.ArgumentException);
        Assert.That(() => Stanza.ErrorFor(XElement.Parse("<iq xmlns='jabber:client' type='get'/>"), error), Throws.ArgumentException);
        Assert.That(() => Stanza.ErrorFor(XElement.Parse("<iq type='get' id='1'/>"), error), Throws.ArgumentException);
        Assert.That(() => Stanza.ErrorFor(XElement.Parse("<foo xmlns='jabber:client'/>"), error), Throws.ArgumentException);
    }

    [Test]
    public void KindPredicates_RequireTheJabberClientNamespace()
    {
        Assert.That(Stanza.IsIq(XElement.Parse("<iq xmlns='jabber:client'/>")), Is.True);
        Assert.That(Stanza.IsMessage(XElement.Parse("<message xmlns='jabber:client'/>")), Is.True);
        Assert.That(Stanza.IsPresence(XElement.Parse("<presence xmlns='jabber:client'/>")), Is.True);
        Assert.That(Stanza.IsIq(XElement.Parse("<iq/>")), Is.False);
        Assert.That(Stanza.IsIq(XElement.Parse("<iq xmlns='jabber:server'/>")), Is.False);
        Assert.That(Stanza.IsMessage(XElement.Parse("<iq xmlns='jabber:client'/>")), Is.False);
    }

    [TestCase("get", true, false)]
    [TestCase("set", true, false)]
    [TestCase("result", false, true)]
    [TestCase("error", false, true)]
    [TestCase("bogus", false, false)]
    public void RequestAndResponsePredicates(string type, bool isRequest, bool isResponse)
    {
        XElement iq = new(Stanza.IqName, new XAttribute("type", type));

        Assert.That(Stanza.IsIqRequest(iq), Is.EqualTo(isRequest));
        Assert.That(Stanza.IsIqResponse(iq), Is.EqualTo(isResponse));
    }

    [Test]
    public void RequestAndResponsePredicates_AreFalseForOtherStanzas()
    {
        XElement message = XElement.Parse("<message xmlns='jabber:client' type='error'/>");

        Assert.That(Stanza.IsIqRequest(message), Is.False);
        Assert.That(Stanza.IsIqResponse(message), Is.False);
    }

    [Test]
    public void Accessors_ReadAttributes()
    {
        XElement iq = XElement.Parse("<iq xmlns='jabber:client' type='set' id='a' from='Romeo@Montague.lit/orchard'/>");

        Assert.That(Stanza.GetType(iq), Is.EqualTo("set"));
        Assert.That(Stanza.GetId(iq), Is.EqualTo("a"));
        Assert.That(Stanza.GetFrom(iq), Is.EqualTo(Romeo));
        Assert.That(Stanza.GetTo(iq), Is.Null);
        Assert.That(Stanza.GetType(XElement.Parse("<presence xmlns='jabber:client'/>")), Is.Null);
        Assert.That(Stanza.GetId(XElement.Parse("<presence xmlns='jabber:client'/>")), Is.Null);
    }

    [TestCase("")]
    [TestCase("a@b@c")]
    [TestCase("romeo@/orchard")]
    public void Accessors_MalformedAddress_ThrowsInvalidJidException(string address)
    {
        XElement iq = new(Stanza.IqName, new XAttribute("from", address), new XAttribute("to", address));

        Assert.That(() => Stanza.GetFrom(iq), Throws.TypeOf<InvalidJidException>());
        Assert.That(() => Stanza.GetTo(iq), Throws.TypeOf<InvalidJidException>());
    }
}
