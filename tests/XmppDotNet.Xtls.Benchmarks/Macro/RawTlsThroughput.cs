using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// Comparison 1, the ceiling of this TLS engine: the serialised stanza written into a BouncyCastle TLS 1.3
/// client <see cref="TlsEngine"/>, its records copied into the server engine and read out, on one thread.
/// </summary>
internal static class RawTlsThroughput
{
    public const string Scenario = "1. raw BouncyCastle TLS 1.3, two TlsEngines in memory";

    public static ThroughputCell Run(int bodyBytes, TimeSpan duration, XtlsIdentity client, XtlsIdentity server)
    {
        byte[] stanza = StanzaWriter.ToBytes(Payloads.Message(null, bodyBytes));
        byte[] received = new byte[stanza.Length];
        using TlsEnginePair pair = TlsEnginePair.Connect(XtlsMethod.X509, client, server);

        // Warm up the JIT and BouncyCastle's buffers outside the measurement.
        for (int i = 0; i < 200; i++)
        {
            _ = pair.ClientToServer(stanza, received);
        }

        var clock = new CpuClock();
        long count = 0;
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < 16; i++)
            {
                _ = pair.ClientToServer(stanza, received);
            }

            count += 16;
        }

        return new ThroughputCell(Scenario, bodyBytes, count, clock.Elapsed.TotalSeconds, clock.CpuSeconds, 1, null)
        {
            AllocatedBytes = clock.AllocatedBytes,
            ThreadPoolWorkItems = clock.ThreadPoolWorkItems,
        };
    }
}
