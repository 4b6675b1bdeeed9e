using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Roster;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>
/// The presence subscriptions of a chat. With a bare <c>--peer</c>, the contact's presence tells which of its
/// devices are online, so this side asks for a subscription when it has none. With <c>--accept JID</c>, that
/// contact's request (and only that one's) is approved; nothing else is ever approved.
/// </summary>
internal static class ContactSubscription
{
    /// <summary>Asks the contact for a presence subscription unless this side has one or has asked already.</summary>
    public static async Task EnsureAsync(XmppClient client, Jid contact, StatusWriter status, CancellationToken cancellationToken)
    {
        RosterManager roster = client.GetRoster();
        roster.SubscriptionChanged += (_, e) =>
        {
            if (e.Contact.Bare == contact && e.Kind == SubscriptionChangeKind.Unsubscribed)
            {
                status.Warning($"{contact} refused or cancelled the presence subscription: its devices cannot be seen");
            }
            else if (e.Contact.Bare == contact && e.Kind == SubscriptionChangeKind.Subscribed)
            {
                status.Info($"{contact} approved the presence subscription");
            }
        };

        RosterItem? item = roster.Find(contact);
        if (item?.Subscription is RosterSubscription.To or RosterSubscription.Both)
        {
            return;
        }

        if (item?.AskSubscribe == true)
        {
            status.Info($"a presence subscription to {contact} is pending; waiting for its approval");
            return;
        }

        status.Info($"asking {contact} for a presence subscription, to see its devices; waiting for its approval");
        cancellationToken.ThrowIfCancellationRequested();
        await roster.RequestSubscriptionAsync(contact).ConfigureAwait(false);
    }

    /// <summary>
    /// Approves subscription requests from <paramref name="approved"/> (by bare JID), pending ones and those still
    /// to come; says on standard error which others are left unanswered. Call before connecting.
    /// </summary>
    public static void ApproveOnly(XmppClient client, Jid? approved, StatusWriter status)
    {
        RosterManager roster = client.GetRoster();
        roster.SubscriptionRequested += (_, e) =>
        {
            if (e.AutoApproved)
            {
                return;
            }

            if (approved is not null && e.From.Bare == approved.Bare)
            {
                status.Info($"approving the presence subscription request of {e.From}");
                _ = roster.ApproveAsync(e.From).ContinueWith(
                    t => status.Warning($"could not approve the subscription of {e.From}: {t.Exception?.GetBaseException().Message}"),
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted,
                    TaskScheduler.Default);
            }
            else
            {
                string only = approved is null ? "--accept names no JID" : $"--accept names {approved.Bare}";
                status.Info($"left the presence subscription request of {e.From} unanswered ({only})");
            }
        };
    }
}
