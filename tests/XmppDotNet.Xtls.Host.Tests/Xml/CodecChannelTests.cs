using System.Text;
using System.Xml.Linq;
using DotNetty.Buffers;
using DotNetty.Codecs;
using DotNetty.Transport.Channels.Embedded;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

public class CodecChannelTests
{
    private static readonly XNamespace Client = XmppNamespaces.Client;

    [Test]
    public void Decoder_fires_the_events_of_a_whole_stream()
    {
        var channel = new EmbeddedChannel(new XmlStreamDecoder());

        channel.WriteInbound(Unpooled.WrappedBuffer(RealisticStreams.ServerStreamBytes));

        Assert.That(ParserHarness.Describe(ReadAllInbound(channel)), Is.EqualTo(ParserHarness.Describe(ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes))));
        channel.Finish();
    }

    [TestCase(1)]
    [TestCase(100)]
    [TestCase(777)]
    public void Decoder_fires_the_same_events_for_a_split_feed(int at)
    {
        var channel = new EmbeddedChannel(new XmlStreamDecoder());
        byte[] bytes = RealisticStreams.ServerStreamBytes;

        channel.WriteInbound(Unpooled.WrappedBuffer(bytes, 0, at));
        channel.WriteInbound(Unpooled.WrappedBuffer(bytes, at, bytes.Length - at));

        Assert.That(ParserHarness.Describe(ReadAllInbound(channel)), Is.EqualTo(ParserHarness.Describe(ParserHarness.ParseWhole(bytes))));
        channel.Finish();
    }

    [Test]
    public void Decoder_keeps_an_incomplete_element_in_the_parser_not_the_channel_buffer()
    {
        var decoder = new XmlStreamDecoder();
        var channel = new EmbeddedChannel(decoder);

        channel.WriteInbound(Unpooled.WrappedBuffer(Encoding.UTF8.GetBytes(
            "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><message><bo")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ReadAllInbound(channel).Single(), Is.InstanceOf<StreamHeader>());
            Assert.That(decoder.BufferedBytes, Is.EqualTo(12));
        }

        channel.WriteInbound(Unpooled.WrappedBuffer("dy>hi</body></message>"u8.ToArray()));
        Assert.That(((XElement)ReadAllInbound(channel).Single()).Value, Is.EqualTo("hi"));
        channel.Finish();
    }

    [Test]
    public void Decoder_reads_composite_buffers_segment_by_segment()
    {
        var channel = new EmbeddedChannel(new XmlStreamDecoder(ParserHarness.Fragment()));
        byte[] bytes = RealisticStreams.InnerStreamBytes;
        CompositeByteBuffer composite = Unpooled.CompositeBuffer();
        composite.AddComponents(true, Unpooled.WrappedBuffer(bytes, 0, 10), Unpooled.WrappedBuffer(bytes, 10, 51), Unpooled.WrappedBuffer(bytes, 61, bytes.Length - 61));

        channel.WriteInbound(composite);

        Assert.That(
            ParserHarness.Describe(ReadAllInbound(channel)),
            Is.EqualTo(ParserHarness.Describe(ParserHarness.ParseWhole(bytes, ParserHarness.Fragment()))));
        channel.Finish();
    }

    [Test]
    public void Decoder_error_arrives_as_a_decoder_exception_that_unwraps_to_the_condition()
    {
        var channel = new EmbeddedChannel(new XmlStreamDecoder());
        byte[] bytes = Encoding.UTF8.GetBytes(
            "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><presence/><!-- no -->");

        Exception thrown = Assert.Catch(() => channel.WriteInbound(Unpooled.WrappedBuffer(bytes)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown, Is.InstanceOf<DecoderException>());
            Assert.That(XmlStreamDecoder.Unwrap(thrown)?.Condition, Is.EqualTo(StreamErrorConditions.RestrictedXml));
            Assert.That(ReadAllInbound(channel).Select(e => e.GetType()), Is.EqualTo(new[] { typeof(StreamHeader), typeof(XElement) }), "events before the error are still fired");
        }
    }

    [Test]
    public void Decoder_keeps_failing_after_an_error_until_reset()
    {
        var decoder = new XmlStreamDecoder(ParserHarness.Fragment());
        var channel = new EmbeddedChannel(decoder);
        Assert.Catch(() => channel.WriteInbound(Unpooled.WrappedBuffer("text"u8.ToArray())));

        Exception again = Assert.Catch(() => channel.WriteInbound(Unpooled.WrappedBuffer("<presence/>"u8.ToArray())));
        Assert.That(XmlStreamDecoder.Unwrap(again)?.Condition, Is.EqualTo(StreamErrorConditions.BadFormat));

        decoder.Reset();
        channel.WriteInbound(Unpooled.WrappedBuffer("<presence/>"u8.ToArray()));
        Assert.That(ReadAllInbound(channel).Single(), Is.InstanceOf<XElement>());
        channel.Finish();
    }

    [Test]
    public void Decoder_reset_starts_a_new_stream()
    {
        var decoder = new XmlStreamDecoder();
        var channel = new EmbeddedChannel(decoder);
        const string Header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        channel.WriteInbound(Unpooled.WrappedBuffer(Encoding.UTF8.GetBytes(Header + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")));

        decoder.Reset();
        channel.WriteInbound(Unpooled.WrappedBuffer(Encoding.UTF8.GetBytes(Header)));

        Assert.That(ReadAllInbound(channel).Select(e => e.GetType()), Is.EqualTo(new[] { typeof(StreamHeader), typeof(XElement), typeof(StreamHeader) }));
        channel.Finish();
    }

    [Test]
    public void Unwrap_finds_the_stream_exception_in_wrappers_only()
    {
        var inner = new XmlStreamException(StreamErrorConditions.NotWellFormed, "x");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(XmlStreamDecoder.Unwrap(inner), Is.SameAs(inner));
            Assert.That(XmlStreamDecoder.Unwrap(new DecoderException(inner)), Is.SameAs(inner));
            Assert.That(XmlStreamDecoder.Unwrap(new AggregateException(new DecoderException(inner))), Is.SameAs(inner));
            Assert.That(XmlStreamDecoder.Unwrap(new DecoderException(new IOException("socket"))), Is.Null);
            Assert.That(XmlStreamDecoder.Unwrap(new InvalidOperationException()), Is.Null);
            Assert.That(XmlStreamDecoder.Unwrap(null), Is.Null);
        }
    }

    [Test]
    public void Encoder_writes_header_stanza_and_footer()
    {
        var channel = new EmbeddedChannel(new XmlStreamEncoder());

        channel.WriteOutbound(
            StreamHeader.ForClient("example.org"),
            new XElement(Client + "message", new XAttribute("to", "a@b"), new XElement(Client + "body", "1 < 2")),
            StreamFooter.Instance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ReadOutboundString(channel), Is.EqualTo(StreamHeader.ForClient("example.org").ToXml()));
            Assert.That(ReadOutboundString(channel), Is.EqualTo("<message to='a@b'><body>1 &lt; 2</body></message>"));
            Assert.That(ReadOutboundString(channel), Is.EqualTo("</stream:stream>"));
        }

        channel.Finish();
    }

    [Test]
    public void Encoder_writes_large_stanzas_whole()
    {
        var channel = new EmbeddedChannel(new XmlStreamEncoder());
        string text = string.Concat(Enumerable.Repeat("😀 & é ", 20_000));
        var message = new XElement(Client + "message", new XElement(Client + "body", text));

        channel.WriteOutbound(message);

        Assert.That(ReadOutboundString(channel), Is.EqualTo(StanzaWriter.ToXmlString(message)));
        channel.Finish();
    }

    [Test]
    public void Encoder_follows_the_content_namespace_of_the_header_it_wrote()
    {
        var channel = new EmbeddedChannel(new XmlStreamEncoder());
        var stanza = new XElement(XName.Get("message", "jabber:server"));

        channel.WriteOutbound(stanza);
        channel.WriteOutbound(new StreamHeader("a.example", "b.example", null, "1.0", null, "jabber:server"), stanza);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ReadOutboundString(channel), Is.EqualTo("<message xmlns='jabber:server'/>"));
            Assert.That(ReadOutboundString(channel), Does.StartWith("<?xml"));
            Assert.That(ReadOutboundString(channel), Is.EqualTo("<message/>"));
        }

        channel.Finish();
    }

    [Test]
    public void Encoder_passes_other_messages_through_untouched()
    {
        var channel = new EmbeddedChannel(new XmlStreamEncoder());
        IByteBuffer keepalive = Unpooled.WrappedBuffer(" "u8.ToArray());

        channel.WriteOutbound("a string", keepalive);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(channel.ReadOutbound<string>(), Is.EqualTo("a string"));
            Assert.That(channel.ReadOutbound<IByteBuffer>(), Is.SameAs(keepalive));
        }

        channel.FinishAndReleaseAll();
    }

    [Test]
    public void Encoder_rejects_an_element_it_cannot_write_and_sends_nothing()
    {
        var channel = new EmbeddedChannel(new XmlStreamEncoder());
        var bad = new XElement(Client + "message", new XElement(Client + "body", "ok"), new XElement(Client + "body", "\u0001"));

        // The write's task fails; EmbeddedChannel surfaces it as an AggregateException.
        AggregateException thrown = Assert.Throws<AggregateException>(() => channel.WriteOutbound(bad));
        Exception failure = thrown.InnerExceptions.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure, Is.InstanceOf<EncoderException>());
            Assert.That(failure.InnerException, Is.InstanceOf<ArgumentException>());
            Assert.That(channel.OutboundMessages, Is.Empty);
        }

        channel.WriteOutbound(new XElement(Client + "presence"));
        Assert.That(ReadOutboundString(channel), Is.EqualTo("<presence/>"));
        channel.Finish();
    }

    [Test]
    public void Encoder_output_decodes_to_the_same_stream()
    {
        var encoder = new EmbeddedChannel(new XmlStreamEncoder());
        var decoder = new EmbeddedChannel(new XmlStreamDecoder());
        List<object> original = ParserHarness.ParseWhole(RealisticStreams.ServerStreamBytes);

        foreach (object @event in original)
        {
            encoder.WriteOutbound(@event);
            decoder.WriteInbound(encoder.ReadOutbound<IByteBuffer>());
        }

        List<object> decoded = ReadAllInbound(decoder);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(decoded, Has.Count.EqualTo(original.Count));
            Assert.That(decoded[0], Is.EqualTo(new StreamHeader(null, null, "a1b2-c3d4", "1.0", "en", XmppNamespaces.Client) with { From = "example.org" }));
            for (int i = 1; i < original.Count - 1; i++)
            {
                Assert.That(StanzaWriter.ToXmlString((XElement)decoded[i]), Is.EqualTo(StanzaWriter.ToXmlString((XElement)original[i])));
            }

            Assert.That(decoded[^1], Is.SameAs(StreamFooter.Instance));
        }

        encoder.Finish();
        decoder.Finish();
    }

    private static List<object> ReadAllInbound(EmbeddedChannel channel)
    {
        var events = new List<object>();
        while (channel.ReadInbound<object>() is { } message)
        {
            events.Add(message);
        }

        return events;
    }

    private static string ReadOutboundString(EmbeddedChannel channel)
    {
        var buffer = channel.ReadOutbound<IByteBuffer>();
        try
        {
            return buffer.ToString(Encoding.UTF8);
        }
        finally
        {
            buffer.Release();
        }
    }
}
