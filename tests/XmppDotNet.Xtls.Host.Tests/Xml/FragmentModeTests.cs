using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

public class FragmentModeTests
{
    private static readonly XNamespace Client = XmppNamespaces.Client;
    private static readonly string[] ServerThenClient = ["jabber:server", "jabber:client"];

    private static List<string> Reference { get; } =
        ParserHarness.Describe(ParserHarness.ParseWhole(RealisticStreams.InnerStreamBytes, ParserHarness.Fragment()));

    [Test]
    public void Inner_stream_yields_only_elements_in_the_default_namespace_declared_or_not()
    {
        List<object> events = ParserHarness.ParseWhole(RealisticStreams.InnerStreamBytes, ParserHarness.Fragment());

        Assert.That(events, Is.All.InstanceOf<XElement>());
        XElement[] elements = events.Cast<XElement>().ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(elements.Select(e => e.Name), Is.EqualTo(new XName[] { Client + "message", Client + "message", Client + "iq", Client + "presence" }));
            Assert.That(elements[0].Element(Client + "body")?.Value, Is.EqualTo("secret & safe 🔐"));
            Assert.That(elements[1].Element(Client + "body")?.Value, Is.EqualTo("a<b"));
            Assert.That(elements[2].Elements().Single().Name, Is.EqualTo(XName.Get("query", XmppNamespaces.DiscoInfo)));
        }
    }

    [TestCaseSource(typeof(RealisticStreams), nameof(RealisticStreams.InnerStreamSplits))]
    public void Any_split_in_two_yields_the_same_events(int at)
    {
        Assert.That(
            ParserHarness.Describe(ParserHarness.ParseSplit(RealisticStreams.InnerStreamBytes, at, ParserHarness.Fragment())),
            Is.EqualTo(Reference));
    }

    [Test]
    public void Byte_by_byte_yields_the_same_events()
    {
        Assert.That(
            ParserHarness.Describe(ParserHarness.ParseByteByByte(RealisticStreams.InnerStreamBytes, ParserHarness.Fragment())),
            Is.EqualTo(Reference));
    }

    [Test]
    public void Declared_and_undeclared_default_namespace_give_equal_elements()
    {
        List<object> events = ParserHarness.ParseWhole(
            "<message type='chat'><body>hi</body></message><message xmlns='jabber:client' type='chat'><body>hi</body></message>",
            ParserHarness.Fragment());

        var first = (XElement)events[0];
        var second = (XElement)events[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Name, Is.EqualTo(second.Name));
            Assert.That(StanzaWriter.ToXmlString(first), Is.EqualTo(StanzaWriter.ToXmlString(second)));
            Assert.That(StanzaWriter.ToXmlString(first), Is.EqualTo("<message type='chat'><body>hi</body></message>"));
        }
    }

    [Test]
    public void Configured_default_namespace_applies_to_unprefixed_elements()
    {
        List<object> events = ParserHarness.ParseWhole("<message/><message xmlns='jabber:client'/>", ParserHarness.Fragment("jabber:server"));

        Assert.That(events.Cast<XElement>().Select(e => e.Name.NamespaceName), Is.EqualTo(ServerThenClient));
    }

    [Test]
    public void Other_namespaces_declared_on_elements_are_kept()
    {
        List<object> events = ParserHarness.ParseWhole(
            "<x:message xmlns:x='urn:example:x'><x:body>1</x:body><plain/></x:message>", ParserHarness.Fragment());

        var element = (XElement)events.Single();
        XNamespace x = "urn:example:x";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(element.Name, Is.EqualTo(x + "message"));
            Assert.That(element.Element(x + "body")?.Value, Is.EqualTo("1"));
            Assert.That(element.Element(Client + "plain"), Is.Not.Null);
        }
    }

    [Test]
    public void An_element_named_stream_in_another_namespace_is_accepted()
    {
        List<object> events = ParserHarness.ParseWhole("<stream xmlns='urn:example:media'><chunk/></stream>", ParserHarness.Fragment());

        Assert.That(((XElement)events.Single()).Name, Is.EqualTo(XName.Get("stream", "urn:example:media")));
    }

    [Test]
    public void A_stream_header_is_rejected_when_its_start_tag_ends()
    {
        var parser = new XmlStreamParser(ParserHarness.Fragment());
        var events = new List<object>();

        var exception = Assert.Throws<XmlStreamException>(() => parser.Parse(
            Encoding.UTF8.GetBytes("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"), events));
        Assert.That(exception.Condition, Is.EqualTo(StreamErrorConditions.BadFormat));
    }

    [Test]
    public void Whitespace_between_elements_is_ignored_and_not_buffered()
    {
        var parser = new XmlStreamParser(ParserHarness.Fragment());
        var events = new List<object>();

        parser.Parse(" \r\n\t "u8, events);
        parser.Parse("<presence/>  "u8, events);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(events, Has.Count.EqualTo(1));
            Assert.That(parser.BufferedBytes, Is.Zero);
        }
    }
}
