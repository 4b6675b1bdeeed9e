using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

/// <summary>
/// Found by fuzzing: elements that rely on a prefix of the stream header while redeclaring the default
/// namespace, and elements named with the reserved prefix xmlns.
/// </summary>
public class NamespaceSerializationTests
{
    private const string Header =
        "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";

    [Test]
    public void A_stream_prefixed_child_that_redeclares_the_default_namespace_serializes_and_round_trips()
    {
        List<object> events = ParserHarness.ParseWhole(Header + "<iq type='get' id='p1'><stream:x xmlns='urn:y'><z/></stream:x></iq>");
        XElement iq = events.OfType<XElement>().Single();

        string text = iq.ToString(SaveOptions.DisableFormatting);
        XElement reparsed = XElement.Parse(text);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(iq.Elements().Single().Name, Is.EqualTo(XName.Get("x", XmppNamespaces.Streams)));
            Assert.That(reparsed.Elements().Single().Name, Is.EqualTo(XName.Get("x", XmppNamespaces.Streams)));
            Assert.That(reparsed.Elements().Single().Elements().Single().Name, Is.EqualTo(XName.Get("z", "urn:y")));
            Assert.That(StanzaWriter.ToXmlString(iq), Does.Contain("urn:y"));
        }
    }

    [Test]
    public void A_stream_prefixed_top_level_element_keeps_its_attributes_as_before()
    {
        List<object> events = ParserHarness.ParseWhole(Header + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
        XElement features = events.OfType<XElement>().Single();

        Assert.That(features.Attributes(), Is.Empty, "no declaration is added where none is needed");
    }

    [TestCase("<xmlns:x xmlns='urn:y'/>")]
    [TestCase("<message><xmlns:body/></message>")]
    public void An_element_with_the_reserved_prefix_xmlns_is_not_well_formed(string fragment)
    {
        Assert.That(ParserHarness.ConditionOfWhole(fragment, ParserHarness.Fragment()), Is.EqualTo(StreamErrorConditions.NotWellFormed));
    }
}
