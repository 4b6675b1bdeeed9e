using System.Buffers;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Benchmarks.Micro;

/// <summary>
/// What happens to a stanza inside a tunnel: serialised without routing by <see cref="StanzaWriter"/>
/// before encryption, and parsed back from the decrypted bytes by <see cref="XmlStreamParser"/> in
/// fragment mode (no stream header, <c>jabber:client</c> by default).
/// </summary>
[MemoryDiagnoser]
public class InnerStanzaBenchmarks
{
    private readonly List<object> _events = new(4);
    private readonly ArrayBufferWriter<byte> _output = new(32 * 1024);
    private XElement _stanza = null!;
    private byte[] _bytes = [];
    private byte[] _escapedBytes = [];
    private XmlStreamParser _parser = null!;

    [Params(256, 1024, 4096, 16384)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _stanza = Payloads.Message(null, BodyBytes);
        _bytes = StanzaWriter.ToBytes(_stanza);
        _escapedBytes = StanzaWriter.ToBytes(Payloads.Message(null, EscapedBody(BodyBytes)));
        _parser = new XmlStreamParser(new XmlStreamParserOptions
        {
            ExpectStreamHeader = false,
            DefaultNamespace = XmppNamespaces.Client,
            MaxStanzaBytes = 262_144,
        });
    }

    /// <summary>Decrypted bytes to an <see cref="XElement"/>: one complete stanza per call.</summary>
    [Benchmark]
    public object Decode()
    {
        _events.Clear();
        _parser.Parse(_bytes, _events);
        return _events[0];
    }

    /// <summary>A body of the same length where every 32nd character is written as an entity or is not ASCII.</summary>
    [Benchmark]
    public object DecodeEscaped()
    {
        _events.Clear();
        _parser.Parse(_escapedBytes, _events);
        return _events[0];
    }

    /// <summary>The same bytes arriving in two halves, as when a stanza spans two TLS records or chunks.</summary>
    [Benchmark]
    public object DecodeSplit()
    {
        _events.Clear();
        int half = _bytes.Length / 2;
        _parser.Parse(_bytes.AsSpan(0, half), _events);
        _parser.Parse(_bytes.AsSpan(half), _events);
        return _events[0];
    }

    private static string EscapedBody(int size)
    {
        char[] body = Payloads.Body(size).ToCharArray();
        const string Special = "&<>\"é€";
        for (int i = 31; i < body.Length; i += 32)
        {
            body[i] = Special[(i / 32) % Special.Length];
        }

        return new string(body);
    }

    /// <summary>A stanza to UTF-8 into a reused buffer.</summary>
    [Benchmark]
    public int Write()
    {
        _output.ResetWrittenCount();
        StanzaWriter.Write(_stanza, _output);
        return _output.WrittenCount;
    }

    /// <summary>A stanza to a new byte array (what the tunnel does before encrypting).</summary>
    [Benchmark]
    public byte[] ToBytes() => StanzaWriter.ToBytes(_stanza);
}
