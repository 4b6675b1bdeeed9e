using System.Text;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

public class ForbiddenConstructTests
{
    private const string Header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    private static IEnumerable<TestCaseData> HeaderModeCases()
    {
        // RFC 6120 §11.1: restricted XML.
        yield return Case("comment at stream level", Header + "<!-- hi -->", StreamErrorConditions.RestrictedXml);
        yield return Case("comment in a stanza", Header + "<message><!-- hi --></message>", StreamErrorConditions.RestrictedXml);
        yield return Case("comment before the header", "<!-- hi -->" + Header, StreamErrorConditions.RestrictedXml);
        yield return Case("DOCTYPE before the header", "<!DOCTYPE stream:stream>" + Header, StreamErrorConditions.RestrictedXml);
        yield return Case("DOCTYPE after the declaration", "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]>" + Header, StreamErrorConditions.RestrictedXml);
        yield return Case("DOCTYPE at stream level", Header + "<!DOCTYPE x>", StreamErrorConditions.RestrictedXml);
        yield return Case("ENTITY declaration in a stanza", Header + "<message><!ENTITY x 'y'></message>", StreamErrorConditions.RestrictedXml);
        yield return Case(
            "billion laughs",
            "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]>" + Header + "<message>&lol2;</message>",
            StreamErrorConditions.RestrictedXml);
        yield return Case(
            "external entity",
            "<!DOCTYPE foo [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>" + Header + "<message>&xxe;</message>",
            StreamErrorConditions.RestrictedXml);
        yield return Case("undeclared entity in text", Header + "<message><body>&xxe;</body></message>", StreamErrorConditions.RestrictedXml);
        yield return Case("undeclared entity in an attribute", Header + "<message id='&xxe;'/>", StreamErrorConditions.RestrictedXml);
        yield return Case("entity named like amp but longer", Header + "<message><body>&ampx;</body></message>", StreamErrorConditions.RestrictedXml);
        yield return Case("entity named like quot but longer", Header + "<message><body>&quotes;</body></message>", StreamErrorConditions.RestrictedXml);
        yield return Case("entity named a prefix of amp", Header + "<message><body>&am;</body></message>", StreamErrorConditions.RestrictedXml);
        yield return Case("entity with a long name", Header + "<message><body>&" + new string('a', 500) + ";</body></message>", StreamErrorConditions.RestrictedXml);
        yield return Case("entity in a header attribute", "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='&x;'>", StreamErrorConditions.RestrictedXml);
        yield return Case("processing instruction before the header", "<?xml version='1.0'?><?xml-stylesheet href='a'?>" + Header, StreamErrorConditions.RestrictedXml);
        yield return Case("processing instruction at stream level", Header + "<?php echo 1; ?>", StreamErrorConditions.RestrictedXml);
        yield return Case("processing instruction in a stanza", Header + "<message><?pi x?></message>", StreamErrorConditions.RestrictedXml);
        yield return Case("second XML declaration", "<?xml version='1.0'?>" + Header + "<?xml version='1.0'?>", StreamErrorConditions.RestrictedXml);
        yield return Case("XML declaration after whitespace", " <?xml version='1.0'?>" + Header, StreamErrorConditions.RestrictedXml);
        yield return Case("processing instruction named like the declaration", "<?xml-model href='x'?>" + Header, StreamErrorConditions.RestrictedXml);

        // Well-formedness.
        yield return Case("text before the header", "hello" + Header, StreamErrorConditions.NotWellFormed);
        yield return Case("end tag before the header", "</stream:stream>", StreamErrorConditions.NotWellFormed);
        yield return Case("CDATA before the header", "<![CDATA[x]]>" + Header, StreamErrorConditions.NotWellFormed);
        yield return Case("XML 1.1", "<?xml version='1.1'?>" + Header, StreamErrorConditions.NotWellFormed);
        yield return Case("declaration without version", "<?xml encoding='UTF-8'?>" + Header, StreamErrorConditions.NotWellFormed);
        yield return Case("malformed header", "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to=x>", StreamErrorConditions.NotWellFormed);
        yield return Case("header with undeclared prefix", "<stream:stream xmlns='jabber:client'>", StreamErrorConditions.NotWellFormed);
        yield return Case("mismatched end tag", Header + "<message><body>x</message>", StreamErrorConditions.NotWellFormed);
        yield return Case("duplicate attribute", Header + "<message a='1' a='2'/>", StreamErrorConditions.NotWellFormed);
        yield return Case("unquoted attribute", Header + "<message a=1/>", StreamErrorConditions.NotWellFormed);
        yield return Case("'<' in an attribute value", Header + "<message a='x<y'/>", StreamErrorConditions.NotWellFormed);
        yield return Case("space after '<'", Header + "< message/>", StreamErrorConditions.NotWellFormed);
        yield return Case("digit as a name start", Header + "<1message/>", StreamErrorConditions.NotWellFormed);
        yield return Case("'/' not before '>'", Header + "<message/ >", StreamErrorConditions.NotWellFormed);
        yield return Case("'=' in an element name", Header + "<mess=age/>", StreamErrorConditions.NotWellFormed);
        yield return Case("attribute in an end tag", Header + "<message></message a='1'>", StreamErrorConditions.NotWellFormed);
        yield return Case("end tag without name", Header + "<message></></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("stray end tag at stream level", Header + "</message>", StreamErrorConditions.NotWellFormed);
        yield return Case("footer with the wrong name", Header + "</stream:foo>", StreamErrorConditions.NotWellFormed);
        yield return Case("NUL character reference", Header + "<message><body>&#0;</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("surrogate character reference", Header + "<message><body>&#xD800;</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("U+FFFF character reference", Header + "<message><body>&#xFFFF;</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("character reference beyond Unicode", Header + "<message><body>&#x110000;</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("empty character reference", Header + "<message><body>&#;</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("empty hex character reference", Header + "<message><body>&#x;</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("non-hex character reference", Header + "<message><body>&#xZZ;</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("decimal reference with a letter", Header + "<message><body>&#1a;</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("bare ampersand", Header + "<message><body>a & b</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("unterminated entity reference", Header + "<message><body>&amp</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("control character in text", Header + "<message><body>\u0001</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("control character in an attribute", Header + "<message id='\u001B'/>", StreamErrorConditions.NotWellFormed);
        yield return Case("U+FFFE in text", Header + "<message><body>\uFFFE</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("malformed CDATA start", Header + "<message><![CDATX[x]]></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("']]>' in text", Header + "<message><body>a]]>b</body></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("undeclared prefix", Header + "<message><x:body/></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("'<!' followed by junk", Header + "<message><!#x></message>", StreamErrorConditions.NotWellFormed);
        yield return Case("element after the footer", Header + "</stream:stream><message/>", StreamErrorConditions.NotWellFormed);
        yield return Case("text after the footer", Header + "</stream:stream>x", StreamErrorConditions.NotWellFormed);
        yield return Case("second root", Header + "</stream:stream>" + Header, StreamErrorConditions.NotWellFormed);

        // Stream-level content that XML allows but XMPP cannot process.
        yield return Case("text at stream level", Header + "hello", StreamErrorConditions.BadFormat);
        yield return Case("text after an element", Header + "<message/>x", StreamErrorConditions.BadFormat);
        yield return Case("reference at stream level", Header + "&amp;", StreamErrorConditions.BadFormat);
        yield return Case("CDATA at stream level", Header + "<![CDATA[x]]>", StreamErrorConditions.BadFormat);
        yield return Case("header that is empty", "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'/>", StreamErrorConditions.BadFormat);
        yield return Case("stream header nested in the stream", Header + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>", StreamErrorConditions.BadFormat);
        yield return Case("stream header without declarations nested in the stream", Header + "<stream:stream>", StreamErrorConditions.BadFormat);
        yield return Case("empty stream element nested in the stream", Header + "<stream:stream/>", StreamErrorConditions.BadFormat);
        yield return Case("stream element with another prefix nested in the stream", Header + "<s:stream xmlns:s='http://etherx.jabber.org/streams'>", StreamErrorConditions.BadFormat);
        yield return Case("root is not 'stream'", "<stream:features xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>", StreamErrorConditions.BadFormat);

        // The header's namespaces (RFC 6120 §4.8).
        yield return Case("wrong stream namespace", "<stream:stream xmlns='jabber:client' xmlns:stream='urn:wrong'>", StreamErrorConditions.InvalidNamespace);
        yield return Case("stream element without namespace", "<stream>", StreamErrorConditions.InvalidNamespace);
        yield return Case("stanza instead of a header", "<message xmlns='jabber:client'/>", StreamErrorConditions.InvalidNamespace);
        yield return Case("no content namespace", "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>", StreamErrorConditions.InvalidNamespace);
        yield return Case("server content namespace on a client stream", "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'>", StreamErrorConditions.InvalidNamespace);
        yield return Case("other stream prefix", "<s:stream xmlns='jabber:client' xmlns:s='http://etherx.jabber.org/streams'>", StreamErrorConditions.BadNamespacePrefix);
        yield return Case("unprefixed stream element", "<stream xmlns='http://etherx.jabber.org/streams'>", StreamErrorConditions.BadNamespacePrefix);

        // Encodings (RFC 6120 §11.6).
        yield return Case("Latin-1", "<?xml version='1.0' encoding='ISO-8859-1'?>" + Header, StreamErrorConditions.UnsupportedEncoding);
        yield return Case("UTF-16", "<?xml version='1.0' encoding='UTF-16'?>" + Header, StreamErrorConditions.UnsupportedEncoding);
    }

    private static IEnumerable<TestCaseData> FragmentModeCases()
    {
        yield return Case("XML declaration", "<?xml version='1.0'?><message/>", StreamErrorConditions.RestrictedXml);
        yield return Case("processing instruction", "<message/><?pi?>", StreamErrorConditions.RestrictedXml);
        yield return Case("comment", "<message/><!-- x -->", StreamErrorConditions.RestrictedXml);
        yield return Case("DOCTYPE", "<!DOCTYPE message><message/>", StreamErrorConditions.RestrictedXml);
        yield return Case("undeclared entity", "<message><body>&nbsp;</body></message>", StreamErrorConditions.RestrictedXml);
        yield return Case("stray end tag", "</message>", StreamErrorConditions.NotWellFormed);
        yield return Case("stream footer", "<message/></stream:stream>", StreamErrorConditions.NotWellFormed);
        yield return Case("mismatched tags", "<message></presence>", StreamErrorConditions.NotWellFormed);
        yield return Case("text between elements", "<message/>text", StreamErrorConditions.BadFormat);
        yield return Case("CDATA between elements", "<![CDATA[x]]>", StreamErrorConditions.BadFormat);
        yield return Case("stream header", "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>", StreamErrorConditions.BadFormat);
        yield return Case("stream header without declarations", "<stream:stream>", StreamErrorConditions.BadFormat);
        yield return Case("stream element with another prefix", "<s:stream xmlns:s='http://etherx.jabber.org/streams'>", StreamErrorConditions.BadFormat);
        yield return Case("unprefixed stream element", "<stream xmlns='http://etherx.jabber.org/streams'>", StreamErrorConditions.BadFormat);
        yield return Case("empty stream element", "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'/>", StreamErrorConditions.BadFormat);
    }

    [TestCaseSource(nameof(HeaderModeCases))]
    public void Header_mode_rejects_with_the_condition_fed_whole(string xml, string condition)
    {
        Assert.That(ParserHarness.ConditionOfWhole(xml), Is.EqualTo(condition));
    }

    [TestCaseSource(nameof(HeaderModeCases))]
    public void Header_mode_rejects_with_the_condition_fed_byte_by_byte(string xml, string condition)
    {
        Assert.That(ParserHarness.ConditionOf(Encoding.UTF8.GetBytes(xml), null, chunk: 1), Is.EqualTo(condition));
    }

    [TestCaseSource(nameof(FragmentModeCases))]
    public void Fragment_mode_rejects_with_the_condition_fed_whole(string xml, string condition)
    {
        Assert.That(ParserHarness.ConditionOfWhole(xml, ParserHarness.Fragment()), Is.EqualTo(condition));
    }

    [TestCaseSource(nameof(FragmentModeCases))]
    public void Fragment_mode_rejects_with_the_condition_fed_byte_by_byte(string xml, string condition)
    {
        Assert.That(ParserHarness.ConditionOf(Encoding.UTF8.GetBytes(xml), ParserHarness.Fragment(), chunk: 1), Is.EqualTo(condition));
    }

    [Test]
    public void Comment_is_rejected_before_it_ends()
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();
        parser.Parse(Encoding.UTF8.GetBytes(Header), events);

        var exception = Assert.Throws<XmlStreamException>(() => parser.Parse("<message><!-"u8, events));
        Assert.That(exception.Condition, Is.EqualTo(StreamErrorConditions.RestrictedXml));
    }

    [Test]
    public void Unknown_entity_is_rejected_at_its_semicolon_not_at_the_end_of_the_element()
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();
        parser.Parse(Encoding.UTF8.GetBytes(Header + "<message><body>&lol"), events);

        var exception = Assert.Throws<XmlStreamException>(() => parser.Parse(";"u8, events));
        Assert.That(exception.Condition, Is.EqualTo(StreamErrorConditions.RestrictedXml));
    }

    [TestCase("<message><body>x</m", TestName = "End tag of another element")]
    [TestCase("<message><body>x</bodyx", TestName = "End tag name longer than the start tag's")]
    [TestCase("<message><body>x</bod>", TestName = "End tag name shorter than the start tag's")]
    [TestCase("<message><b:body xmlns:b='urn:b'>x</body ", TestName = "End tag without the start tag's prefix")]
    public void Mismatched_end_tag_is_rejected_at_once_without_waiting_for_more_input(string xml)
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();
        parser.Parse(Encoding.UTF8.GetBytes(Header), events);

        var exception = Assert.Throws<XmlStreamException>(() => parser.Parse(Encoding.UTF8.GetBytes(xml), events));
        Assert.That(exception.Condition, Is.EqualTo(StreamErrorConditions.NotWellFormed));
    }

    [TestCase("<?xml version='1.0'?>")]
    [TestCase("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")]
    [TestCase("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>")]
    [TestCase("<?xml\tversion='1.0'\r\n?>")]
    public void Declarations_naming_utf8_or_nothing_are_accepted(string declaration)
    {
        List<object> events = ParserHarness.ParseWhole(declaration + "\n" + Header + "<presence/>");

        Assert.That(events.Select(ParserHarness.Describe), Has.Exactly(1).StartsWith("header").And.Exactly(1).StartsWith("element"));
    }

    [Test]
    public void Predefined_entities_and_character_references_are_accepted_everywhere()
    {
        List<object> events = ParserHarness.ParseWhole(
            Header + "<message id='&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x0043;'><body>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1f600;</body></message>");
        var message = (System.Xml.Linq.XElement)events[1];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(message.Attribute("id")?.Value, Is.EqualTo("<>&\"'ABC"));
            Assert.That(message.Value, Is.EqualTo("<>&\"'AB\U0001F600"));
        }
    }

    private static TestCaseData Case(string name, string xml, string condition) =>
        new TestCaseData(xml, condition).SetArgDisplayNames(name);
}
