using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml.FastPath;

/// <summary>
/// Each construct the fast path accepts gives XmlReader's element; each it declines goes to XmlReader, so that
/// <see cref="RestrictedXmlReader.ReadElement"/> gives today's element or today's error.
/// </summary>
public class FastElementReaderTests
{
    private static readonly string[] AttributeOrder = ["b", "{http://www.w3.org/2000/xmlns/}p", "a", "xmlns", "{urn:p}c"];

    private static IEnumerable<TestCaseData> Accepted()
    {
        yield return Case("empty element", "<message/>");
        yield return Case("start and end tag with nothing between", "<message></message>");
        yield return Case("attributes in both quotes, in order", "<message to='a@b/c' from=\"d@e\" id='1' type='chat'/>");
        yield return Case("whitespace inside tags", "<message \t\r\n to = 'a' \n id\t=\t\"1\"\n></message \n>");
        yield return Case("text with the five entities", "<body>&lt;&gt;&amp;&apos;&quot; and more</body>");
        yield return Case("entities in an attribute value", "<x a='&lt;&amp;&gt;&quot;&apos;'/>");
        yield return Case("decimal and hex character references", "<body>&#65;&#x42;&#x00043;&#x1F600;&#xe9;&#xE9;</body>");
        yield return Case("references to whitespace, kept as they are", "<x a='&#9;&#10;&#13;&#x20;'>&#13;&#10;&#9;</x>");
        yield return Case("astral and other non-ASCII text", "<body>😀 ünïcödé € \u00A0\u2028\uFDD0</body>");
        yield return Case("'>' and ']' in text, '>' in a value", "<body a='>'>a > b ] ]] x</body>");
        yield return Case("LF and TAB in text", "<body>\n\tline\n</body>");
        yield return Case("whitespace-only text between children", "<message>\n  <body>x</body>\n  <thread>t</thread>\n</message>");
        yield return Case("mixed content", "<p>a<b>c</b>d<e/>f</p>");
        yield return Case("default namespace declared", "<iq><query xmlns='jabber:iq:roster'><item jid='a@b'/></query></iq>");
        yield return Case("default namespace undeclared", "<iq><query xmlns=''/></iq>");
        yield return Case("prefix declared and used on elements and attributes", "<p:x xmlns:p='urn:p' p:a='1' b='2'><p:y p:c='3'/></p:x>");
        yield return Case("declaration after the attribute that uses it", "<x p:a='1' xmlns:p='urn:p'/>");
        yield return Case("prefix redeclared inside", "<p:x xmlns:p='urn:p'><p:y xmlns:p='urn:q'/><p:z/></p:x>");
        yield return Case("prefix passed in from the stream header", "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
        yield return Case("xml:lang", "<message xml:lang='en'><body xml:lang='de'>x</body></message>");
        yield return Case("namespace with an entity", "<x xmlns='a&amp;b'/>");
        yield return Case("names with '_', '-', '.' and digits", "<_a-b.c1 d-e.f_2='x'/>");
        yield return Case("an element in the stream namespace's prefix but the default namespace", "<stream:x xmlns='urn:y'/>");
        yield return Case("as many declarations in scope as allowed", $"<x {Declarations(0, 32)}><p63:y {Declarations(32, 32)}><p0:z/></p63:y></x>");
    }

    private static IEnumerable<TestCaseData> Declined()
    {
        yield return Case("comment", "<message><!--c--></message>");
        yield return Case("processing instruction", "<message><?pi x?></message>");
        yield return Case("CDATA section", "<body><![CDATA[x]]></body>");
        yield return Case("DOCTYPE", "<!DOCTYPE x><x/>");
        yield return Case("XML declaration", "<?xml version='1.0'?><x/>");
        yield return Case("other entity", "<body>&nbsp;</body>");
        yield return Case("entity without ';'", "<body>&amp</body>");
        yield return Case("bare '&'", "<body>a & b</body>");
        yield return Case("upper-case X in a hex reference", "<body>&#X41;</body>");
        yield return Case("reference to NUL", "<body>&#0;</body>");
        yield return Case("reference to a surrogate", "<body>&#xD800;</body>");
        yield return Case("reference to U+FFFE", "<body>&#xFFFE;</body>");
        yield return Case("reference beyond U+10FFFF", "<body>&#x110000;</body>");
        yield return Case("huge decimal reference", "<body>&#99999999999999999999;</body>");
        yield return Case("empty reference", "<body>&#;&#x;</body>");
        yield return Case("CR in text", "<body>a\r\nb</body>");
        yield return Case("']]>' in text", "<body>a]]>b</body>");
        yield return Case("control character in text", "<body>a\u0001b</body>");
        yield return Case("U+FFFF in text", "<body>a\uFFFFb</body>");
        yield return Case("U+FFFE in a value", "<x a='\uFFFE'/>");
        yield return Case("TAB in a value", "<x a='a\tb'/>");
        yield return Case("LF in a value", "<x a='a\nb'/>");
        yield return Case("CR in a value", "<x a='a\rb'/>");
        yield return Case("'<' in a value", "<x a='a<b'/>");
        yield return Case("unquoted value", "<x a=b/>");
        yield return Case("no whitespace between attributes", "<x a='1'b='2'/>");
        yield return Case("duplicate attribute", "<x a='1' a='2'/>");
        yield return Case("duplicate expanded attribute name", "<x xmlns:p='urn:p' xmlns:q='urn:p' p:a='1' q:a='2'/>");
        yield return Case("duplicate declaration", "<x xmlns:p='urn:p' xmlns:p='urn:q'/>");
        yield return Case("undeclared prefix", "<p:x/>");
        yield return Case("undeclared attribute prefix", "<x p:a='1'/>");
        yield return Case("prefix declared in a sibling only", "<x><y xmlns:p='urn:p'/><p:z/></x>");
        yield return Case("prefixed declaration of no namespace", "<x xmlns:p=''/>");
        yield return Case("xml prefix declared", "<x xmlns:xml='http://www.w3.org/XML/1998/namespace'/>");
        yield return Case("xmlns prefix declared", "<x xmlns:xmlns='urn:x'/>");
        yield return Case("xml namespace bound to another prefix", "<x xmlns:p='http://www.w3.org/XML/1998/namespace'/>");
        yield return Case("xmlns namespace as the default", "<x xmlns='http://www.w3.org/2000/xmlns/'/>");
        yield return Case("element with the xmlns prefix", "<xmlns:x/>");
        yield return Case("element with the xml prefix", "<xml:x/>");
        yield return Case("element named xmlns", "<xmlns/>");
        yield return Case("xml:space", "<x xml:space='preserve'/>");
        yield return Case("bad xml:space", "<x xml:space='maybe'/>");
        yield return Case("non-ASCII name", "<méssage/>");
        yield return Case("non-ASCII attribute name", "<x é='1'/>");
        yield return Case("two colons", "<p:q:x xmlns:p='urn:p'/>");
        yield return Case("name starting with a digit", "<1x/>");
        yield return Case("mismatched end tag", "<x></y>");
        yield return Case("end tag longer than the start tag", "<x></xy>");
        yield return Case("unclosed element", "<x><y></y>");
        yield return Case("text after the element", "<x/>tail");
        yield return Case("whitespace after the element", "<x/> ");
        yield return Case("second element", "<x/><y/>");
        yield return Case("whitespace before the element", " <x/>");
        yield return Case("space after '<'", "< x/>");
        yield return Case("'/ >'", "<x/ >");
        yield return Case("empty input", string.Empty);
        yield return Case("too many attributes", "<x " + string.Join(' ', Enumerable.Range(0, FastElementReader.MaxAttributes + 1).Select(i => $"a{i}='{i}'")) + "/>");
        yield return Case("too many declarations in scope", $"<x {Declarations(0, 32)}><y {Declarations(32, 32)}><z {Declarations(64, 1)}/></y></x>");
        yield return Case("too deep", string.Concat(Enumerable.Repeat("<x>", FastElementReader.MaxDepth + 1)) + string.Concat(Enumerable.Repeat("</x>", FastElementReader.MaxDepth + 1)));
    }

    [TestCaseSource(nameof(Accepted))]
    public void Accepted_construct_reads_as_XmlReader_reads_it(string xml)
    {
        ReadOutcome outcome = ReadOutcome.Of(Encoding.UTF8.GetBytes(xml), ReadOutcome.Stream);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Accepted, Is.True, "the fast path declined");
            Assert.That(outcome.Fast, Is.EqualTo(outcome.Full));
            Assert.That(outcome.Full, Does.Not.StartWith("error"));
        }
    }

    [TestCaseSource(nameof(Declined))]
    public void Declined_construct_is_left_to_XmlReader(string xml)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(xml);
        Assert.That(FastElementReader.TryRead(bytes, ReadOutcome.Stream), Is.Null);

        // Through ReadElement: exactly the XmlReader path's element or error.
        string viaReadElement = Read(() => RestrictedXmlReader.ReadElement(bytes, bytes.Length, ReadOutcome.Stream));
        string viaXmlReader = Read(() => RestrictedXmlReader.ReadElementWithXmlReader(bytes, bytes.Length, ReadOutcome.Stream));
        Assert.That(viaReadElement, Is.EqualTo(viaXmlReader));
    }

    [Test]
    public void Empty_element_and_empty_content_stay_apart()
    {
        XElement? empty = FastElementReader.TryRead("<x/>"u8, []);
        XElement? pair = FastElementReader.TryRead("<x></x>"u8, []);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(empty!.IsEmpty, Is.True);
            Assert.That(pair!.IsEmpty, Is.False);
            Assert.That(pair.ToString(SaveOptions.DisableFormatting), Is.EqualTo("<x></x>"));
        }
    }

    [Test]
    public void Attributes_keep_their_order_and_namespace_declarations()
    {
        XElement? element = FastElementReader.TryRead("<p:x b='1' xmlns:p='urn:p' a='2' xmlns='urn:d' p:c='3'/>"u8, []);
        Assert.That(
            element!.Attributes().Select(a => a.Name.ToString()),
            Is.EqualTo(AttributeOrder));
    }

    [Test]
    public void Long_text_is_one_text_node()
    {
        string body = new('a', 20_000);
        XElement? element = FastElementReader.TryRead(Encoding.UTF8.GetBytes($"<body>{body}&amp;{body}</body>"), []);
        Assert.That(element!.Nodes().Single(), Is.TypeOf<XText>().With.Property(nameof(XText.Value)).EqualTo(body + "&" + body));
    }

    [Test]
    public void Stream_prefix_needed_by_a_stanza_is_declared_on_it_as_before()
    {
        byte[] bytes = "<stream:x xmlns='urn:y'/>"u8.ToArray();
        XElement element = RestrictedXmlReader.ReadElement(bytes, bytes.Length, ReadOutcome.Stream);
        Assert.That(element.ToString(SaveOptions.DisableFormatting), Is.EqualTo("<stream:x xmlns=\"urn:y\" xmlns:stream=\"http://etherx.jabber.org/streams\" />"));
    }

    [Test]
    public void Reserved_binding_passed_in_is_left_to_XmlReader()
    {
        Assert.That(FastElementReader.TryRead("<x/>"u8, [new("xml", "urn:x")]), Is.Null);
    }

    private static string Read(Func<XElement> read)
    {
        try
        {
            return XmlStructure.Describe(read());
        }
        catch (XmlStreamException exception)
        {
            return "error: " + exception.Condition;
        }
        catch (ArgumentException exception)
        {
            return "argument: " + exception.GetType().Name;
        }
    }

    private static string Declarations(int first, int count) =>
        string.Join(' ', Enumerable.Range(first, count).Select(i => $"xmlns:p{i}='urn:{i}'"));

    private static TestCaseData Case(string name, string xml) => new TestCaseData(xml).SetArgDisplayNames(name);
}
