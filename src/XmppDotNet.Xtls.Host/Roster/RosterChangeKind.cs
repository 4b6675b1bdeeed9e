namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>What happened to a roster item.</summary>
public enum RosterChangeKind
{
    /// <summary>A new item.</summary>
    Added,

    /// <summary>An item's name, groups or subscription changed.</summary>
    Updated,

    /// <summary>The item was removed.</summary>
    Removed,
}
