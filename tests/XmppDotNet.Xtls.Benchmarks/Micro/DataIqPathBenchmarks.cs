using System.Buffers;
using System.Globalization;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using DotNetty.Buffers;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Benchmarks.Micro;

/// <summary>
/// One <c>data</c> IQ through the host codec and the plugin, the text way (a Base64 string in an <see cref="XElement"/>)
/// against the payload way (<see cref="PayloadStanza"/>: Base64 bytes in a pooled buffer): encoding into a buffer, and
/// scanning, parsing and decoding what arrives.
/// </summary>
[MemoryDiagnoser]
public class DataIqPathBenchmarks
{
    private static readonly Jid From = Jid.Parse("romeo@montague.lit/orchard");
    private static readonly Jid To = Jid.Parse("juliet@capulet.lit/balcony");
    private static readonly PooledByteBufferAllocator Allocator = PooledByteBufferAllocator.Default;

    private readonly ArrayBufferWriter<byte> _output = new(32 * 1024);
    private readonly List<object> _events = new(4);
    private byte[] _ciphertext = [];
    private byte[] _wire = [];
    private XmlStreamParser _textParser = null!;
    private XmlStreamParser _payloadParser = null!;
    private int _id;

    /// <summary>Ciphertext bytes per chunk (4096 is the default chunk size).</summary>
    [Params(1024, 4096)]
    public int ChunkBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ciphertext = new byte[ChunkBytes];
        new Random(5).NextBytes(_ciphertext);
        _wire = StanzaWriter.ToBytes(Stanza.Iq("set", "a1", To, XtlsElements.Data(_ciphertext), From));
        _textParser = new XmlStreamParser(new XmlStreamParserOptions { ExpectStreamHeader = false });
        var options = new XmlStreamParserOptions { ExpectStreamHeader = false };
        options.BinaryPayloadElements.Add(new BinaryPayloadElement(XtlsElements.DataName, XtlsBase64.GetMaxTextLength(65536), XtlsBase64.TextCharacters));
        _payloadParser = new XmlStreamParser(options) { PayloadAllocator = Allocator };
    }

    /// <summary>Text way: Base64 string, element, serialised into the output.</summary>
    [Benchmark(Baseline = true)]
    public int EncodeAsText()
    {
        _output.ResetWrittenCount();
        XElement iq = Stanza.Iq("set", NextId(), To, XtlsElements.Data(_ciphertext), From);
        StanzaWriter.Write(iq, _output);
        return _output.WrittenCount;
    }

    /// <summary>Payload way: Base64 into a pooled buffer, the envelope around it, serialised into the output.</summary>
    [Benchmark]
    public int EncodeAsPayload()
    {
        _output.ResetWrittenCount();
        XElement data = XtlsElements.DataEnvelope();
        XElement iq = Stanza.Iq("set", NextId(), To, data, From);
        int length = XtlsBase64.GetEncodedLength(_ciphertext.Length);
        IByteBuffer text = Allocator.Buffer(length);
        XtlsBase64.EncodeToUtf8(_ciphertext, text.Array.AsSpan(text.ArrayOffset + text.WriterIndex, length));
        text.SetWriterIndex(text.WriterIndex + length);
        var payload = new PayloadStanza(iq, data, text);
        StanzaWriter.WritePayloadStanza(payload, _output, XmppNamespaces.Client);
        payload.Release();
        return _output.WrittenCount;
    }

    /// <summary>Text way: scan and parse the IQ into an element, decode its Base64 string.</summary>
    [Benchmark]
    public byte[] ParseAndDecodeText()
    {
        _events.Clear();
        _textParser.Parse(_wire, _events);
        var iq = (XElement)_events[0];
        return XtlsElements.ReadData(iq.Element(XtlsElements.DataName)!, 65536);
    }

    /// <summary>Payload way: scan and parse the IQ into a payload stanza, decode the Base64 bytes.</summary>
    [Benchmark]
    public byte[] ParseAndDecodePayload()
    {
        _events.Clear();
        _payloadParser.Parse(_wire, _events);
        var payload = (PayloadStanza)_events[0];
        try
        {
            ArraySegment<byte> text = payload.Content.GetIoBuffer(payload.Content.ReaderIndex, payload.Content.ReadableBytes);
            return XtlsElements.ReadData(payload.PayloadElement, text, 65536);
        }
        finally
        {
            payload.Release();
        }
    }

    private string NextId() => "a" + (++_id).ToString(CultureInfo.InvariantCulture);
}
