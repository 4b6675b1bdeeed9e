namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>A contact answered or ended a subscription.</summary>
public sealed class SubscriptionChangedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public SubscriptionChangedEventArgs(Jid contact, SubscriptionChangeKind kind)
    {
        Contact = contact ?? throw new ArgumentNullException(nameof(contact));
        Kind = kind;
    }

    /// <summary>The contact (bare JID).</summary>
    public Jid Contact { get; }

    /// <summary>What the contact sent.</summary>
    public SubscriptionChangeKind Kind { get; }
}
