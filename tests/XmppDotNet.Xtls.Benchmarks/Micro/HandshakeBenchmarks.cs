using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Benchmarks.Micro;

/// <summary>
/// One complete TLS handshake per invocation, both <see cref="TlsEngine"/>s on this thread with the
/// ciphertext copied in memory: mutual x509 (TLS 1.3) with P-256 and Ed25519 keys, SRP (TLS 1.2, 2048-bit group),
/// and the re-open of each (the key of an earlier tunnel as a TLS 1.3 external PSK with psk_dhe_ke).
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private XtlsIdentity _p256Client = null!;
    private XtlsIdentity _p256Server = null!;
    private XtlsIdentity _edClient = null!;
    private XtlsIdentity _edServer = null!;
    private int _srpFlights;
    private byte[] _reopenIdentity = null!;
    private byte[] _reopenKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        _p256Client = XtlsIdentity.Generate(XtlsKeyType.EcdsaP256);
        _p256Server = XtlsIdentity.Generate(XtlsKeyType.EcdsaP256);
        _edClient = XtlsIdentity.Generate(XtlsKeyType.Ed25519);
        _edServer = XtlsIdentity.Generate(XtlsKeyType.Ed25519);
        _reopenIdentity = RandomNumberGenerator.GetBytes(16);
        _reopenKey = RandomNumberGenerator.GetBytes(TlsReopenKey.KeyLength);
    }

    [Benchmark(Baseline = true)]
    public int X509P256()
    {
        using TlsEnginePair pair = TlsEnginePair.Connect(XtlsMethod.X509, _p256Client, _p256Server);
        return pair.Flights;
    }

    [Benchmark]
    public int X509Ed25519()
    {
        using TlsEnginePair pair = TlsEnginePair.Connect(XtlsMethod.X509, _edClient, _edServer);
        return pair.Flights;
    }

    [Benchmark]
    public int Srp()
    {
        using TlsEnginePair pair = TlsEnginePair.Connect(XtlsMethod.Srp);
        _srpFlights = pair.Flights;
        return _srpFlights;
    }

    [Benchmark]
    public int X509P256Reopen()
    {
        // A tunnel makes its key from the stored secret in the same way, once per re-open.
        using var key = new TlsReopenKey(_reopenIdentity, _reopenKey);
        using TlsEnginePair pair = TlsEnginePair.Connect(XtlsMethod.X509, _p256Client, _p256Server, key);
        return pair.Flights;
    }

    [Benchmark]
    public int SrpReopen()
    {
        using var key = new TlsReopenKey(_reopenIdentity, _reopenKey);
        using TlsEnginePair pair = TlsEnginePair.Connect(XtlsMethod.Srp, reopen: key);
        return pair.Flights;
    }
}
