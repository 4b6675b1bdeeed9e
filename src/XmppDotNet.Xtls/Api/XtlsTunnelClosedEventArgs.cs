using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls;

/// <summary>A tunnel ended (or a request for one failed).</summary>
public sealed class XtlsTunnelClosedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public XtlsTunnelClosedEventArgs(Jid peer, TunnelCloseReason reason, string? detail, bool wasOpen, int undeliveredStanzas)
    {
        Peer = peer;
        Reason = reason;
        Detail = detail;
        WasOpen = wasOpen;
        UndeliveredStanzas = undeliveredStanzas;
    }

    /// <summary>The peer's full JID.</summary>
    public Jid Peer { get; }

    /// <summary>Why it ended.</summary>
    public TunnelCloseReason Reason { get; }

    /// <summary>More about why, or <c>null</c>.</summary>
    public string? Detail { get; }

    /// <summary>Whether the tunnel had been open (otherwise it failed while being set up).</summary>
    public bool WasOpen { get; }

    /// <summary>How many stanzas sent through it were not acknowledged by the peer (their sends failed).</summary>
    public int UndeliveredStanzas { get; }
}
