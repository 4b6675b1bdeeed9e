using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

public class PeerErrorsTests
{
    private static XElement ErrorIq(string errorXml, string ns = "jabber:client") =>
        XElement.Parse($"<iq xmlns='{ns}' type='error' id='a'>{errorXml}</iq>");

    [Test]
    public void Reads_condition_type_and_text()
    {
        XElement iq = ErrorIq(
            "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>No tunnel.</text></error>");

        Assert.That(PeerErrors.Read(iq), Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.ItemNotFound, "No tunnel.")));
    }

    [Test]
    public void Tolerates_missing_parts_and_legacy_codes()
    {
        XElement bare = ErrorIq(string.Empty);
        XElement legacy = ErrorIq(
            "<start xmlns='urn:xmpp:tmp:xtls'/><error code='503' type='cancel'><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>down</text>"
            + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");
        XElement noType = ErrorIq("<error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");
        XElement noNamespace = XElement.Parse("<iq type='error' id='a'><error type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");

        Assert.Multiple(() =>
        {
            Assert.That(PeerErrors.Read(bare), Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.UndefinedCondition)));
            Assert.That(PeerErrors.Read(legacy), Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.ServiceUnavailable, "down")));
            Assert.That(PeerErrors.Read(noType), Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.Conflict)));
            Assert.That(PeerErrors.Read(noNamespace), Is.EqualTo(new StanzaError(StanzaErrorType.Wait, StanzaErrorConditions.ResourceConstraint)));
        });
    }

    [Test]
    public void Unknown_conditions_and_types_never_read_as_retryable()
    {
        XElement unknownCondition = ErrorIq("<error type='wait'><x-busy xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");
        XElement unknownType = ErrorIq("<error type='later'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");
        XElement upperCaseType = ErrorIq("<error type='WAIT'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");

        Assert.Multiple(() =>
        {
            Assert.That(PeerErrors.Read(unknownCondition).Condition, Is.EqualTo(StanzaErrorConditions.UndefinedCondition));
            Assert.That(PeerErrors.Read(unknownType).Type, Is.EqualTo(StanzaErrorType.Cancel));
            Assert.That(PeerErrors.Read(upperCaseType).Type, Is.EqualTo(StanzaErrorType.Wait), "some servers capitalise the type");
        });
    }

    [Test]
    public void Text_from_the_wire_is_truncated()
    {
        XElement iq = ErrorIq(
            "<error type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + $"<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>{new string('x', 5000)}</text></error>");

        StanzaError error = PeerErrors.Read(iq);

        Assert.That(error.Text, Has.Length.EqualTo(PeerErrors.MaxTextLength));
        Assert.That(PeerErrors.Describe(error), Does.StartWith("resource-constraint (wait): xxx"));
    }

    [Test]
    public void Truncation_never_splits_a_surrogate_pair()
    {
        // U+1F512 at positions 511-512: cutting at 512 would keep only its high half.
        string text = new string('x', PeerErrors.MaxTextLength - 1) + "\U0001F512" + new string('y', 100);
        XElement iq = ErrorIq(
            "<error type='cancel'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + $"<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>{text}</text></error>");

        StanzaError error = PeerErrors.Read(iq);

        Assert.That(error.Text, Is.EqualTo(new string('x', PeerErrors.MaxTextLength - 1)));
    }

    [Test]
    public void A_stanza_built_in_memory_with_characters_xml_cannot_carry_reads_as_undefined()
    {
        var iq = new XElement(
            XName.Get("iq", XmppNamespaces.Client),
            new XAttribute("type", "error"),
            new XElement(
                XName.Get("error", XmppNamespaces.Client),
                new XAttribute("type", "wait"),
                new XElement(XName.Get("resource-constraint", XmppNamespaces.StanzaErrors)),
                new XElement(XName.Get("text", XmppNamespaces.StanzaErrors), "bell\u0007")));

        Assert.That(PeerErrors.Read(iq), Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.UndefinedCondition)));
    }

    [Test]
    public void Describe_names_condition_and_wire_type_then_text()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PeerErrors.Describe(StanzaError.Of(StanzaErrorConditions.Forbidden)), Is.EqualTo("forbidden (auth)"));
            Assert.That(PeerErrors.Describe(new StanzaError(StanzaErrorType.Continue, StanzaErrorConditions.Conflict, "t")), Is.EqualTo("conflict (continue): t"));
            Assert.That(PeerErrors.Describe(StanzaError.Of(StanzaErrorConditions.BadRequest, "why")), Is.EqualTo("bad-request (modify): why"));
        });
    }

    [TestCase("recipient-unavailable", true)]
    [TestCase("service-unavailable", true)]
    [TestCase("remote-server-not-found", true)]
    [TestCase("remote-server-timeout", true)]
    [TestCase("item-not-found", false)]
    [TestCase("not-acceptable", false)]
    [TestCase("undefined-condition", false)]
    public void Only_unreachable_peer_conditions_mean_the_peer_is_gone(string condition, bool gone)
    {
        Assert.That(PeerErrors.MeansPeerGone(StanzaError.Of(condition)), Is.EqualTo(gone));
    }
}
