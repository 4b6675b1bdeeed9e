using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Stanzas;

public class XmppExceptionTests
{
    [Test]
    public void StanzaException_FromStanza_CarriesErrorAndStanza()
    {
        XElement reply = XElement.Parse(
            "<iq xmlns='jabber:client' type='error' id='1' from='romeo@montague.lit/orchard'>"
            + "<error type='cancel'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>No tunnels today</text></error></iq>");

        XmppStanzaException e = XmppStanzaException.FromStanza(reply);

        Assert.That(e.Error, Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.NotAcceptable, "No tunnels today")));
        Assert.That(e.Stanza, Is.SameAs(reply));
        Assert.That(e.Message, Does.Contain("not-acceptable").And.Contain("romeo@montague.lit/orchard").And.Contain("No tunnels today"));
    }

    [Test]
    public void StanzaException_FromNonErrorStanza_Throws()
    {
        Assert.That(() => XmppStanzaException.FromStanza(XElement.Parse("<iq xmlns='jabber:client' type='result' id='1'/>")), Throws.ArgumentException);
    }

    [Test]
    public void StanzaException_LongTextIsTruncatedInTheMessage()
    {
        var e = new XmppStanzaException(StanzaError.Of(StanzaErrorConditions.BadRequest, new string('x', 5000)));

        Assert.That(e.Message, Has.Length.LessThan(300));
        Assert.That(e.Error.Text, Has.Length.EqualTo(5000));
    }

    [Test]
    public void StanzaException_StandardConstructors_UseUndefinedCondition()
    {
        var inner = new TimeoutException();

        Assert.That(new XmppStanzaException().Error.Condition, Is.EqualTo(StanzaErrorConditions.UndefinedCondition));
        Assert.That(new XmppStanzaException("m").Message, Is.EqualTo("m"));
        Assert.That(new XmppStanzaException("m", inner).InnerException, Is.SameAs(inner));
        Assert.That(new XmppStanzaException("m").Stanza, Is.Null);
    }

    [Test]
    public void StreamErrorException_CarriesTheCondition()
    {
        var e = new XmppStreamErrorException(StreamErrorConditions.Conflict, "Replaced by new connection", sentByPeer: true);

        Assert.That(e.Condition, Is.EqualTo("conflict"));
        Assert.That(e.SentByPeer, Is.True);
        Assert.That(e.Message, Does.Contain("conflict").And.Contain("Replaced by new connection"));
        Assert.That(new XmppStreamErrorException().Condition, Is.EqualTo(StreamErrorConditions.UndefinedCondition));
    }
}
