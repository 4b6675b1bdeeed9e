using System.Buffers;
using System.Text;
using System.Xml.Linq;
using DotNetty.Buffers;
using DotNetty.Codecs;
using DotNetty.Transport.Channels.Embedded;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

/// <summary>Writing a <see cref="PayloadStanza"/>, and the codec handlers around it: same bytes as the text model, each buffer released once.</summary>
[TestFixture]
public sealed class PayloadStanzaCodecTests
{
    private static readonly XNamespace Client = XmppNamespaces.Client;
    private RecordingAllocator _allocator = null!;

    [SetUp]
    public void SetUp() => _allocator = new RecordingAllocator();

    private readonly List<PayloadStanza> _owned = [];

    [TearDown]
    public void TearDown()
    {
        foreach (PayloadStanza stanza in _owned)
        {
            stanza.Release();
        }

        _owned.Clear();
        Assert.That(_allocator.Live, Is.Empty, "every buffer is released");
    }

    [TestCase("")]
    [TestCase("QUJD")]
    [TestCase("QUJD\n REVG\t=")]
    public void The_writer_writes_the_same_bytes_as_for_the_whole_element(string text)
    {
        PayloadStanza stanza = Owned(text);

        var written = new ArrayBufferWriter<byte>();
        StanzaWriter.WritePayloadStanza(stanza, written, XmppNamespaces.Client);
        byte[] expected = StanzaWriter.ToBytes(stanza.ToXElement());

        Assert.That(Encoding.UTF8.GetString(written.WrittenSpan), Is.EqualTo(Encoding.UTF8.GetString(expected)));
        Assert.That(StanzaWriter.GetByteCount(stanza, XmppNamespaces.Client), Is.EqualTo(expected.Length));
        Assert.That(StanzaWriter.GetByteCount(stanza.ToXElement(), XmppNamespaces.Client), Is.EqualTo(expected.Length));
    }

    [Test]
    public void A_payload_element_in_another_namespace_is_declared_around_the_payload()
    {
        PayloadStanza stanza = Owned("QUJD");

        string xml = Encoding.UTF8.GetString(Write(stanza));

        Assert.That(xml, Is.EqualTo($"<iq type='set' id='d1'><chunk xmlns='{PayloadFixtures.Namespace}' sid='x'>QUJD</chunk></iq>"));
    }

    [TestCase((byte)'<')]
    [TestCase((byte)'&')]
    [TestCase((byte)']')]
    [TestCase((byte)'\r')]
    [TestCase((byte)0)]
    [TestCase((byte)0x80)]
    public void A_payload_byte_that_is_not_plain_character_data_is_refused(byte bad)
    {
        PayloadStanza stanza = Owned("QUJD");
        stanza.Content.SetByte(1, bad);

        Assert.Throws<ArgumentException>(() => Write(stanza));
    }

    [Test]
    public void The_encoder_writes_a_payload_stanza_and_releases_it()
    {
        var channel = new EmbeddedChannel(new XmlStreamEncoder());
        PayloadStanza stanza = Stanza(PayloadFixtures.Text(5000));
        string expected = StanzaWriter.ToXmlString(stanza.ToXElement());

        Assert.That(channel.WriteOutbound(stanza), Is.True);

        var output = channel.ReadOutbound<IByteBuffer>();
        Assert.That(output.ToString(Encoding.UTF8), Is.EqualTo(expected));
        output.Release();
        Assert.That(stanza.ReferenceCount, Is.Zero);
        channel.Finish();
    }

    [Test]
    public void A_payload_stanza_the_encoder_cannot_write_fails_alone_and_is_released()
    {
        var channel = new EmbeddedChannel(new XmlStreamEncoder());
        PayloadStanza stanza = Stanza("QUJD");
        stanza.Content.SetByte(0, (byte)'<');

        Task write = channel.WriteAndFlushAsync(stanza);

        Assert.That(write.Exception?.InnerException, Is.InstanceOf<EncoderException>());
        Assert.That(stanza.ReferenceCount, Is.Zero);
        Assert.That(channel.ReadOutbound<object>(), Is.Null, "nothing of it is sent");
        channel.Finish();
    }

    [Test]
    public void A_payload_stanza_written_to_a_closed_channel_is_released()
    {
        var channel = new EmbeddedChannel(new XmlStreamEncoder());
        channel.CloseAsync().Wait();
        PayloadStanza stanza = Stanza("QUJD");

        Task write = channel.WriteAndFlushAsync(stanza);

        Assert.That(write.IsFaulted, Is.True);
        Assert.That(stanza.ReferenceCount, Is.Zero);
    }

    [Test]
    public void The_decoder_fires_payload_stanzas_from_the_channel_allocator_and_the_encoder_writes_them_back_unchanged()
    {
        var options = PayloadFixtures.Options(maxBytes: 8192);
        var channel = new EmbeddedChannel(new XmlStreamDecoder(options));
        channel.Configuration.Allocator = _allocator;
        string iq = PayloadFixtures.Iq(PayloadFixtures.Text(4000));

        channel.WriteInbound(Unpooled.WrappedBuffer(Encoding.UTF8.GetBytes(PayloadFixtures.Header + iq)));
        channel.ReadInbound<object>();
        var stanza = channel.ReadInbound<PayloadStanza>();
        Assert.That(_allocator.Allocated, Has.Count.EqualTo(1));

        var encoder = new EmbeddedChannel(new XmlStreamEncoder());
        encoder.WriteOutbound(stanza);
        var output = encoder.ReadOutbound<IByteBuffer>();
        string expected = StanzaWriter.ToXmlString(ParserHarness.ParseWhole(PayloadFixtures.Header + iq).OfType<XElement>().Single());
        Assert.That(output.ToString(Encoding.UTF8), Is.EqualTo(expected));
        output.Release();
        channel.Finish();
        encoder.Finish();
    }

    [Test]
    public void ToXElement_leaves_the_holder_as_it_was()
    {
        PayloadStanza stanza = Owned("QUJD");

        XElement whole = stanza.ToXElement();

        Assert.That(whole.Element(PayloadFixtures.ChunkName)!.Value, Is.EqualTo("QUJD"));
        Assert.That(stanza.PayloadElement.Nodes(), Is.Empty);
        Assert.That(stanza.Content.ReadableBytes, Is.EqualTo(4));
    }

    [Test]
    public void A_payload_element_must_be_an_empty_child_of_the_stanza()
    {
        var iq = new XElement(Client + "iq", new XElement(PayloadFixtures.ChunkName, "text"));
        IByteBuffer buffer = _allocator.Buffer(4);
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentException>(() => new PayloadStanza(iq, iq.Elements().Single(), buffer));
            Assert.Throws<ArgumentException>(() => new PayloadStanza(iq, new XElement(PayloadFixtures.ChunkName), buffer));
        }

        buffer.Release();
    }

    // A stanza the test keeps; released once at the end.
    private PayloadStanza Owned(string text)
    {
        PayloadStanza stanza = Stanza(text);
        _owned.Add(stanza);
        return stanza;
    }

    private PayloadStanza Stanza(string text)
    {
        var chunk = new XElement(PayloadFixtures.ChunkName, new XAttribute("sid", "x"));
        var iq = new XElement(Client + "iq", new XAttribute("type", "set"), new XAttribute("id", "d1"), chunk);
        IByteBuffer payload = _allocator.Buffer(text.Length + 1);
        payload.WriteBytes(Encoding.ASCII.GetBytes(text));
        return new PayloadStanza(iq, chunk, payload);
    }

    private static byte[] Write(PayloadStanza stanza)
    {
        var written = new ArrayBufferWriter<byte>();
        StanzaWriter.WritePayloadStanza(stanza, written, XmppNamespaces.Client);
        return written.WrittenSpan.ToArray();
    }
}
