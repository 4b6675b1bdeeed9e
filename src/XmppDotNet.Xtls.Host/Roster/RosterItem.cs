namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>One contact in the roster (RFC 6121 §2.1.2).</summary>
/// <param name="Jid">The contact's bare JID.</param>
/// <param name="Name">The name the user gave the contact, or <c>null</c>.</param>
/// <param name="Subscription">Who sees whose presence.</param>
/// <param name="AskSubscribe">Whether the account's request to see the contact's presence awaits the contact's answer.</param>
/// <param name="Groups">The groups the item is in.</param>
public sealed record RosterItem(Jid Jid, string? Name, RosterSubscription Subscription, bool AskSubscribe, IReadOnlyList<string> Groups)
{
    /// <inheritdoc />
    public bool Equals(RosterItem? other) =>
        other is not null && Jid == other.Jid && Name == other.Name && Subscription == other.Subscription
        && AskSubscribe == other.AskSubscribe && Groups.SequenceEqual(other.Groups, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Jid, Name, Subscription, AskSubscribe, Groups.Count);
}
