namespace XmppDotNet.Xtls.Host.Session;

/// <summary>Why a session ended.</summary>
public enum SessionCloseReason
{
    /// <summary>The application closed it.</summary>
    ClosedLocally,

    /// <summary>The server closed the stream with its footer.</summary>
    ClosedByServer,

    /// <summary>A stream error (sent or received) ended the stream.</summary>
    StreamError,

    /// <summary>The connection was lost without a closing handshake.</summary>
    ConnectionLost,

    /// <summary>Negotiation failed (TLS, authentication, binding).</summary>
    NegotiationFailed,
}
