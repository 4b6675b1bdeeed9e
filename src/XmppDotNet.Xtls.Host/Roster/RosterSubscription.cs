namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>The subscription state of a roster item (RFC 6121 §2.1.2.5), seen from the account.</summary>
public enum RosterSubscription
{
    /// <summary>Neither sees the other's presence.</summary>
    None,

    /// <summary>The account sees the contact's presence.</summary>
    To,

    /// <summary>The contact sees the account's presence.</summary>
    From,

    /// <summary>Both see each other's presence.</summary>
    Both,
}
