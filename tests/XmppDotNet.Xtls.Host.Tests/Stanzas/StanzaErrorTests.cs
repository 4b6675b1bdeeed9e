using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Tests.Stanzas;

public class StanzaErrorTests
{
    private const string StanzasNs = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private static IEnumerable<TestCaseData> AllConditionsAndTypes() =>
        from condition in StanzaErrorConditions.All
        from type in Enum.GetValues<StanzaErrorType>()
        select new TestCaseData(condition, type);

    [TestCase("bad-request", StanzaErrorType.Modify)]
    [TestCase("conflict", StanzaErrorType.Cancel)]
    [TestCase("feature-not-implemented", StanzaErrorType.Cancel)]
    [TestCase("forbidden", StanzaErrorType.Auth)]
    [TestCase("gone", StanzaErrorType.Cancel)]
    [TestCase("internal-server-error", StanzaErrorType.Cancel)]
    [TestCase("item-not-found", StanzaErrorType.Cancel)]
    [TestCase("jid-malformed", StanzaErrorType.Modify)]
    [TestCase("not-acceptable", StanzaErrorType.Modify)]
    [TestCase("not-allowed", StanzaErrorType.Cancel)]
    [TestCase("not-authorized", StanzaErrorType.Auth)]
    [TestCase("policy-violation", StanzaErrorType.Modify)]
    [TestCase("recipient-unavailable", StanzaErrorType.Wait)]
    [TestCase("redirect", StanzaErrorType.Modify)]
    [TestCase("registration-required", StanzaErrorType.Auth)]
    [TestCase("remote-server-not-found", StanzaErrorType.Cancel)]
    [TestCase("remote-server-timeout", StanzaErrorType.Wait)]
    [TestCase("resource-constraint", StanzaErrorType.Wait)]
    [TestCase("service-unavailable", StanzaErrorType.Cancel)]
    [TestCase("subscription-required", StanzaErrorType.Auth)]
    [TestCase("undefined-condition", StanzaErrorType.Modify)]
    [TestCase("unexpected-request", StanzaErrorType.Wait)]
    public void DefaultTypeFor_IsTheRfc6120Recommendation(string condition, StanzaErrorType expected)
    {
        Assert.That(StanzaError.DefaultTypeFor(condition), Is.EqualTo(expected));
        Assert.That(StanzaError.Of(condition).Type, Is.EqualTo(expected));
    }

    [Test]
    public void Conditions_ListsAllTwentyTwoDistinctConstants()
    {
        string[] constants =
        [
            StanzaErrorConditions.BadRequest, StanzaErrorConditions.Conflict, StanzaErrorConditions.FeatureNotImplemented,
            StanzaErrorConditions.Forbidden, StanzaErrorConditions.Gone, StanzaErrorConditions.InternalServerError,
            StanzaErrorConditions.ItemNotFound, StanzaErrorConditions.JidMalformed, StanzaErrorConditions.NotAcceptable,
            StanzaErrorConditions.NotAllowed, StanzaErrorConditions.NotAuthorized, StanzaErrorConditions.PolicyViolation,
            StanzaErrorConditions.RecipientUnavailable, StanzaErrorConditions.Redirect, StanzaErrorConditions.RegistrationRequired,
            StanzaErrorConditions.RemoteServerNotFound, StanzaErrorConditions.RemoteServerTimeout, StanzaErrorConditions.ResourceConstraint,
            StanzaErrorConditions.ServiceUnavailable, StanzaErrorConditions.SubscriptionRequired, StanzaErrorConditions.UndefinedCondition,
            StanzaErrorConditions.UnexpectedRequest,
        ];

        Assert.That(StanzaErrorConditions.All, Is.EquivalentTo(constants));
        Assert.That(StanzaErrorConditions.All, Is.Unique);
        Assert.That(StanzaErrorConditions.All, Has.Count.EqualTo(22));
    }

    [Test]
    public void DefaultTypeFor_UnknownCondition_Throws()
    {
        Assert.That(() => StanzaError.DefaultTypeFor("x-custom"), Throws.ArgumentException);
    }

    [Test]
    public void ToXElement_ProducesTheRfc6120Shape()
    {
        XElement error = new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.ServiceUnavailable, "Offline").ToXElement();

        XElement expected = XElement.Parse(
            "<error xmlns='jabber:client' type='cancel'>"
            + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Offline</text>"
            + "</error>");
        Assert.That(XmlEquivalence.AreEquivalent(error, expected), Is.True, error.ToString());
    }

    [Test]
    public void ToXElement_WithoutText_HasOnlyTheCondition()
    {
        XElement error = StanzaError.Of(StanzaErrorConditions.Conflict).ToXElement();

        Assert.That(error.Elements().Select(e => e.Name), Is.EqualTo(new[] { XName.Get("conflict", StanzasNs) }));
        Assert.That((string?)error.Attribute("type"), Is.EqualTo("cancel"));
    }

    [TestCaseSource(nameof(AllConditionsAndTypes))]
    public void RoundTrip_ThroughAnErrorStanza(string condition, StanzaErrorType type)
    {
        var error = new StanzaError(type, condition, "why");
        XElement stanza = new(XName.Get("iq", "jabber:client"), new XAttribute("type", "error"), error.ToXElement());

        Assert.That(StanzaError.FromStanza(stanza), Is.EqualTo(error));
    }

    [TestCase("gone")]
    [TestCase("redirect")]
    public void AlternateAddress_RoundTripsForGoneAndRedirect(string condition)
    {
        StanzaError error = StanzaError.Of(condition) with { AlternateAddress = "xmpp:romeo@afterlife.example.net" };
        XElement stanza = new(XName.Get("message", "jabber:client"), new XAttribute("type", "error"), error.ToXElement());

        Assert.That(error.ToXElement().Element(XName.Get(condition, StanzasNs))!.Value, Is.EqualTo("xmpp:romeo@afterlife.example.net"));
        Assert.That(StanzaError.FromStanza(stanza), Is.EqualTo(error));
    }

    [Test]
    public void AlternateAddress_IsNotWrittenForOtherConditions()
    {
        StanzaError error = StanzaError.Of(StanzaErrorConditions.Conflict) with { AlternateAddress = "xmpp:x@y" };

        Assert.That(error.ToXElement().Element(XName.Get("conflict", StanzasNs))!.IsEmpty, Is.True);
    }

    [Test]
    public void FromStanza_ProsodyServiceUnavailableForOfflineFullJid()
    {
        // What Prosody 0.12 returns for an IQ to a full JID that is not online.
        XElement reply = XElement.Parse(
            "<iq xmlns='jabber:client' type='error' id='xtls-1' from='romeo@montague.lit/orchard' to='juliet@capulet.lit/balcony'>"
            + "<error type='cancel' by='montague.lit'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"
            + "</iq>");

        StanzaError? error = StanzaError.FromStanza(reply);

        Assert.That(error, Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.ServiceUnavailable)));
    }

    [Test]
    public void FromStanza_XtlsSpecificationItemNotFoundWithLegacyCode()
    {
        XElement reply = XElement.Parse(
            "<iq xmlns='jabber:client' type='error' from='juliet@capulet.com/balcony' to='romeo@montague.net/orchard' id='xtls_2'>"
            + "<error code='404' type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"
            + "</iq>");

        Assert.That(StanzaError.FromStanza(reply)!.Condition, Is.EqualTo(StanzaErrorConditions.ItemNotFound));
    }

    [Test]
    public void FromStanza_TextBeforeConditionAndApplicationCondition()
    {
        XElement reply = XElement.Parse(
            "<iq xmlns='jabber:client' type='error' id='1'><error type='cancel'>"
            + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>Not here</text>"
            + "<feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + "<unsupported xmlns='http://jabber.org/protocol/pubsub#errors' feature='publish'/>"
            + "</error></iq>");

        Assert.That(StanzaError.FromStanza(reply), Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.FeatureNotImplemented, "Not here")));
    }

    [Test]
    public void FromStanza_UnknownCondition_BecomesUndefinedCondition()
    {
        XElement reply = XElement.Parse(
            "<message xmlns='jabber:client' type='error'><error type='modify'><x-new-condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");

        Assert.That(StanzaError.FromStanza(reply), Is.EqualTo(new StanzaError(StanzaErrorType.Modify, StanzaErrorConditions.UndefinedCondition)));
    }

    [TestCase("<error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>", StanzaErrorType.Cancel, TestName = "Missing type")]
    [TestCase("<error type='bogus'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>", StanzaErrorType.Cancel, TestName = "Unknown type")]
    [TestCase("<error type='WAIT'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>", StanzaErrorType.Wait, TestName = "Upper-case type")]
    public void FromStanza_TypeIsReadTolerantly(string errorXml, StanzaErrorType expected)
    {
        XElement reply = XElement.Parse("<presence xmlns='jabber:client' type='error'>" + errorXml + "</presence>");

        Assert.That(StanzaError.FromStanza(reply)!.Type, Is.EqualTo(expected));
    }

    [Test]
    public void FromStanza_ErrorStanzaWithoutErrorElement_IsStillAFailure()
    {
        XElement reply = XElement.Parse("<iq xmlns='jabber:client' type='error' id='1'/>");

        Assert.That(StanzaError.FromStanza(reply), Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.UndefinedCondition)));
    }

    [Test]
    public void FromStanza_ErrorWithoutCondition_IsUndefinedCondition()
    {
        XElement reply = XElement.Parse("<iq xmlns='jabber:client' type='error' id='1'><error type='auth'/></iq>");

        Assert.That(StanzaError.FromStanza(reply), Is.EqualTo(new StanzaError(StanzaErrorType.Auth, StanzaErrorConditions.UndefinedCondition)));
    }

    [Test]
    public void FromStanza_ServerNamespaceStanza_IsRead()
    {
        XElement reply = XElement.Parse(
            "<iq xmlns='jabber:server' type='error' id='1'><error type='wait'><remote-server-timeout xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");

        Assert.That(StanzaError.FromStanza(reply)!.Condition, Is.EqualTo(StanzaErrorConditions.RemoteServerTimeout));
    }

    [TestCase("<iq xmlns='jabber:client' type='result' id='1'/>")]
    [TestCase("<message xmlns='jabber:client' type='chat'><body>hi</body></message>")]
    [TestCase("<presence xmlns='jabber:client'/>")]
    public void FromStanza_NonErrorStanza_ReturnsNull(string xml)
    {
        Assert.That(StanzaError.FromStanza(XElement.Parse(xml)), Is.Null);
    }

    [Test]
    public void Construction_RejectsUnknownConditionsTypesAndUnencodableText()
    {
        Assert.That(() => new StanzaError(StanzaErrorType.Cancel, "x-custom"), Throws.ArgumentException);
        Assert.That(() => new StanzaError(StanzaErrorType.Cancel, null!), Throws.ArgumentNullException);
        Assert.That(() => new StanzaError((StanzaErrorType)42, StanzaErrorConditions.Conflict), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.Conflict, "bell\u0007"), Throws.ArgumentException);
        Assert.That(() => StanzaError.Of(StanzaErrorConditions.Conflict) with { Condition = "x-custom" }, Throws.ArgumentException);
        Assert.That(() => StanzaError.Of(StanzaErrorConditions.Gone) with { AlternateAddress = "\u0000" }, Throws.ArgumentException);
    }

    [Test]
    public void Records_CompareByValue()
    {
        Assert.That(StanzaError.Of(StanzaErrorConditions.Conflict, "t"), Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, "conflict", "t")));
        Assert.That(StanzaError.Of(StanzaErrorConditions.Conflict), Is.Not.EqualTo(StanzaError.Of(StanzaErrorConditions.Conflict, "t")));
    }
}
