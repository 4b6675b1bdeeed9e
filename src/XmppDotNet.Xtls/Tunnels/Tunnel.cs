using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>The state of one tunnel (local session, one remote full JID), driven by <see cref="TunnelManager"/>.</summary>
internal sealed class Tunnel(Jid remote, bool initiator, TunnelState state, SendWindow window)
{
    public Jid Remote { get; } = remote;

    public bool Initiator { get; set; } = initiator;

    public TunnelState State { get; set; } = state;

    /// <summary>Set once the tunnel is removed; late calls on a stale reference then do nothing.</summary>
    public bool Ended { get; set; }

    /// <summary>The TLS method: chosen by the initiator at open, learnt by the responder from the first data.</summary>
    public string? Method { get; set; }

    /// <summary>The re-open identity this side puts in its start (offer) or proceed (acceptance), or <c>null</c>.</summary>
    public byte[]? LocalReopen { get; set; }

    /// <summary>This side's offer, sent in start or proceed.</summary>
    public XtlsOffer? LocalOffer { get; set; }

    /// <summary>Whether the TLS endpoint exists (StartTls emitted): ciphertext may flow.</summary>
    public bool TlsStarted { get; set; }

    /// <summary>Whether the initiator's method attribute has gone out on a data chunk.</summary>
    public bool MethodSent { get; set; }

    /// <summary>The id of this side's start IQ while it is outstanding.</summary>
    public string? StartIqId { get; set; }

    /// <summary>The id of the peer's start IQ while it waits for the application's decision.</summary>
    public string? PeerStartIqId { get; set; }

    /// <summary>The id of this side's close IQ while it is outstanding.</summary>
    public string? CloseIqId { get; set; }

    /// <summary>Why the tunnel is closing (set when it enters <see cref="TunnelState.Closing"/>).</summary>
    public TunnelCloseReason ClosingReason { get; set; }

    public string? ClosingDetail { get; set; }

    /// <summary>Whether the closing was a failure (its reason then outlives later trouble) rather than an orderly close.</summary>
    public bool ClosingIsFailure { get; set; }

    public DateTimeOffset? StartDeadline { get; set; }

    public DateTimeOffset? DecisionDeadline { get; set; }

    public DateTimeOffset? HandshakeDeadline { get; set; }

    public DateTimeOffset? CloseDeadline { get; set; }

    /// <summary>When the peer's <c>close</c> is due after its close_notify; the tunnel ends by itself then.</summary>
    public DateTimeOffset? PeerCloseDeadline { get; set; }

    /// <summary>When chunks that got a wait error may be sent again.</summary>
    public DateTimeOffset? ResendAt { get; set; }

    /// <summary>When the data in flight last made progress (an acknowledgement, or the first chunk of a burst going out).</summary>
    public DateTimeOffset LastProgress { get; set; }

    /// <summary>Whether the driver was told the window is full and waits for <see cref="SendWindowOpen"/>.</summary>
    public bool WindowFullReported { get; set; }

    /// <summary>Whether a send was refused for backpressure and the caller waits for <see cref="SendCapacityAvailable"/>.</summary>
    public bool Backpressured { get; set; }

    public OutboundStream Outbound { get; } = new();

    /// <summary>How many data IQs may be in flight, from how acknowledgements come back.</summary>
    public SendWindow Window { get; } = window;

    /// <summary>Whether the window lets one more <c>data</c> IQ go out now.</summary>
    public bool WindowAllowsMore => Window.Allows(Outbound.InFlightCount, Outbound.InFlightBytes, Outbound.QueuedBytes);

    /// <summary>Whether what is written now would wait: bytes queued or to be sent again, or no room in the window.</summary>
    public bool SendWindowFull => Outbound.QueuedBytes > 0 || Outbound.HasResends || !WindowAllowsMore;

    /// <summary>Whether <see cref="TunnelManager.SendCiphertext"/> is allowed now.</summary>
    public bool AcceptsCiphertext => TlsStarted && State is TunnelState.Handshaking or TunnelState.Open;

    /// <summary>Whether data chunks may go out now (also while flushing before close).</summary>
    public bool SendsData => TlsStarted && State is TunnelState.Handshaking or TunnelState.Open or TunnelState.Closing;

    /// <summary>The earliest moment at which <see cref="TunnelManager.Tick"/> has something to do for this tunnel.</summary>
    public DateTimeOffset? NextDeadline(TimeSpan progressTimeout)
    {
        DateTimeOffset? next = Earliest(StartDeadline, DecisionDeadline);
        next = Earliest(next, HandshakeDeadline);
        next = Earliest(next, CloseDeadline);
        next = Earliest(next, PeerCloseDeadline);
        if (Outbound.InFlightCount > 0)
        {
            next = Earliest(next, LastProgress + progressTimeout);
        }

        // A resend that still waits for answers to later chunks is not due: those answers trigger it.
        if (ResendAt is not null && Outbound.CanResend)
        {
            next = Earliest(next, ResendAt);
        }

        return next;
    }

    public TunnelInfo ToInfo() =>
        new(Remote, State, Initiator, Method, Outbound.QueuedBytes, Outbound.InFlightCount, Outbound.PendingTokenCount);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
