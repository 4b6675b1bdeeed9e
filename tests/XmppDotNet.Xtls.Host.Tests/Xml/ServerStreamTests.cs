using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

public class ServerStreamTests
{
    private static readonly XNamespace Client = XmppNamespaces.Client;
    private static readonly XNamespace Streams = XmppNamespaces.Streams;

    private static readonly string[] Mechanisms = ["SCRAM-SHA-1", "PLAIN"];
    private static readonly string[] ItemNames = ["Juliet's >nurse<\"", "say \"hi\" /> bye", "Benvolio"];

    private static List<string> Reference { get; } = ParserHarness.Describe(ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes));

    [Test]
    public void Whole_stream_yields_header_elements_and_footer_in_order()
    {
        List<object> events = ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes);

        Assert.That(events, Has.Count.EqualTo(11));
        Assert.That(events[0], Is.EqualTo(new StreamHeader("example.org", null, "a1b2-c3d4", "1.0", "en", XmppNamespaces.Client)));
        Assert.That(events.Skip(1).Take(9), Is.All.InstanceOf<XElement>());
        Assert.That(events[10], Is.SameAs(StreamFooter.Instance));
        Assert.That(
            events.OfType<XElement>().Select(e => e.Name),
            Is.EqualTo(new XName[]
            {
                Streams + "features", Client + "message", Client + "message", Client + "presence", Client + "iq",
                Client + "iq", Client + "message", Client + "presence", Streams + "error",
            }));
    }

    [Test]
    public void Features_keep_their_namespaces()
    {
        XElement features = ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes).OfType<XElement>().First();

        XNamespace tls = XmppNamespaces.Tls;
        XNamespace sasl = XmppNamespaces.Sasl;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(features.Element(tls + "starttls")?.Element(tls + "required"), Is.Not.Null);
            Assert.That(
                features.Element(sasl + "mechanisms")?.Elements(sasl + "mechanism").Select(m => m.Value),
                Is.EqualTo(Mechanisms));
        }
    }

    [Test]
    public void Entities_character_references_and_multibyte_text_are_decoded()
    {
        XElement[] elements = ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes).OfType<XElement>().ToArray();
        XElement message = elements[1];
        XElement presence = elements[3];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(message.Attribute("id")?.Value, Is.EqualTo("m&1"));
            Assert.That(
                message.Element(Client + "body")?.Value,
                Is.EqualTo("Art thou not Romeo & a Montague? <3 > \"x\" 'y' \U0001F600 é \n"));
            Assert.That(
                message.Descendants(XName.Get("p", "http://www.w3.org/1999/xhtml")).Single().Value,
                Is.EqualTo("Hi"));
            Assert.That(presence.Element(Client + "status")?.Value, Is.EqualTo("Grüße aus Köln — 日本語 😀🎉"));
            Assert.That(
                presence.Element(Client + "status")?.Attribute(XNamespace.Xml + "lang")?.Value,
                Is.EqualTo("de"));
        }
    }

    [Test]
    public void Cdata_sections_keep_markup_characters_and_brackets()
    {
        XElement message = ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes).OfType<XElement>().ElementAt(2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(message.Element(Client + "body")?.Value, Is.EqualTo("<script>alert(\"x\") & 'y'</script> ]] ] ]"));
            Assert.That(message.Element(Client + "subject")?.Value, Is.Empty);
        }
    }

    [Test]
    public void Attribute_values_with_angle_brackets_slashes_and_quotes_survive()
    {
        XElement[] elements = ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes).OfType<XElement>().ToArray();
        XNamespace roster = "jabber:iq:roster";
        XElement[] items = elements[4].Descendants(roster + "item").ToArray();
        XElement caps = elements[3].Element(XName.Get("c", "http://jabber.org/protocol/caps"))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(items.Select(i => i.Attribute("name")?.Value), Is.EqualTo(ItemNames));
            Assert.That(items[0].Element(roster + "group")?.Value, Is.EqualTo("Capulets"));
            Assert.That(caps.Attribute("node")?.Value, Is.EqualTo("https://example.org/client?x=1&y=2"));
            Assert.That(caps.Attribute("ver")?.Value, Is.EqualTo("Q>X/<="));
        }
    }

    [Test]
    public void Namespaced_attributes_xml_lang_and_whitespace_survive()
    {
        XElement message = ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes).OfType<XElement>().ElementAt(6);
        XNamespace ext = "urn:example:ext";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(message.Attribute(ext + "priority")?.Value, Is.EqualTo("high"));
            Assert.That(message.Attribute(XNamespace.Xml + "lang")?.Value, Is.EqualTo("fr"));
            Assert.That(message.Element(ext + "note")?.Attribute(ext + "level")?.Value, Is.EqualTo("2"));
            Assert.That(message.Element(ext + "note")?.Value, Is.EqualTo("texte"));
            Assert.That(message.Element(Client + "body")?.Value, Is.EqualTo("  spaced  "));
        }
    }

    [Test]
    public void Stream_error_is_in_the_streams_namespace_with_its_condition()
    {
        XElement error = ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes).OfType<XElement>().Last();
        XNamespace errors = XmppNamespaces.StreamErrors;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Name, Is.EqualTo(Streams + "error"));
            Assert.That(error.Element(errors + "conflict"), Is.Not.Null);
            Assert.That(error.Element(errors + "text")?.Value, Is.EqualTo("Replaced by new connection"));
        }
    }

    [TestCaseSource(typeof(RealisticStreams), nameof(RealisticStreams.ServerStreamSplits))]
    public void Any_split_in_two_yields_the_same_events(int at)
    {
        Assert.That(ParserHarness.Describe(ParserHarness.ParseSplit(RealisticStreams.ServerStreamBytes, at)), Is.EqualTo(Reference));
    }

    [Test]
    public void Byte_by_byte_yields_the_same_events()
    {
        Assert.That(ParserHarness.Describe(ParserHarness.ParseByteByByte(RealisticStreams.ServerStreamBytes)), Is.EqualTo(Reference));
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(7)]
    [TestCase(64)]
    [TestCase(1000)]
    public void Fixed_size_chunks_yield_the_same_events(int chunk)
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();
        byte[] bytes = RealisticStreams.ServerStreamBytes;
        for (int i = 0; i < bytes.Length; i += chunk)
        {
            parser.Parse(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)), events);
        }

        Assert.That(ParserHarness.Describe(events), Is.EqualTo(Reference));
    }

    [Test]
    public void Events_are_emitted_as_soon_as_each_element_ends()
    {
        byte[] bytes = RealisticStreams.ServerStreamBytes;
        var parser = new XmlStreamParser();
        var events = new List<object>();
        string text = RealisticStreams.ServerStream;
        int headerEnd = System.Text.Encoding.UTF8.GetByteCount(text[..(text.IndexOf("<stream:features>", StringComparison.Ordinal))]);

        parser.Parse(bytes.AsSpan(0, headerEnd), events);
        Assert.That(events, Has.Count.EqualTo(1).And.One.InstanceOf<StreamHeader>());

        parser.Parse(bytes.AsSpan(headerEnd, 20), events);
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(parser.BufferedBytes, Is.EqualTo(20));
    }

    [Test]
    public void Whitespace_keepalives_between_elements_produce_no_events_and_no_buffering()
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();
        parser.Parse("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"u8, events);
        for (int i = 0; i < 100; i++)
        {
            parser.Parse(" "u8, events);
            parser.Parse("\n\r\t"u8, events);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(events, Has.Count.EqualTo(1));
            Assert.That(parser.BufferedBytes, Is.Zero);
        }
    }
}
