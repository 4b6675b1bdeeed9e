using System.Security.Cryptography;
using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>Handshake cost of the TLS engine alone: both ends on one thread, ciphertext copied in memory.</summary>
internal static class HandshakeLatency
{
    public sealed record EngineResult(string Method, int Samples, double Median, double ClientMedian, double ServerMedian, int Flights, long Bytes);

    /// <param name="name">The row's name.</param>
    /// <param name="method">x509 or srp.</param>
    /// <param name="keyType">The certificates' key type (x509).</param>
    /// <param name="samples">How many handshakes are measured.</param>
    /// <param name="reopen">Whether both ends hold a re-open key (a TLS 1.3 external PSK with psk_dhe_ke) instead of a full handshake.</param>
    public static EngineResult Measure(string name, XtlsMethod method, XtlsKeyType? keyType, int samples, bool reopen = false)
    {
        XtlsIdentity? client = keyType is { } k ? XtlsIdentity.Generate(k) : null;
        XtlsIdentity? server = keyType is { } k2 ? XtlsIdentity.Generate(k2) : null;
        using TlsReopenKey? key = reopen ? new TlsReopenKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(TlsReopenKey.KeyLength)) : null;

        // One unmeasured handshake warms up the JIT and BouncyCastle's tables.
        TlsEnginePair.Connect(method, client, server, key).Dispose();
        var totals = new List<double>();
        var clients = new List<double>();
        var servers = new List<double>();
        int flights = 0;
        long bytes = 0;
        for (int i = 0; i < samples; i++)
        {
            var clock = new CpuClock();
            using TlsEnginePair pair = TlsEnginePair.Connect(method, client, server, key);
            totals.Add(clock.Elapsed.TotalMilliseconds);
            clients.Add(pair.ClientTime.TotalMilliseconds);
            servers.Add(pair.ServerTime.TotalMilliseconds);
            flights = pair.Flights;
            bytes = pair.HandshakeBytes;
        }

        return new EngineResult(name, samples, Median(totals), Median(clients), Median(servers), flights, bytes);
    }

    public static double Median(IReadOnlyCollection<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
