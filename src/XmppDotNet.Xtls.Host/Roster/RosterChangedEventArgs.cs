namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>A roster item was added, updated or removed.</summary>
public sealed class RosterChangedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public RosterChangedEventArgs(RosterChangeKind kind, RosterItem item)
    {
        Kind = kind;
        Item = item ?? throw new ArgumentNullException(nameof(item));
    }

    /// <summary>What happened.</summary>
    public RosterChangeKind Kind { get; }

    /// <summary>The item as it is now (for <see cref="RosterChangeKind.Removed"/>: as it was).</summary>
    public RosterItem Item { get; }
}
