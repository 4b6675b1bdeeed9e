namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>A contact's subscription presence, as the account receives it.</summary>
public enum SubscriptionChangeKind
{
    /// <summary><c>subscribed</c>: the contact approved the account's request; the account now sees its presence.</summary>
    Subscribed,

    /// <summary><c>unsubscribed</c>: the contact denied the account's request or cancelled the account's subscription.</summary>
    Unsubscribed,

    /// <summary><c>unsubscribe</c>: the contact no longer wants to see the account's presence (or withdrew its request).</summary>
    Unsubscribe,
}
