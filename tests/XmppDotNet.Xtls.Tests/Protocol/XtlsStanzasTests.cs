using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tests.Protocol;

public class XtlsStanzasTests
{
    private static readonly Jid Romeo = Jid.Parse("romeo@montague.net/orchard");
    private static readonly Jid Juliet = Jid.Parse("juliet@capulet.com/balcony");

    [Test]
    public void Request_is_an_iq_set_in_jabber_client_with_addresses()
    {
        XElement iq = XtlsStanzas.Request("xtls_1", Romeo, Juliet, XtlsElements.Start());
        var expected = XElement.Parse(
            "<iq xmlns='jabber:client' type='set' id='xtls_1' from='romeo@montague.net/orchard' to='juliet@capulet.com/balcony'>"
            + "<start xmlns='urn:xmpp:tmp:xtls'/></iq>");

        Assert.That(XmlEquivalence.AreEquivalent(XElement.Parse(iq.ToString()), expected), Is.True, iq.ToString());
    }

    [Test]
    public void Error_response_carries_condition_type_and_text()
    {
        XElement iq = XtlsStanzas.ErrorResponse("xtls_10", Juliet, Romeo, new StanzaError("item-not-found", "cancel", "No tunnel."));
        XElement error = iq.Element(XName.Get("error", XmppNamespaces.Client))!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)iq.Attribute("type"), Is.EqualTo("error"));
            Assert.That((string?)error.Attribute("type"), Is.EqualTo("cancel"));
            Assert.That(error.Element(XName.Get("item-not-found", XmppNamespaces.StanzaErrors)), Is.Not.Null);
            Assert.That(error.Element(XName.Get("text", XmppNamespaces.StanzaErrors))?.Value, Is.EqualTo("No tunnel."));
            Assert.That(XtlsStanzas.ReadError(XElement.Parse(iq.ToString())), Is.EqualTo(new StanzaError("item-not-found", "cancel", "No tunnel.")));
        });
    }

    [Test]
    public void Read_error_tolerates_missing_parts_and_legacy_codes()
    {
        var bare = XElement.Parse("<iq xmlns='jabber:client' type='error' id='a'/>");
        var legacy = XElement.Parse(
            "<iq xmlns='jabber:client' type='error' id='a'><start xmlns='urn:xmpp:tmp:xtls'/>"
            + "<error code='503' type='cancel'><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>down</text><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        var noType = XElement.Parse("<iq type='error' id='a'><error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");

        Assert.That(XtlsStanzas.ReadError(bare), Is.EqualTo(new StanzaError("undefined-condition", "cancel", null)));
        Assert.That(XtlsStanzas.ReadError(legacy), Is.EqualTo(new StanzaError("service-unavailable", "cancel", "down")));
        Assert.That(XtlsStanzas.ReadError(noType), Is.EqualTo(new StanzaError("conflict", "cancel", null)));
    }

    [Test]
    public void Error_text_from_the_wire_is_truncated()
    {
        var iq = XElement.Parse(
            $"<iq xmlns='jabber:client' type='error' id='a'><error type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>{new string('x', 5000)}</text></error></iq>");

        StanzaError error = XtlsStanzas.ReadError(iq);

        Assert.That(error.Text, Has.Length.EqualTo(512));
        Assert.That(error.IsWait, Is.True);
        Assert.That(error.ToString(), Does.StartWith("resource-constraint (wait): xxx"));
    }

    [Test]
    public void Is_iq_accepts_jabber_client_and_no_namespace_only()
    {
        Assert.That(XtlsStanzas.IsIq(XElement.Parse("<iq xmlns='jabber:client'/>")), Is.True);
        Assert.That(XtlsStanzas.IsIq(XElement.Parse("<iq/>")), Is.True);
        Assert.That(XtlsStanzas.IsIq(XElement.Parse("<iq xmlns='jabber:server'/>")), Is.False);
        Assert.That(XtlsStanzas.IsIq(XElement.Parse("<message xmlns='jabber:client'/>")), Is.False);
    }
}
