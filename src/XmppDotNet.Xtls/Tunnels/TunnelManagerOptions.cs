using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>Sizes, bounds and timeouts of a <see cref="TunnelManager"/>; validated and copied when the manager is created.</summary>
public sealed class TunnelManagerOptions
{
    /// <summary>The smallest <see cref="ChunkSize"/>.</summary>
    public const int MinChunkSize = 256;

    /// <summary>The largest <see cref="ChunkSize"/>. Its Base64 (about 87 KiB) exceeds the 64 KiB stanza cap of some servers: stay well below it.</summary>
    public const int MaxChunkSize = 65536;

    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>
    /// The default <see cref="ChunkSize"/>: a 4 KiB message with its stanza and record overhead in one <c>data</c> IQ
    /// (about 8.4 KB on the wire), within the 10,000 bytes every server accepts (RFC 6120 §13.12).
    /// </summary>
    public const int DefaultChunkSize = 6_144;

    /// <summary>
    /// The largest TLS 1.3 record on the wire (RFC 8446 §5.2: 2^14 + 256 bytes of ciphertext and a 5-byte header): a
    /// <c>data</c> IQ of this size carries any record this library writes whole (about 22.2 KB as Base64).
    /// </summary>
    public const int WholeRecordChunkSize = 16_645;

    /// <summary>
    /// Raw ciphertext bytes per <c>data</c> IQ, before Base64 (256 to 65536; default <see cref="DefaultChunkSize"/>), where
    /// the path's stanza limit is not known, and to peers on other domains. A chunk ends where a TLS record ends whenever
    /// it can, so the peer decrypts all it receives at once. A limit the server announced caps it; to a peer on the same
    /// domain <see cref="UseStreamLimits"/> replaces it (turn that off to keep a small size, e.g. for a throttling server).
    /// </summary>
    public int ChunkSize { get; set; } = DefaultChunkSize;

    /// <summary>
    /// Whether <c>data</c> IQs grow to the server's announced stanza limit (default <see langword="true"/>). When the
    /// server announced the largest stanza it accepts (XEP-0478, <c>urn:xmpp:stream-limits:0</c>) and the peer is on the
    /// same domain (so no other server's limit applies), a <c>data</c> IQ carries up to <see cref="WholeRecordChunkSize"/>
    /// bytes, as far as that limit allows: fewer IQs and acknowledgements per byte. Otherwise <see cref="ChunkSize"/>
    /// applies (capped by an announced limit either way). The peer must accept chunks of that size
    /// (<see cref="MaxInboundChunkBytes"/>, 65536 by default). Through a server that reads 8 KiB at a time and pauses
    /// between reads when idle (Prosody 0.12's event loop, see the wire profile), bigger IQs cost less CPU but can cost
    /// bulk throughput.
    /// </summary>
    public bool UseStreamLimits { get; set; } = true;

    /// <summary>
    /// The most data IQs per tunnel sent and not yet acknowledged (1 to 256; default 8). Within it the tunnel keeps as
    /// many in flight as the path delivers in a round trip, measured from the acknowledgements, and at least two:
    /// through a server that throttles, fewer and bigger IQs carry what the application writes meanwhile.
    /// </summary>
    public int Window { get; set; } = 8;

    /// <summary>Ciphertext bytes per tunnel waiting for the window; beyond, <see cref="TunnelBackpressureException"/> (64 KiB to 64 MiB; default 1 MiB).</summary>
    public int MaxQueuedCiphertextBytes { get; set; } = 1 << 20;

    /// <summary>Tokens per tunnel waiting for acknowledgement; beyond, <see cref="TunnelBackpressureException"/> (1 to 1048576; default 16384).</summary>
    public int MaxPendingTokens { get; set; } = 16384;

    /// <summary>
    /// Decoded bytes accepted in one inbound <c>data</c>; beyond, <c>policy-violation</c> and the tunnel fails (256 to 1 MiB;
    /// default 65536). Below <see cref="WholeRecordChunkSize"/>, tunnels from peers on the same domain whose server
    /// announces its stanza limit fail (they send whole records, see <see cref="UseStreamLimits"/>).
    /// </summary>
    public int MaxInboundChunkBytes { get; set; } = 65536;

    /// <summary>Tunnels of the session in any state, pending requests included (1 to 100000; default 1000).</summary>
    public int MaxTunnels { get; set; } = 1000;

    /// <summary>Tunnels to the resources of one bare JID (1 to 100000; default 16).</summary>
    public int MaxTunnelsPerBareJid { get; set; } = 16;

    /// <summary>Incoming requests waiting for a decision; beyond, <c>resource-constraint</c> (1 to 100000; default 32).</summary>
    public int MaxPendingIncoming { get; set; } = 32;

    /// <summary>How long the initiator waits for an answer to <c>start</c> (default 30 s).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the TLS handshake may take, from <c>proceed</c> (received or sent) to <see cref="TunnelManager.HandshakeCompleted"/> (default 30 s).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long data IQs may stay outstanding without any acknowledgement arriving (default 60 s).</summary>
    public TimeSpan ProgressTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for <c>closed</c> after sending <c>close</c>, and for the peer's <c>close</c> after its close_notify (default 10 s).</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an incoming request waits for the application's decision before it is refused (default 30 s).</summary>
    public TimeSpan IncomingDecisionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often one data IQ is sent again after errors of type <c>wait</c> before the tunnel fails (0 to 10; default 3).</summary>
    public int WaitRetryLimit { get; set; } = 3;

    /// <summary>The delay before the first resend after a <c>wait</c> error; it doubles with each further error on the same chunk (default 1 s, at most 1 min).</summary>
    public TimeSpan WaitRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>TLS methods this side accepts, by wire name: <c>x509</c> and/or <c>srp</c> (default both).</summary>
    public IReadOnlySet<string> SupportedMethods { get; set; } = new HashSet<string>(StringComparer.Ordinal) { XtlsMethodNames.X509, XtlsMethodNames.Srp };

    /// <summary>Checks every value against its range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    /// <exception cref="ArgumentException"><see cref="SupportedMethods"/> is empty or names a method this library does not implement.</exception>
    public void Validate()
    {
        Check(ChunkSize, MinChunkSize, MaxChunkSize, nameof(ChunkSize));
        Check(Window, 1, 256, nameof(Window));
        Check(MaxQueuedCiphertextBytes, 64 * 1024, 64 * 1024 * 1024, nameof(MaxQueuedCiphertextBytes));
        Check(MaxPendingTokens, 1, 1 << 20, nameof(MaxPendingTokens));
        Check(MaxInboundChunkBytes, 256, 1 << 20, nameof(MaxInboundChunkBytes));
        Check(MaxTunnels, 1, 100_000, nameof(MaxTunnels));
        Check(MaxTunnelsPerBareJid, 1, 100_000, nameof(MaxTunnelsPerBareJid));
        Check(MaxPendingIncoming, 1, 100_000, nameof(MaxPendingIncoming));
        Check(WaitRetryLimit, 0, 10, nameof(WaitRetryLimit));
        Check(StartTimeout, MaxTimeout, nameof(StartTimeout));
        Check(HandshakeTimeout, MaxTimeout, nameof(HandshakeTimeout));
        Check(ProgressTimeout, MaxTimeout, nameof(ProgressTimeout));
        Check(CloseTimeout, MaxTimeout, nameof(CloseTimeout));
        Check(IncomingDecisionTimeout, MaxTimeout, nameof(IncomingDecisionTimeout));
        Check(WaitRetryDelay, TimeSpan.FromMinutes(1), nameof(WaitRetryDelay));

        if (SupportedMethods is null || SupportedMethods.Count == 0)
        {
            throw new ArgumentException("At least one TLS method must be supported.", nameof(SupportedMethods));
        }

        foreach (string method in SupportedMethods)
        {
            if (!XtlsMethodNames.TryParse(method, out _))
            {
                throw new ArgumentException($"The TLS method '{method}' is not implemented; use '{XtlsMethodNames.X509}' or '{XtlsMethodNames.Srp}'.", nameof(SupportedMethods));
            }
        }
    }

    /// <summary>A validated copy, so later changes to this instance do not reach a running manager.</summary>
    internal TunnelManagerOptions Snapshot()
    {
        Validate();
        var copy = (TunnelManagerOptions)MemberwiseClone();
        copy.SupportedMethods = new HashSet<string>(SupportedMethods, StringComparer.Ordinal);
        return copy;
    }

    private static void Check(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }
    }

    private static void Check(TimeSpan value, TimeSpan max, string name)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and at most {max}.");
        }
    }
}
