namespace XmppDotNet.Xtls.Tunnels;

/// <summary>Where a tunnel is in its life. A tunnel that has ended is forgotten (its state reads as <c>null</c>).</summary>
public enum TunnelState
{
    /// <summary>Initiator: <c>start</c> sent, waiting for <c>proceed</c> or an error.</summary>
    Starting,

    /// <summary>Responder: <c>start</c> received, waiting for the application to accept or refuse it.</summary>
    AwaitingDecision,

    /// <summary>Accepted; the TLS handshake runs (the responder first waits for the initiator's first <c>data</c>).</summary>
    Handshaking,

    /// <summary>The TLS handshake completed; stanzas flow.</summary>
    Open,

    /// <summary>Closing or failed: queued ciphertext is flushed, then <c>close</c> is sent and <c>closed</c> awaited. Nothing more is delivered.</summary>
    Closing,
}
