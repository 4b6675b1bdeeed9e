using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls;

/// <summary>A tunnel could not be opened, or ended before a stanza sent through it was acknowledged.</summary>
public sealed class XtlsTunnelException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XtlsTunnelException()
        : this("The XTLS tunnel failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XtlsTunnelException(string message)
        : base(message)
    {
        Reason = TunnelCloseReason.PeerError;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public XtlsTunnelException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = TunnelCloseReason.PeerError;
    }

    /// <summary>Creates the exception for a tunnel that ended.</summary>
    /// <param name="peer">The peer's full JID.</param>
    /// <param name="reason">Why the tunnel ended.</param>
    /// <param name="detail">More about why, or <c>null</c>.</param>
    /// <param name="innerException">The cause, if any.</param>
    public XtlsTunnelException(Jid peer, TunnelCloseReason reason, string? detail, Exception? innerException = null)
        : base(Describe(peer, reason, detail), innerException)
    {
        Peer = peer;
        Reason = reason;
        Detail = detail;
    }

    /// <summary>The peer, when known.</summary>
    public Jid? Peer { get; }

    /// <summary>Why the tunnel failed.</summary>
    public TunnelCloseReason Reason { get; }

    /// <summary>More about why (an error condition, a TLS alert), or <c>null</c>.</summary>
    public string? Detail { get; }

    private static string Describe(Jid peer, TunnelCloseReason reason, string? detail) =>
        detail is null ? $"The XTLS tunnel with {peer} ended: {reason}." : $"The XTLS tunnel with {peer} ended: {reason} ({detail}).";
}
