using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// Comparison 2, what a user would pick for plain TLS: .NET <see cref="SslStream"/> (OpenSSL underneath)
/// over an in-memory duplex connection made of two <see cref="System.IO.Pipelines.Pipe"/>s wrapped as streams,
/// TLS 1.3 with mutual P-256 certificates; a writer and a reader task run at once.
/// </summary>
internal static class SslStreamThroughput
{
    public const string Scenario = "2. .NET SslStream TLS 1.3 over in-memory pipes";

    public static async Task<(SslStream Client, SslStream Server, TimeSpan Handshake)> ConnectAsync(X509Certificate2 clientCertificate, X509Certificate2 serverCertificate)
    {
        (DuplexPipeStream clientEnd, DuplexPipeStream serverEnd) = DuplexPipeStream.CreatePair();
        var client = new SslStream(clientEnd, leaveInnerStreamOpen: false);
        var server = new SslStream(serverEnd, leaveInnerStreamOpen: false);
        var clock = new CpuClock();
        Task clientDone = client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "bench.invalid",
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificates = [clientCertificate],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(serverCertificate.RawData),
        });
        Task serverDone = server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = serverCertificate,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(clientCertificate.RawData),
        });
        await Task.WhenAll(clientDone, serverDone);
        return (client, server, clock.Elapsed);
    }

    public static async Task<ThroughputCell> RunAsync(int bodyBytes, TimeSpan duration, X509Certificate2 clientCertificate, X509Certificate2 serverCertificate)
    {
        byte[] stanza = StanzaWriter.ToBytes(Payloads.Message(null, bodyBytes));
        (SslStream client, SslStream server, _) = await ConnectAsync(clientCertificate, serverCertificate);
        await using (client)
        await using (server)
        {
            await TransferAsync(client, server, stanza, TimeSpan.FromMilliseconds(200));
            var clock = new CpuClock();
            long count = await TransferAsync(client, server, stanza, duration);
            return new ThroughputCell(Scenario, bodyBytes, count, clock.Elapsed.TotalSeconds, clock.CpuSeconds, 1, null)
            {
                AllocatedBytes = clock.AllocatedBytes,
                ThreadPoolWorkItems = clock.ThreadPoolWorkItems,
            };
        }
    }

    /// <summary>A self-signed P-256 certificate with its private key, usable by SslStream on Linux.</summary>
    public static X509Certificate2 CreateCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 created = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    // The writer sends stanzas for the duration, then one copy whose first byte is '!': the reader stops after it.
    private static async Task<long> TransferAsync(SslStream client, SslStream server, byte[] stanza, TimeSpan duration)
    {
        byte[] last = (byte[])stanza.Clone();
        last[0] = (byte)'!';
        Task<long> writing = Task.Run(async () =>
        {
            var clock = new CpuClock();
            long count = 0;
            while (clock.Elapsed < duration)
            {
                await client.WriteAsync(stanza);
                count++;
            }

            await client.WriteAsync(last);
            await client.FlushAsync();
            return count;
        });

        byte[] buffer = new byte[64 * 1024];
        long bytes = 0;
        long end = long.MaxValue;
        while (bytes < end)
        {
            int read = await server.ReadAsync(buffer);
            if (read == 0)
            {
                throw new InvalidOperationException("The SslStream ended early.");
            }

            // Look at the first byte of every stanza that starts in this read.
            long first = (bytes + stanza.Length - 1) / stanza.Length * stanza.Length;
            for (long offset = first; offset < bytes + read && end == long.MaxValue; offset += stanza.Length)
            {
                if (buffer[offset - bytes] == (byte)'!')
                {
                    end = offset + stanza.Length;
                }
            }

            bytes += read;
        }

        long written = await writing;
        if (bytes != end || end != (written + 1) * stanza.Length)
        {
            throw new InvalidOperationException($"Wrote {written + 1} stanzas, read {bytes} bytes.");
        }

        return written;
    }
}
