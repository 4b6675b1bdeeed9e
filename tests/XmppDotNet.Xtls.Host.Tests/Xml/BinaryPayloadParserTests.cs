using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

/// <summary>
/// Binary payload elements: the expected shape comes out as a <see cref="PayloadStanza"/> with the text as bytes;
/// every other shape comes out exactly as it would without the option; every payload buffer is released once.
/// </summary>
[TestFixture]
public sealed class BinaryPayloadParserTests
{
    private static readonly XNamespace Client = XmppNamespaces.Client;
    private static readonly string[] TwoTexts = ["QUJD", "REVG"];
    private RecordingAllocator _allocator = null!;

    [SetUp]
    public void SetUp() => _allocator = new RecordingAllocator();

    [TearDown]
    public void TearDown() => Assert.That(_allocator.Live, Is.Empty, "every payload buffer is released");

    [Test]
    public void A_stanza_with_a_payload_element_comes_out_as_its_skeleton_and_the_text_as_bytes()
    {
        string text = PayloadFixtures.Text(300);
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header + PayloadFixtures.Iq(text));

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(), _allocator);

        Assert.That(events, Has.Count.EqualTo(2));
        using var payload = new Releasing(events[1]);
        PayloadStanza stanza = payload.Stanza;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stanza.Stanza.Name, Is.EqualTo(Client + "iq"));
            Assert.That((string?)stanza.Stanza.Attribute("id"), Is.EqualTo("d1"));
            Assert.That(stanza.PayloadElement.Name, Is.EqualTo(PayloadFixtures.ChunkName));
            Assert.That((string?)stanza.PayloadElement.Attribute("sid"), Is.EqualTo("x"));
            Assert.That(stanza.PayloadElement.Nodes(), Is.Empty);
            Assert.That(stanza.Content.ToString(Encoding.ASCII), Is.EqualTo(text));
        }
    }

    [Test]
    public void Whole_split_in_two_anywhere_and_byte_by_byte_give_the_same_stanza_as_the_ordinary_parse()
    {
        string xml = PayloadFixtures.Header + PayloadFixtures.Iq(PayloadFixtures.Text(64)) + "<message to='b@example.org'><body>hi</body></message>" +
            PayloadFixtures.Iq("QUJD\n  REVG\tR0g=", "d2");
        byte[] input = Encoding.UTF8.GetBytes(xml);
        List<string> ordinary = PayloadFixtures.Render(ParserHarness.ParseWhole(input));
        List<string> expected = ordinary.Select(e => e.StartsWith("<iq", StringComparison.Ordinal) ? "payload:" + e : e).ToList();

        Assert.That(PayloadFixtures.Render(PayloadFixtures.Parse(input, PayloadFixtures.Options(), _allocator)), Is.EqualTo(expected));
        Assert.That(PayloadFixtures.Render(PayloadFixtures.Parse(input, PayloadFixtures.Options(), _allocator, chunk: 1)), Is.EqualTo(expected));
        for (int at = 1; at < input.Length; at++)
        {
            var parser = new XmlStreamParser(PayloadFixtures.Options()) { PayloadAllocator = _allocator };
            var events = new List<object>();
            parser.Parse(input.AsSpan(0, at), events);
            parser.Parse(input.AsSpan(at), events);
            Assert.That(PayloadFixtures.Render(events), Is.EqualTo(expected), $"split at {at}");
        }
    }

    [Test]
    public void Fragment_mode_delivers_payloads_too()
    {
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Iq("QUJD"));

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(header: false), _allocator);

        Assert.That(PayloadFixtures.Render(events), Is.EqualTo(new[] { "payload:" + PayloadFixtures.Render(ParserHarness.ParseWhole(input, ParserHarness.Fragment()))[0] }));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(1024)]
    public void A_payload_up_to_the_limit_is_delivered_as_bytes(int length)
    {
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header + PayloadFixtures.Iq(PayloadFixtures.Text(length)));

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(maxBytes: 1024), _allocator);

        using var payload = new Releasing(events[1]);
        Assert.That(payload.Stanza.Content.ReadableBytes, Is.EqualTo(length));
    }

    [Test]
    public void A_payload_over_the_limit_is_an_ordinary_element_with_the_same_text()
    {
        string text = PayloadFixtures.Text(1025);
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header + PayloadFixtures.Iq(text));

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(maxBytes: 1024), _allocator);

        Assert.That(events[1], Is.InstanceOf<XElement>());
        Assert.That(((XElement)events[1]).Element(PayloadFixtures.ChunkName)!.Value, Is.EqualTo(text));
    }

    // Each of these is out of profile: the element comes out as without the option (same text, same children).
    [TestCase("QUJD*REVG", TestName = "A character outside the allowed set")]
    [TestCase("QUJDé", TestName = "A non-ASCII character")]
    [TestCase("QUJD\r\nREVG", TestName = "A carriage return, which XML turns into a line feed")]
    [TestCase("QU&amp;JD", TestName = "An entity reference")]
    [TestCase("QU&#65;JD", TestName = "A character reference")]
    [TestCase("QU&#x41;JD", TestName = "A hexadecimal character reference")]
    [TestCase("<![CDATA[QUJD]]>", TestName = "A CDATA section")]
    [TestCase("QUJD<![CDATA[REVG]]>", TestName = "Text then a CDATA section")]
    [TestCase("QUJD<x/>REVG", TestName = "A child element")]
    [TestCase("<x>QUJD</x>", TestName = "Only a child element")]
    [TestCase("QUJD]]", TestName = "A closing bracket")]
    public void Out_of_profile_content_is_parsed_the_ordinary_way(string content)
    {
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header + PayloadFixtures.Iq(content));

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(), _allocator);

        Assert.That(events[1], Is.InstanceOf<XElement>());
        Assert.That(PayloadFixtures.Render(events), Is.EqualTo(PayloadFixtures.Render(ParserHarness.ParseWhole(input))));
    }

    [Test]
    public void Two_payload_elements_in_one_stanza_are_parsed_the_ordinary_way()
    {
        string xml = PayloadFixtures.Header +
            $"<iq type='set' id='d1'><chunk xmlns='{PayloadFixtures.Namespace}'>QUJD</chunk><chunk xmlns='{PayloadFixtures.Namespace}'>REVG</chunk></iq>";
        byte[] input = Encoding.UTF8.GetBytes(xml);

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(), _allocator);

        Assert.That(events[1], Is.InstanceOf<XElement>());
        Assert.That(((XElement)events[1]).Elements().Select(e => e.Value), Is.EqualTo(TwoTexts));
    }

    [Test]
    public void The_same_local_name_in_another_namespace_keeps_its_text_as_a_string()
    {
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header + "<iq type='set' id='d1'><chunk xmlns='urn:other'>QUJD</chunk></iq>");

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(), _allocator);

        Assert.That(PayloadFixtures.Render(events), Is.EqualTo(PayloadFixtures.Render(ParserHarness.ParseWhole(input))));
        Assert.That(_allocator.Allocated, Has.Count.EqualTo(1), "the candidate's buffer was allocated and released");
    }

    [Test]
    public void An_empty_sibling_of_the_same_name_before_the_payload_element_keeps_nothing_of_it()
    {
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header +
            $"<iq type='set' id='d1'><chunk xmlns='{PayloadFixtures.Namespace}' seq='0'/><chunk xmlns='{PayloadFixtures.Namespace}' seq='1'>QUJD</chunk></iq>");

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(), _allocator);

        using var payload = new Releasing(events[1]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)payload.Stanza.PayloadElement.Attribute("seq"), Is.EqualTo("1"));
            Assert.That(payload.Stanza.Content.ToString(Encoding.ASCII), Is.EqualTo("QUJD"));
            Assert.That(
                payload.Stanza.ToXElement().ToString(SaveOptions.DisableFormatting),
                Is.EqualTo(((XElement)ParserHarness.ParseWhole(input)[1]).ToString(SaveOptions.DisableFormatting)));
        }
    }

    [Test]
    public void An_empty_sibling_of_the_same_local_name_before_one_in_another_namespace_keeps_nothing_of_it()
    {
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header + "<iq type='set' id='d1'><chunk/><chunk xmlns='urn:other'>QUJD</chunk></iq>");

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(), _allocator);

        Assert.That(PayloadFixtures.Render(events), Is.EqualTo(PayloadFixtures.Render(ParserHarness.ParseWhole(input))));
    }

    [Test]
    public void A_prefixed_payload_element_is_recognised_by_its_namespace()
    {
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header + $"<iq type='set' id='d1'><c:chunk xmlns:c='{PayloadFixtures.Namespace}'>QUJD</c:chunk></iq>");

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(), _allocator);

        using var payload = new Releasing(events[1]);
        Assert.That(payload.Stanza.PayloadElement.Name, Is.EqualTo(PayloadFixtures.ChunkName));
        Assert.That(payload.Stanza.Content.ToString(Encoding.ASCII), Is.EqualTo("QUJD"));
    }

    [Test]
    public void A_payload_element_deeper_than_a_direct_child_stays_text()
    {
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header + $"<iq type='set' id='d1'><wrap xmlns='urn:w'><chunk xmlns='{PayloadFixtures.Namespace}'>QUJD</chunk></wrap></iq>");

        List<object> events = PayloadFixtures.Parse(input, PayloadFixtures.Options(), _allocator);

        Assert.That(events[1], Is.InstanceOf<XElement>());
        Assert.That(_allocator.Allocated, Is.Empty);
    }

    [Test]
    public void A_malformed_stanza_around_a_payload_fails_and_releases_the_payload()
    {
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header + $"<iq type='set' id='d1'><chunk xmlns='{PayloadFixtures.Namespace}'>QUJD</chunk><x a=b/></iq>");
        var parser = new XmlStreamParser(PayloadFixtures.Options()) { PayloadAllocator = _allocator };
        var events = new List<object>();

        Assert.Throws<XmlStreamException>(() => parser.Parse(input, events));

        Assert.That(events, Has.Count.EqualTo(1), "only the header");
        Assert.That(_allocator.Allocated, Has.Count.EqualTo(1));
    }

    [Test]
    public void Invalid_utf8_after_a_payload_is_still_rejected()
    {
        byte[] head = Encoding.UTF8.GetBytes(PayloadFixtures.Header + $"<iq type='set' id='d1'><chunk xmlns='{PayloadFixtures.Namespace}'>QUJD</chunk><b>");
        byte[] input = [.. head, 0xC3, 0x28, .. "</b></iq>"u8];

        Assert.That(ParserHarness.ConditionOf(input, PayloadFixtures.Options(), chunk: int.MaxValue), Is.EqualTo(StreamErrorConditions.NotWellFormed));
    }

    [Test]
    public void A_stream_ending_mid_payload_leaves_nothing_allocated_after_a_reset()
    {
        byte[] input = Encoding.UTF8.GetBytes(PayloadFixtures.Header + $"<iq type='set' id='d1'><chunk xmlns='{PayloadFixtures.Namespace}'>QUJD");
        var parser = new XmlStreamParser(PayloadFixtures.Options()) { PayloadAllocator = _allocator };
        var events = new List<object>();

        parser.Parse(input, events);
        parser.Reset();
        parser.Parse(Encoding.UTF8.GetBytes(PayloadFixtures.Header + PayloadFixtures.Iq("REVG")), events);

        Assert.That(PayloadFixtures.Render(events)[^1], Does.StartWith("payload:").And.Contain(">REVG<"));
    }

    [Test]
    public void Allowed_characters_that_xml_would_change_or_that_end_markup_are_refused()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentException>(() => new BinaryPayloadElement(PayloadFixtures.ChunkName, 10, "AB\r"));
            Assert.Throws<ArgumentException>(() => new BinaryPayloadElement(PayloadFixtures.ChunkName, 10, "AB<"));
            Assert.Throws<ArgumentException>(() => new BinaryPayloadElement(PayloadFixtures.ChunkName, 10, "AB&"));
            Assert.Throws<ArgumentException>(() => new BinaryPayloadElement(PayloadFixtures.ChunkName, 10, "AB]"));
            Assert.Throws<ArgumentException>(() => new BinaryPayloadElement(PayloadFixtures.ChunkName, 10, "ABé"));
            Assert.Throws<ArgumentException>(() => new BinaryPayloadElement(XName.Get("chunk"), 10, "AB"));
            Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryPayloadElement(PayloadFixtures.ChunkName, -1, "AB"));
        }
    }

    /// <summary>Takes a <see cref="PayloadStanza"/> from the events and releases it at the end of the test.</summary>
    private sealed class Releasing(object @event) : IDisposable
    {
        public PayloadStanza Stanza { get; } = @event as PayloadStanza ?? throw new AssertionException($"Expected a PayloadStanza, got {@event.GetType().Name}.");

        public void Dispose() => Stanza.Release();
    }
}
