using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>Thrown when an operation does not fit the tunnel's state, or there is no tunnel (or already one) to that peer.</summary>
public sealed class TunnelStateException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public TunnelStateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TunnelStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public TunnelStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a peer and the tunnel's state.</summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="state">The state of the tunnel to that peer, or <c>null</c> when there is none.</param>
    /// <param name="message">A description for logs.</param>
    public TunnelStateException(Jid remote, TunnelState? state, string message)
        : base(message)
    {
        Remote = remote;
        State = state;
    }

    /// <summary>The peer's full JID.</summary>
    public Jid? Remote { get; }

    /// <summary>The state of the tunnel to that peer, or <c>null</c> when there is none.</summary>
    public TunnelState? State { get; }
}
