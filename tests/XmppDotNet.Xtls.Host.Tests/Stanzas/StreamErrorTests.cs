using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Stanzas;

public class StreamErrorTests
{
    private const string StreamsNs = "http://etherx.jabber.org/streams";
    private const string StreamErrorsNs = "urn:ietf:params:xml:ns:xmpp-streams";

    [Test]
    public void Conditions_ListsTheTwentyFiveOfRfc6120()
    {
        Assert.That(StreamErrorConditions.All, Has.Count.EqualTo(25));
        Assert.That(StreamErrorConditions.All, Is.Unique);
        Assert.That(StreamErrorConditions.IsDefined("see-other-host"), Is.True);
        Assert.That(StreamErrorConditions.IsDefined("service-unavailable"), Is.False);
    }

    [TestCaseSource(typeof(StreamErrorConditions), nameof(StreamErrorConditions.All))]
    public void RoundTrip(string condition)
    {
        var error = new StreamError(condition, "text");

        Assert.That(StreamError.FromXElement(error.ToXElement()), Is.EqualTo(error));
    }

    [Test]
    public void ToXElement_UsesTheStreamPrefixAndNamespaces()
    {
        XElement element = new StreamError(StreamErrorConditions.SystemShutdown).ToXElement();

        Assert.That(element.Name, Is.EqualTo(XName.Get("error", StreamsNs)));
        Assert.That(element.GetPrefixOfNamespace(StreamsNs), Is.EqualTo("stream"));
        Assert.That(element.Elements().Single().Name, Is.EqualTo(XName.Get("system-shutdown", StreamErrorsNs)));
        Assert.That(element.ToString(SaveOptions.DisableFormatting), Does.StartWith("<stream:error "));
    }

    [Test]
    public void FromXElement_ProsodyPolicyViolation()
    {
        XElement element = XElement.Parse(
            "<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
            + "<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Stanza too large</text>"
            + "</stream:error>");

        Assert.That(StreamError.FromXElement(element), Is.EqualTo(new StreamError(StreamErrorConditions.PolicyViolation, "Stanza too large")));
    }

    [Test]
    public void SeeOtherHost_CarriesTheHost()
    {
        StreamError error = new StreamError(StreamErrorConditions.SeeOtherHost) { OtherHost = "[2001:db8::a11:b]:5222" };

        XElement element = error.ToXElement();

        Assert.That(element.Element(XName.Get("see-other-host", StreamErrorsNs))!.Value, Is.EqualTo("[2001:db8::a11:b]:5222"));
        Assert.That(StreamError.FromXElement(element), Is.EqualTo(error));
    }

    [Test]
    public void FromXElement_UnknownOrMissingCondition_IsUndefinedCondition()
    {
        XElement unknown = XElement.Parse("<stream:error xmlns:stream='http://etherx.jabber.org/streams'><x-new xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
        XElement empty = XElement.Parse("<stream:error xmlns:stream='http://etherx.jabber.org/streams'/>");

        Assert.That(StreamError.FromXElement(unknown).Condition, Is.EqualTo(StreamErrorConditions.UndefinedCondition));
        Assert.That(StreamError.FromXElement(empty).Condition, Is.EqualTo(StreamErrorConditions.UndefinedCondition));
    }

    [Test]
    public void FromXElement_OtherElement_Throws()
    {
        Assert.That(() => StreamError.FromXElement(XElement.Parse("<error xmlns='jabber:client'/>")), Throws.ArgumentException);
    }

    [Test]
    public void Construction_RejectsUnknownConditions()
    {
        Assert.That(() => new StreamError("service-unavailable"), Throws.ArgumentException);
        Assert.That(() => new StreamError(StreamErrorConditions.Conflict, "\u0001"), Throws.ArgumentException);
    }
}
