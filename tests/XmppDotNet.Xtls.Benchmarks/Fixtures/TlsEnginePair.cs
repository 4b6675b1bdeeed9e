using System.Diagnostics;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Benchmarks.Fixtures;

/// <summary>
/// Two <see cref="TlsEngine"/>s, a client and a server, connected by copying ciphertext between them in
/// memory on the calling thread: the TLS engine with no transport at all.
/// </summary>
public sealed class TlsEnginePair : IDisposable
{
    /// <summary>The SRP user name (the initiator's bare JID).</summary>
    public const string SrpUser = "romeo@montague.lit";

    private static readonly char[] SrpSecret = "a shared secret both people know".ToCharArray();

    private readonly byte[] _scratch = new byte[64 * 1024];

    private TlsEnginePair(TlsEngine client, TlsEngine server)
    {
        Client = client;
        Server = server;
    }

    /// <summary>The TLS client (the tunnel's initiator).</summary>
    public TlsEngine Client { get; }

    /// <summary>The TLS server (the tunnel's responder).</summary>
    public TlsEngine Server { get; }

    /// <summary>Time spent inside the client's calls during the handshake.</summary>
    public TimeSpan ClientTime { get; private set; }

    /// <summary>Time spent inside the server's calls during the handshake.</summary>
    public TimeSpan ServerTime { get; private set; }

    /// <summary>Ciphertext flights exchanged until both ends completed the handshake.</summary>
    public int Flights { get; private set; }

    /// <summary>Ciphertext bytes exchanged until both ends completed the handshake.</summary>
    public long HandshakeBytes { get; private set; }

    /// <summary>Creates both engines and runs the handshake to completion on both ends.</summary>
    /// <param name="method">x509 or srp.</param>
    /// <param name="clientIdentity">The client's identity (x509).</param>
    /// <param name="serverIdentity">The server's identity (x509).</param>
    /// <param name="reopen">A re-open key both ends hold (a TLS 1.3 external PSK), or <c>null</c> for a full handshake.</param>
    public static TlsEnginePair Connect(XtlsMethod method, XtlsIdentity? clientIdentity = null, XtlsIdentity? serverIdentity = null, TlsReopenKey? reopen = null)
    {
        long start = Stopwatch.GetTimestamp();
        TlsEngine client = TlsEngine.Create(Options(TlsRole.Client, method, clientIdentity, reopen));
        TimeSpan clientTime = Stopwatch.GetElapsedTime(start);

        start = Stopwatch.GetTimestamp();
        TlsEngine server = TlsEngine.Create(Options(TlsRole.Server, method, serverIdentity, reopen));
        TimeSpan serverTime = Stopwatch.GetElapsedTime(start);

        var pair = new TlsEnginePair(client, server) { ClientTime = clientTime, ServerTime = serverTime };
        pair.Handshake();
        return pair;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> on the client and decrypts it on the server; returns the ciphertext length.</summary>
    public int ClientToServer(ReadOnlySpan<byte> plaintext, Span<byte> received)
    {
        Client.WritePlaintext(plaintext);
        int ciphertext = Move(Client, Server);
        int total = 0;
        while (Server.AvailablePlaintext > 0)
        {
            total += Server.ReadPlaintext(received[total..]);
        }

        if (total != plaintext.Length)
        {
            throw new InvalidOperationException($"Sent {plaintext.Length} bytes, received {total}.");
        }

        return ciphertext;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }

    private static TlsEngineOptions Options(TlsRole role, XtlsMethod method, XtlsIdentity? identity, TlsReopenKey? reopen) => method == XtlsMethod.Srp
        ? new TlsEngineOptions
        {
            Role = role,
            Method = XtlsMethod.Srp,
            SrpUserName = SrpUser,
            SrpPassword = SrpSecret,
            MinimumVersion = TlsProtocolVersion.Tls12,
            ReopenKey = reopen,
        }
        : new TlsEngineOptions
        {
            Role = role,
            Method = XtlsMethod.X509,
            Identity = identity ?? throw new ArgumentNullException(nameof(identity)),
            ReopenKey = reopen,
        };

    private void Handshake()
    {
        // Flights alternate until neither side has anything left to say and both are complete.
        TlsEngine from = Client;
        TlsEngine to = Server;
        for (int guard = 0; guard < 16; guard++)
        {
            if (from.AvailableCiphertext == 0 && to.AvailableCiphertext == 0 && Client.IsHandshakeComplete && Server.IsHandshakeComplete)
            {
                return;
            }

            if (from.AvailableCiphertext > 0)
            {
                Flights++;
                long start = Stopwatch.GetTimestamp();
                HandshakeBytes += Move(from, to);
                TimeSpan spent = Stopwatch.GetElapsedTime(start);
                if (ReferenceEquals(to, Server))
                {
                    ServerTime += spent;
                }
                else
                {
                    ClientTime += spent;
                }
            }

            (from, to) = (to, from);
        }

        throw new InvalidOperationException("The handshake did not complete in 16 flights.");
    }

    // Copies everything one engine has queued into the other; the receiving engine's work is what this times.
    private int Move(TlsEngine from, TlsEngine to)
    {
        int moved = 0;
        while (from.AvailableCiphertext > 0)
        {
            int count = from.ReadCiphertext(_scratch);
            to.ReceiveCiphertext(_scratch.AsSpan(0, count));
            moved += count;
        }

        return moved;
    }
}
