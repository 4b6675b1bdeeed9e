namespace XmppDotNet.Xtls.Host.Presence;

/// <summary>Why a resource left the <see cref="PresenceBook"/>.</summary>
public enum ResourceUnavailableReason
{
    /// <summary>The contact sent <c>unavailable</c> presence (or its server did for it).</summary>
    Unavailable,

    /// <summary>A presence of type <c>error</c> came from the resource (or its bare JID).</summary>
    Error,

    /// <summary>Our own session ended (or a new one started): nothing seen in it is current any more.</summary>
    SessionEnded,
}
