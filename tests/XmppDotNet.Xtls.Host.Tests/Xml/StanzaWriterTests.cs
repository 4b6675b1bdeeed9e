using System.Buffers;
using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

public class StanzaWriterTests
{
    private static readonly XNamespace Client = XmppNamespaces.Client;
    private static readonly XNamespace Streams = XmppNamespaces.Streams;
    private static readonly XNamespace Roster = "jabber:iq:roster";

    [Test]
    public void Stanza_in_the_default_namespace_is_written_compactly_without_xmlns()
    {
        var message = new XElement(Client + "message", new XAttribute("to", "romeo@example.net"), new XAttribute("type", "chat"),
            new XElement(Client + "body", "hi"));

        Assert.That(StanzaWriter.ToXmlString(message), Is.EqualTo("<message to='romeo@example.net' type='chat'><body>hi</body></message>"));
    }

    [Test]
    public void Other_namespaces_are_declared_where_they_change_and_inherited_below()
    {
        var iq = new XElement(Client + "iq", new XAttribute("type", "result"),
            new XElement(Roster + "query", new XElement(Roster + "item", new XAttribute("jid", "a@b")), new XElement(Roster + "item")));

        Assert.That(
            StanzaWriter.ToXmlString(iq),
            Is.EqualTo("<iq type='result'><query xmlns='jabber:iq:roster'><item jid='a@b'/><item/></query></iq>"));
    }

    [Test]
    public void Returning_to_the_stream_namespace_inside_another_redeclares_it()
    {
        var message = new XElement(Client + "message",
            new XElement(XName.Get("forwarded", "urn:xmpp:forward:0"), new XElement(Client + "message", new XElement(Client + "body", "x"))));

        Assert.That(
            StanzaWriter.ToXmlString(message),
            Is.EqualTo("<message><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client'><body>x</body></message></forwarded></message>"));
    }

    [Test]
    public void Element_without_namespace_undeclares_the_default()
    {
        var message = new XElement(Client + "message", new XElement("plain"));

        Assert.That(StanzaWriter.ToXmlString(message), Is.EqualTo("<message><plain xmlns=''/></message>"));
    }

    [Test]
    public void Streams_namespace_uses_the_stream_prefix()
    {
        XNamespace errors = XmppNamespaces.StreamErrors;
        var error = new XElement(Streams + "error", new XElement(errors + "conflict"),
            new XElement(errors + "text", new XAttribute(XNamespace.Xml + "lang", "en"), "Replaced"));

        Assert.That(
            StanzaWriter.ToXmlString(error),
            Is.EqualTo("<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>" +
                       "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>Replaced</text></stream:error>"));
    }

    [Test]
    public void Default_namespace_parameter_selects_the_content_namespace()
    {
        var message = new XElement(XName.Get("message", "jabber:server"), new XElement(XName.Get("body", "jabber:server")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(StanzaWriter.ToXmlString(message, "jabber:server"), Is.EqualTo("<message><body/></message>"));
            Assert.That(StanzaWriter.ToXmlString(message), Is.EqualTo("<message xmlns='jabber:server'><body/></message>"));
        }
    }

    [Test]
    public void Text_is_escaped_and_carriage_returns_survive()
    {
        var body = new XElement(Client + "body", "a<b&c>d\"e'f\r\ng\th");

        Assert.That(StanzaWriter.ToXmlString(body), Is.EqualTo("<body>a&lt;b&amp;c&gt;d\"e'f&#xD;\ng\th</body>"));
    }

    [Test]
    public void Attribute_values_are_escaped_including_quotes_and_whitespace_controls()
    {
        var item = new XElement(Client + "item", new XAttribute("name", "a<b&c>d\"e'f\tg\nh\ri"));

        Assert.That(StanzaWriter.ToXmlString(item), Is.EqualTo("<item name='a&lt;b&amp;c&gt;d&quot;e&apos;f&#x9;g&#xA;h&#xD;i'/>"));
    }

    [Test]
    public void Cdata_is_written_as_escaped_text()
    {
        var body = new XElement(Client + "body", new XCData("<x> ]]> &"));

        Assert.That(StanzaWriter.ToXmlString(body), Is.EqualTo("<body>&lt;x&gt; ]]&gt; &amp;</body>"));
    }

    [Test]
    public void Multibyte_characters_are_written_as_utf8()
    {
        var body = new XElement(Client + "body", "é日😀");

        Assert.That(
            StanzaWriter.ToBytes(body),
            Is.EqualTo("<body>"u8.ToArray().Concat(new byte[] { 0xC3, 0xA9, 0xE6, 0x97, 0xA5, 0xF0, 0x9F, 0x98, 0x80 }).Concat("</body>"u8.ToArray())));
    }

    [Test]
    public void Element_with_empty_content_is_written_with_both_tags()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StanzaWriter.ToXmlString(new XElement(Client + "body", string.Empty)), Is.EqualTo("<body></body>"));
            Assert.That(StanzaWriter.ToXmlString(new XElement(Client + "body")), Is.EqualTo("<body/>"));
        }
    }

    // Built in code: attribute arguments are stored as UTF-8, which would turn lone surrogates into U+FFFD.
    private static readonly string[] IllegalTexts = ["\u0000", "\u0001", "\u001F", "\uFFFE", "\uFFFF", "\uD800", "\uDC00", "a\uD83D", "\uDE00\uD83D", "ok\uD83Dok"];

    private static readonly string[] IllegalAttributeValues = ["\u0000", "\u0008", "\uFFFF", "\uDBFF", "x\uDC00"];

    [TestCaseSource(nameof(IllegalTexts))]
    public void Characters_illegal_in_xml_are_rejected_in_text(string text)
    {
        Assert.Throws<ArgumentException>(() => StanzaWriter.ToBytes(new XElement(Client + "body", text)));
    }

    [TestCaseSource(nameof(IllegalAttributeValues))]
    public void Characters_illegal_in_xml_are_rejected_in_attribute_values(string value)
    {
        Assert.Throws<ArgumentException>(() => StanzaWriter.ToBytes(new XElement(Client + "message", new XAttribute("id", value))));
    }

    [Test]
    public void Comments_and_processing_instructions_are_rejected()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentException>(() => StanzaWriter.ToBytes(new XElement(Client + "message", new XComment("x"))));
            Assert.Throws<ArgumentException>(() => StanzaWriter.ToBytes(new XElement(Client + "message", new XProcessingInstruction("pi", "x"))));
        }
    }

    [Test]
    public void Namespaced_attributes_use_the_prefix_the_tree_declares()
    {
        XNamespace ext = "urn:example:ext";
        var message = new XElement(Client + "message", new XAttribute(XNamespace.Xmlns + "ex", ext.NamespaceName),
            new XAttribute(ext + "priority", "high"), new XElement(Client + "body", new XAttribute(ext + "level", "2")));

        Assert.That(
            StanzaWriter.ToXmlString(message),
            Is.EqualTo("<message xmlns:ex='urn:example:ext' ex:priority='high'><body ex:level='2'/></message>"));
    }

    [Test]
    public void Namespaced_attributes_without_a_declared_prefix_get_a_generated_one()
    {
        XNamespace a = "urn:example:a";
        XNamespace b = "urn:example:b";
        var message = new XElement(Client + "message", new XAttribute(a + "x", "1"), new XAttribute(b + "y", "2"),
            new XElement(Client + "body", new XAttribute(a + "z", "3")));

        string xml = StanzaWriter.ToXmlString(message);

        Assert.That(xml, Is.EqualTo("<message xmlns:ns0='urn:example:a' ns0:x='1' xmlns:ns1='urn:example:b' ns1:y='2'><body ns0:z='3'/></message>"));
    }

    [Test]
    public void Attribute_in_the_element_namespace_still_needs_a_prefix()
    {
        XNamespace x = "urn:example:x";
        var element = new XElement(x + "e", new XAttribute(x + "a", "1"), new XAttribute("b", "2"));

        Assert.That(StanzaWriter.ToXmlString(element), Is.EqualTo("<e xmlns='urn:example:x' xmlns:ns0='urn:example:x' ns0:a='1' b='2'/>"));
    }

    [Test]
    public void Namespace_declarations_of_a_parsed_tree_are_not_duplicated()
    {
        XElement parsed = XElement.Parse("<message xmlns='jabber:client'><x xmlns='urn:x'><y/></x><stream:error xmlns:stream='http://etherx.jabber.org/streams'/></message>");

        Assert.That(
            StanzaWriter.ToXmlString(parsed),
            Is.EqualTo("<message><x xmlns='urn:x'><y/></x><stream:error/></message>"));
    }

    [Test]
    public void A_tree_rebinding_the_stream_prefix_is_written_consistently()
    {
        XElement parsed = XElement.Parse("<stream:x xmlns:stream='urn:other'><e xmlns='http://etherx.jabber.org/streams'/></stream:x>");

        XElement reparsed = Reparse(StanzaWriter.ToXmlString(parsed));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reparsed.Name, Is.EqualTo(XName.Get("x", "urn:other")));
            Assert.That(reparsed.Elements().Single().Name, Is.EqualTo(Streams + "e"));
        }
    }

    [Test]
    public void Every_element_of_the_server_stream_round_trips()
    {
        const string Header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        XElement[] originals = ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes).OfType<XElement>().ToArray();

        foreach (XElement original in originals)
        {
            string written = StanzaWriter.ToXmlString(original);
            var reparsed = (XElement)ParserHarness.ParseWhole(Header + written)[1];

            Assert.That(Canonical(reparsed), Is.EqualTo(Canonical(original)), written);
            Assert.That(StanzaWriter.ToXmlString(reparsed), Is.EqualTo(written));
        }
    }

    [Test]
    public void Text_with_every_escape_round_trips()
    {
        const string Text = "<>&\"' \r\n\t\r \u00E9\U0001F600 ]]> \uE000\uFFFD";
        var message = new XElement(Client + "message", new XAttribute("id", Text), new XElement(Client + "body", Text));

        XElement reparsed = Reparse(StanzaWriter.ToXmlString(message));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reparsed.Attribute("id")?.Value, Is.EqualTo(Text));
            Assert.That(reparsed.Element(Client + "body")?.Value, Is.EqualTo(Text));
        }
    }

    [Test]
    public void Deep_tree_is_written_without_recursion()
    {
        // Built bottom-up: adding to a deep parent makes XLinq walk all its ancestors.
        var current = new XElement(Client + "x");
        for (int i = 1; i < 100_000; i++)
        {
            current = new XElement(Client + "x", current);
        }

        var root = new XElement(Client + "message", current);

        string xml = StanzaWriter.ToXmlString(root);

        Assert.That(xml, Has.Length.EqualTo("<message>".Length + "</message>".Length + (100_000 - 1) * "<x></x>".Length + "<x/>".Length));
    }

    [Test]
    public void Writing_a_nested_element_writes_only_that_subtree()
    {
        var body = new XElement(Client + "body", "b");
        _ = new XElement(Client + "message", new XElement(Client + "subject", "s"), body, new XElement(Client + "thread", "t"));

        Assert.That(StanzaWriter.ToXmlString(body), Is.EqualTo("<body>b</body>"));
    }

    [Test]
    public void Write_to_a_buffer_writer_matches_to_bytes()
    {
        var presence = new XElement(Client + "presence", new XElement(Client + "status", new string('s', 20_000)));
        var buffer = new ArrayBufferWriter<byte>(1);

        StanzaWriter.Write(presence, buffer);

        Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(StanzaWriter.ToBytes(presence)));
    }

    [Test]
    public void Writing_without_routing_leaves_out_only_the_stanzas_own_from_and_to()
    {
        XNamespace other = "urn:example:routing";
        var message = new XElement(Client + "message",
            new XAttribute("from", "juliet@example.com/balcony"),
            new XAttribute("type", "chat"),
            new XAttribute("to", "romeo@example.net/orchard"),
            new XAttribute(XNamespace.Xmlns + "r", other.NamespaceName),
            new XAttribute(other + "to", "kept"),
            new XElement(XName.Get("forwarded", "urn:xmpp:forward:0"),
                new XElement(Client + "message", new XAttribute("from", "a@b/c"), new XAttribute("to", "d@e/f"), new XElement(Client + "body", "inner"))),
            new XElement(Client + "body", "hi"));
        var buffer = new ArrayBufferWriter<byte>(1);

        StanzaWriter.WriteWithoutRouting(message, buffer);

        Assert.That(
            Encoding.UTF8.GetString(buffer.WrittenSpan),
            Is.EqualTo("<message xmlns:r='urn:example:routing' type='chat' r:to='kept'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='a@b/c' to='d@e/f'><body>inner</body></message></forwarded><body>hi</body></message>"));
        Assert.That(message.Attribute("from"), Is.Not.Null, "the tree is not changed");
    }

    [Test]
    public void Writing_without_routing_matches_writing_a_copy_without_from_and_to()
    {
        var presence = new XElement(Client + "presence", new XAttribute("to", "x@y"), new XElement(Client + "status", new string('s', 20_000)));
        var copy = new XElement(presence);
        copy.Attribute("to")!.Remove();
        var buffer = new ArrayBufferWriter<byte>(1);

        StanzaWriter.WriteWithoutRouting(presence, buffer);

        Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(StanzaWriter.ToBytes(copy)));
    }

    [Test]
    public void Arguments_must_not_be_null()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentNullException>(() => StanzaWriter.Write(null!, new ArrayBufferWriter<byte>()));
            Assert.Throws<ArgumentNullException>(() => StanzaWriter.Write(new XElement("a"), null!));
            Assert.Throws<ArgumentNullException>(() => StanzaWriter.ToBytes(new XElement("a"), null!));
            Assert.Throws<ArgumentNullException>(() => StanzaWriter.WriteWithoutRouting(null!, new ArrayBufferWriter<byte>()));
            Assert.Throws<ArgumentNullException>(() => StanzaWriter.WriteWithoutRouting(new XElement("a"), null!));
        }
    }

    private static XElement Reparse(string xml) =>
        (XElement)ParserHarness.ParseWhole(Encoding.UTF8.GetBytes(xml), ParserHarness.Fragment()).Single();

    // Names, attributes (without namespace declarations) and content, independent of how namespaces were declared.
    private static string Canonical(XElement element)
    {
        var builder = new StringBuilder();
        builder.Append('<').Append(element.Name);
        foreach (XAttribute attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration).OrderBy(a => a.Name.ToString(), StringComparer.Ordinal))
        {
            builder.Append(' ').Append(attribute.Name).Append("=[").Append(attribute.Value).Append(']');
        }

        builder.Append('>');
        var text = new StringBuilder();
        foreach (XNode node in element.Nodes())
        {
            if (node is XText textNode)
            {
                // Adjacent text and CDATA nodes merge when written; an empty one vanishes.
                text.Append(textNode.Value);
                continue;
            }

            AppendText(builder, text);
            builder.Append(Canonical((XElement)node));
        }

        AppendText(builder, text);

        return builder.Append("</>").ToString();
    }

    private static void AppendText(StringBuilder builder, StringBuilder text)
    {
        if (text.Length > 0)
        {
            builder.Append('[').Append(text).Append(']');
            text.Clear();
        }
    }
}
