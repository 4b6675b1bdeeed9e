using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Benchmarks.Micro;

/// <summary>
/// The IQ envelope of one <c>data</c> chunk: building and serialising it, parsing and reading it, and a
/// whole exchange through two <see cref="Tunnels.TunnelManager"/>s (data IQ-set, then its IQ-result), in
/// memory and through serialise-and-parse as a server would.
/// </summary>
[MemoryDiagnoser]
public class IqBenchmarks
{
    private static readonly object Token = new();
    private static readonly Jid From = Jid.Parse("romeo@montague.lit/orchard");
    private static readonly Jid To = Jid.Parse("juliet@capulet.lit/balcony");

    private readonly List<object> _events = new(4);
    private byte[] _payload = [];
    private byte[] _iqBytes = [];
    private XmlStreamParser _parser = null!;
    private TunnelManagerPair _inMemory = null!;
    private TunnelManagerPair _serialised = null!;
    private int _id;

    [Params(256, 4096)]
    public int ChunkBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[ChunkBytes];
        new Random(5).NextBytes(_payload);
        _iqBytes = BuildAndWrite();
        _parser = NewParser();
        _inMemory = new TunnelManagerPair(static stanza => stanza);
        XmlStreamParser wireParser = NewParser();
        var wireEvents = new List<object>(4);
        _serialised = new TunnelManagerPair(stanza =>
        {
            wireEvents.Clear();
            wireParser.Parse(StanzaWriter.ToBytes(stanza), wireEvents);
            return (XElement)wireEvents[0];
        });
    }

    /// <summary>A data IQ-set from the payload to UTF-8 bytes.</summary>
    [Benchmark]
    public byte[] BuildAndWrite() =>
        StanzaWriter.ToBytes(Stanza.Iq("set", "a" + (++_id).ToString(System.Globalization.CultureInfo.InvariantCulture), To, XtlsElements.Data(_payload), From));

    /// <summary>UTF-8 bytes of a data IQ-set to the payload.</summary>
    [Benchmark]
    public byte[] ParseAndRead()
    {
        _events.Clear();
        _parser.Parse(_iqBytes, _events);
        var iq = (XElement)_events[0];
        return XtlsElements.ReadData(iq.Elements().First(), 65536);
    }

    /// <summary>SendCiphertext, the data IQ handled by the peer, its IQ-result handled back: XElements passed by reference.</summary>
    [Benchmark]
    public int TunnelExchange() => _inMemory.SendChunk(_payload, Token);

    /// <summary>The same exchange with both IQs serialised and parsed on the way, as through a server.</summary>
    [Benchmark]
    public int TunnelExchangeOverWire() => _serialised.SendChunk(_payload, Token);

    private static XmlStreamParser NewParser() => new(new XmlStreamParserOptions
    {
        ExpectStreamHeader = false,
        DefaultNamespace = XmppNamespaces.Client,
    });
}
