using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

public class LimitTests
{
    private const string Header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    private static byte[] MessageOfSize(int bytes)
    {
        const string Open = "<message><body>";
        const string Close = "</body></message>";
        return Encoding.UTF8.GetBytes(Open + new string('a', bytes - Open.Length - Close.Length) + Close);
    }

    [TestCase(1)]
    [TestCase(100)]
    [TestCase(int.MaxValue)]
    public void Element_of_exactly_the_limit_is_accepted(int chunk)
    {
        var options = new XmlStreamParserOptions { MaxStanzaBytes = 500, ExpectStreamHeader = false };
        byte[] message = MessageOfSize(500);

        List<object> events = Feed(message, options, chunk);

        Assert.That(events.OfType<XElement>().Single().Value, Has.Length.EqualTo(500 - 32));
    }

    [TestCase(1)]
    [TestCase(100)]
    [TestCase(int.MaxValue)]
    public void Element_one_byte_over_the_limit_is_a_policy_violation(int chunk)
    {
        var options = new XmlStreamParserOptions { MaxStanzaBytes = 500, ExpectStreamHeader = false };

        Assert.That(ParserHarness.ConditionOf(MessageOfSize(501), options, chunk), Is.EqualTo(StreamErrorConditions.PolicyViolation));
    }

    [Test]
    public void Oversize_is_detected_while_the_element_is_still_open_and_buffering_stays_bounded()
    {
        var parser = new XmlStreamParser(new XmlStreamParserOptions { MaxStanzaBytes = 4096 });
        var events = new List<object>();
        parser.Parse(Encoding.UTF8.GetBytes(Header + "<message><body>"), events);
        byte[] chunk = Encoding.UTF8.GetBytes(new string('x', 1000));

        XmlStreamException? failure = null;
        int fed = 0;
        while (failure is null && fed < 100)
        {
            try
            {
                parser.Parse(chunk, events);
                fed++;
                Assert.That(parser.BufferedBytes, Is.LessThanOrEqualTo(4096));
            }
            catch (XmlStreamException exception)
            {
                failure = exception;
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure?.Condition, Is.EqualTo(StreamErrorConditions.PolicyViolation));
            Assert.That(fed, Is.EqualTo(4), "the fifth kilobyte crosses the limit; the element never ended");
            Assert.That(parser.BufferedBytes, Is.Zero, "a faulted parser holds nothing");
        }
    }

    [Test]
    public void Oversize_stops_scanning_at_the_limit_in_one_large_chunk()
    {
        // Past the limit lies a comment: reaching it would report restricted-xml instead.
        string xml = Header + "<message><body>" + new string('a', 10_000) + "<!-- never scanned -->";
        var options = new XmlStreamParserOptions { MaxStanzaBytes = 1000 };

        Assert.That(ParserHarness.ConditionOfWhole(xml, options), Is.EqualTo(StreamErrorConditions.PolicyViolation));
    }

    [TestCase("<message id='", TestName = "Unterminated attribute value")]
    [TestCase("<message><![CDATA[", TestName = "Unterminated CDATA section")]
    [TestCase("<message", TestName = "Unterminated element name")]
    [TestCase("<message ", TestName = "Unterminated start tag")]
    [TestCase("<message></message ", TestName = "Unterminated end tag")]
    [TestCase("<message>&#", TestName = "Unterminated character reference")]
    [TestCase("<message>&a", TestName = "Unterminated entity reference")]
    public void Unterminated_constructs_cannot_grow_past_the_limit(string start)
    {
        var options = new XmlStreamParserOptions { MaxStanzaBytes = 2000 };
        string filler = start.EndsWith("&#", StringComparison.Ordinal) ? new string('1', 5000)
            : start.EndsWith("&a", StringComparison.Ordinal) || start.EndsWith("message", StringComparison.Ordinal) ? new string('b', 5000)
            : new string(' ', 5000);
        byte[] bytes = Encoding.UTF8.GetBytes(Header + start + filler);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ParserHarness.ConditionOf(bytes, options, chunk: 300), Is.EqualTo(StreamErrorConditions.PolicyViolation));
            Assert.That(ParserHarness.ConditionOf(bytes, options, chunk: int.MaxValue), Is.EqualTo(StreamErrorConditions.PolicyViolation));
        }
    }

    [Test]
    public void Header_is_bounded_by_the_limit()
    {
        string xml = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='" + new string('i', 300) + "'>";
        var options = new XmlStreamParserOptions { MaxStanzaBytes = 200 };

        Assert.That(ParserHarness.ConditionOfWhole(xml, options), Is.EqualTo(StreamErrorConditions.PolicyViolation));
    }

    [Test]
    public void Declaration_is_bounded_by_the_limit()
    {
        string xml = "<?xml version='1.0'" + new string(' ', 300);
        var options = new XmlStreamParserOptions { MaxStanzaBytes = 200 };

        Assert.That(ParserHarness.ConditionOfWhole(xml, options), Is.EqualTo(StreamErrorConditions.PolicyViolation));
    }

    [Test]
    public void Limit_applies_per_element_not_to_the_stream()
    {
        var options = new XmlStreamParserOptions { MaxStanzaBytes = 100 };
        var builder = new StringBuilder(Header);
        for (int i = 0; i < 1000; i++)
        {
            builder.Append("<presence id='").Append(i).Append("'/>").Append(' ', 200);
        }

        List<object> events = ParserHarness.ParseWhole(builder.ToString(), options);

        Assert.That(events.OfType<XElement>().Count(), Is.EqualTo(1000));
    }

    [Test]
    public void Depth_at_the_limit_is_accepted()
    {
        var options = new XmlStreamParserOptions { MaxDepth = 3 };

        List<object> events = ParserHarness.ParseWhole(Header + "<a><b><c/></b><b><c>x</c></b></a>", options);

        Assert.That(events.OfType<XElement>().Single().Descendants().Count(), Is.EqualTo(4));
    }

    [TestCase("<a><b><c><d/></c></b></a>", TestName = "Empty element one level too deep")]
    [TestCase("<a><b><c><d>x</d></c></b></a>", TestName = "Element one level too deep")]
    public void Depth_over_the_limit_is_a_policy_violation(string xml)
    {
        var options = new XmlStreamParserOptions { MaxDepth = 3 };
        byte[] bytes = Encoding.UTF8.GetBytes(Header + xml);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ParserHarness.ConditionOf(bytes, options, chunk: int.MaxValue), Is.EqualTo(StreamErrorConditions.PolicyViolation));
            Assert.That(ParserHarness.ConditionOf(bytes, options, chunk: 1), Is.EqualTo(StreamErrorConditions.PolicyViolation));
        }
    }

    [Test]
    public void Depth_applies_in_fragment_mode_with_the_top_level_element_at_depth_one()
    {
        var options = new XmlStreamParserOptions { MaxDepth = 2, ExpectStreamHeader = false };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ParserHarness.ParseWhole("<a><b/></a><a><b>x</b></a>", options), Has.Count.EqualTo(2));
            Assert.That(ParserHarness.ConditionOfWhole("<a><b><c/></b></a>", options), Is.EqualTo(StreamErrorConditions.PolicyViolation));
        }
    }

    [Test]
    public void Too_deep_nesting_fails_as_soon_as_the_deep_tag_opens()
    {
        var parser = new XmlStreamParser(new XmlStreamParserOptions { MaxDepth = 64 });
        var events = new List<object>();
        parser.Parse(Encoding.UTF8.GetBytes(Header + string.Concat(Enumerable.Repeat("<a>", 64))), events);

        var exception = Assert.Throws<XmlStreamException>(() => parser.Parse("<a"u8, events));
        Assert.That(exception.Condition, Is.EqualTo(StreamErrorConditions.PolicyViolation));
    }

    [Test]
    public void Default_depth_limit_stops_a_deep_nesting_attack()
    {
        string xml = Header + string.Concat(Enumerable.Repeat("<a>", 100_000));

        Assert.That(ParserHarness.ConditionOfWhole(xml), Is.EqualTo(StreamErrorConditions.PolicyViolation));
    }

    [Test]
    public void Default_options_are_those_documented()
    {
        var options = new XmlStreamParserOptions();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.MaxStanzaBytes, Is.EqualTo(262_144));
            Assert.That(options.MaxDepth, Is.EqualTo(64));
            Assert.That(options.ExpectStreamHeader, Is.True);
            Assert.That(options.DefaultNamespace, Is.EqualTo(XmppNamespaces.Client));
        }
    }

    [TestCase(0, 64)]
    [TestCase(-1, 64)]
    [TestCase(1000, 0)]
    [TestCase(1000, -5)]
    public void Limits_must_be_positive(int maxBytes, int maxDepth)
    {
        var options = new XmlStreamParserOptions { MaxStanzaBytes = maxBytes, MaxDepth = maxDepth };

        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new XmlStreamParser(options));
    }

    [Test]
    public void Options_are_copied_when_the_parser_is_created()
    {
        var options = new XmlStreamParserOptions { MaxStanzaBytes = 1000 };
        var parser = new XmlStreamParser(options);
        options.MaxStanzaBytes = 10;
        var events = new List<object>();

        parser.Parse(Encoding.UTF8.GetBytes(Header + "<message><body>long enough to pass ten bytes</body></message>"), events);

        Assert.That(events, Has.Count.EqualTo(2));
    }

    private static List<object> Feed(byte[] bytes, XmlStreamParserOptions options, int chunk)
    {
        var parser = new XmlStreamParser(options);
        var events = new List<object>();
        for (int i = 0; i < bytes.Length; i += chunk)
        {
            parser.Parse(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)), events);
        }

        return events;
    }
}
