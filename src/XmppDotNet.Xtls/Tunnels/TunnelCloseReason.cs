namespace XmppDotNet.Xtls.Tunnels;

/// <summary>Why a tunnel ended.</summary>
public enum TunnelCloseReason
{
    /// <summary>This side closed the tunnel in order.</summary>
    ClosedLocally,

    /// <summary>The peer closed the tunnel with <c>close</c>.</summary>
    ClosedByPeer,

    /// <summary>The request was refused: by the peer (<c>not-acceptable</c>) for an initiator, by this side for a responder.</summary>
    Refused,

    /// <summary>The peer does not support XTLS (<c>service-unavailable</c> or <c>feature-not-implemented</c> on <c>start</c>); an offline peer answers the same way.</summary>
    NotSupported,

    /// <summary>A simultaneous start was resolved against this request (<c>conflict</c>).</summary>
    Conflict,

    /// <summary>The peer went offline, or the path reported it unreachable or without the tunnel.</summary>
    PeerGone,

    /// <summary>No answer to <c>start</c> in time.</summary>
    StartTimeout,

    /// <summary>The application did not accept or refuse an incoming request in time.</summary>
    DecisionTimeout,

    /// <summary>The TLS handshake did not complete in time.</summary>
    HandshakeTimeout,

    /// <summary><c>data</c> was outstanding and no acknowledgement arrived for too long.</summary>
    ProgressTimeout,

    /// <summary>No <c>closed</c> arrived in time after <c>close</c>.</summary>
    CloseTimeout,

    /// <summary>Another IQ error on a tunnel IQ; the detail names the condition.</summary>
    PeerError,

    /// <summary>The peer sent an undecodable chunk (bad Base64, child elements in <c>data</c>).</summary>
    MalformedData,

    /// <summary>The peer asked for a TLS method this side does not support (e.g. <c>openpgp</c>).</summary>
    UnsupportedMethod,

    /// <summary>The peer broke the protocol (e.g. <c>data</c> before acceptance, first <c>data</c> without <c>method</c>, a malformed offer in <c>proceed</c>).</summary>
    ProtocolViolation,

    /// <summary>The path kept answering <c>wait</c> errors, or reordered data around them.</summary>
    Throttled,

    /// <summary>The TLS layer failed (an alert sent or received, a certificate or password rejected).</summary>
    TlsFailure,

    /// <summary>An inner stanza claimed a sender other than the tunnel's peer.</summary>
    Spoofing,

    /// <summary>The decrypted stream was not well-formed XML.</summary>
    InnerXmlError,

    /// <summary>A bound was exceeded (an oversize chunk, an inner stanza too large).</summary>
    LimitExceeded,

    /// <summary>The peer started a new tunnel while this one existed: it lost its state (e.g. the resource logged in again).</summary>
    Replaced,

    /// <summary>The local XMPP session ended.</summary>
    SessionEnded,
}
