namespace XmppDotNet.Xtls.Host.Presence;

/// <summary>A resource that was available is no longer (or the session that saw it ended).</summary>
public sealed class ResourceUnavailableEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public ResourceUnavailableEventArgs(Jid jid, ResourceUnavailableReason reason)
    {
        Jid = jid ?? throw new ArgumentNullException(nameof(jid));
        Reason = reason;
    }

    /// <summary>The resource's full JID.</summary>
    public Jid Jid { get; }

    /// <summary>Why it is no longer available.</summary>
    public ResourceUnavailableReason Reason { get; }
}
