using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Benchmarks.Micro;

/// <summary>One <c>data</c> chunk: ciphertext to Base64 and back, bare and as the <c>data</c> element.</summary>
[MemoryDiagnoser]
public class ChunkCodecBenchmarks
{
    private const int MaxDecoded = 65536;

    private byte[] _payload = [];
    private string _text = string.Empty;
    private XElement _element = null!;

    /// <summary>Raw ciphertext bytes per chunk (4096 is the default chunk size).</summary>
    [Params(256, 4096, 16384)]
    public int ChunkBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[ChunkBytes];
        new Random(5).NextBytes(_payload);
        _text = XtlsBase64.Encode(_payload);
        _element = XtlsElements.Data(_payload);
    }

    [Benchmark]
    public string Base64Encode() => XtlsBase64.Encode(_payload);

    [Benchmark]
    public byte[] Base64Decode() => XtlsBase64.Decode(_text, MaxDecoded);

    [Benchmark]
    public XElement DataElement() => XtlsElements.Data(_payload);

    [Benchmark]
    public byte[] ReadData() => XtlsElements.ReadData(_element, MaxDecoded);
}
