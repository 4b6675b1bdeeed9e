namespace XmppDotNet.Xtls.Host.Presence;

/// <summary>A resource became available, or an available resource changed its presence.</summary>
public sealed class ResourceAvailableEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public ResourceAvailableEventArgs(ResourcePresence presence, bool isNew)
    {
        Presence = presence ?? throw new ArgumentNullException(nameof(presence));
        IsNew = isNew;
    }

    /// <summary>The resource's presence as the book now holds it.</summary>
    public ResourcePresence Presence { get; }

    /// <summary><c>true</c> if the resource was not available before; <c>false</c> for a changed presence.</summary>
    public bool IsNew { get; }
}
