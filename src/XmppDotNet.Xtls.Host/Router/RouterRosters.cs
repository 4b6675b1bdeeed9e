using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Roster;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Router;

/// <summary>
/// The <see cref="InMemoryRouter"/>'s minimal rosters (RFC 6121 §2–3): roster get and set with pushes
/// to the account's sessions, and subscription presence with the subscription states it changes.
/// </summary>
/// <remarks>
/// Enough for tests and demos, not a server: no roster versioning, no pre-approval, no presence probes
/// at login; requests to an account with no available resource are kept (at most 1000 per account)
/// and delivered with its next initial presence.
/// </remarks>
internal sealed class RouterRosters
{
    private const int MaxPendingPerAccount = 1000;

    private readonly InMemoryRouter _router;
    private readonly Lock _gate = new();
    private readonly Dictionary<Jid, Dictionary<Jid, Entry>> _rosters = [];
    private readonly Dictionary<Jid, OrderedDictionary<Jid, bool>> _pendingIn = [];
    private long _pushIds;

    public RouterRosters(InMemoryRouter router) => _router = router;

    /// <summary>The router's view of an account's roster (tests inspect it).</summary>
    public IReadOnlyList<RosterItem> ItemsOf(Jid account)
    {
        lock (_gate)
        {
            return _rosters.TryGetValue(account.Bare, out Dictionary<Jid, Entry>? roster) ? [.. roster.Select(p => p.Value.ToItem(p.Key))] : [];
        }
    }

    /// <summary>Answers a roster get or set from one of the account's sessions.</summary>
    public XElement Answer(Jid from, XElement iq)
    {
        Jid owner = from.Bare;
        if (Stanza.GetType(iq) == "get")
        {
            var query = new XElement(RosterXml.Query, ItemsOf(owner).Select(RosterXml.Write));
            return Stanza.ResultFor(iq, query);
        }

        XElement[] elements = [.. iq.Element(RosterXml.Query)!.Elements(RosterXml.Item)];
        if (elements.Length != 1 || !RosterXml.TryRead(elements[0], out RosterItem? requested, out bool remove) || requested.Jid == owner)
        {
            return Stanza.ErrorFor(iq, StanzaError.Of(StanzaErrorConditions.BadRequest));
        }

        Jid contact = requested.Jid;
        if (remove)
        {
            RosterItem? existing;
            lock (_gate)
            {
                existing = Find(owner, contact)?.ToItem(contact);
            }

            if (existing is null)
            {
                return Stanza.ErrorFor(iq, StanzaError.Of(StanzaErrorConditions.ItemNotFound));
            }

            // RFC 6121 §2.5.2: removing an item cancels the subscriptions both ways.
            if (existing.Subscription is RosterSubscription.To or RosterSubscription.Both || existing.AskSubscribe)
            {
                Unsubscribe(owner, contact);
            }

            if (existing.Subscription is RosterSubscription.From or RosterSubscription.Both)
            {
                Unsubscribed(owner, contact);
            }

            RosterItem removed;
            lock (_gate)
            {
                _rosters[owner].Remove(contact);
                removed = existing with { Subscription = RosterSubscription.None };
            }

            Push(owner, removed, remove: true);
            return Stanza.ResultFor(iq);
        }

        RosterItem updated;
        lock (_gate)
        {
            Entry entry = GetOrCreate(owner, contact);
            entry.Name = requested.Name;
            entry.Groups = [.. requested.Groups];
            updated = entry.ToItem(contact);
        }

        Push(owner, updated);
        return Stanza.ResultFor(iq);
    }

    /// <summary>Handles a subscription presence (subscribe, subscribed, unsubscribe, unsubscribed) from a session.</summary>
    public void HandleSubscription(Jid from, Jid to, XElement presence)
    {
        Jid user = from.Bare;
        Jid contact = to.Bare;
        if (user == contact)
        {
            return;
        }

        switch (Stanza.GetType(presence))
        {
            case "subscribe":
                Subscribe(user, contact, presence);
                break;
            case "subscribed":
                Subscribed(user, contact);
                break;
            case "unsubscribe":
                Unsubscribe(user, contact);
                break;
            case "unsubscribed":
                Unsubscribed(user, contact);
                break;
            default:
                break;
        }
    }

    /// <summary>A session sent its initial presence: hand it the requests that waited for the account.</summary>
    public void OnAvailable(Jid fullJid)
    {
        Jid[] requesters;
        lock (_gate)
        {
            requesters = _pendingIn.TryGetValue(fullJid.Bare, out OrderedDictionary<Jid, bool>? pending) ? [.. pending.Keys] : [];
        }

        foreach (Jid requester in requesters)
        {
            _router.DeliverTo(fullJid, SubscriptionPresence(requester, fullJid, "subscribe"));
        }
    }

    private static XElement SubscriptionPresence(Jid from, Jid to, string type) =>
        new(Stanza.PresenceName, new XAttribute("from", from.ToString()), new XAttribute("to", to.ToString()), new XAttribute("type", type));

    private void Subscribe(Jid user, Jid contact, XElement presence)
    {
        RosterItem? changed = null;
        bool alreadyApproved;
        lock (_gate)
        {
            alreadyApproved = Find(contact, user)?.Subscription is RosterSubscription.From or RosterSubscription.Both;
            if (!alreadyApproved)
            {
                Entry entry = GetOrCreate(user, contact);
                if (!entry.Ask && entry.Subscription is RosterSubscription.None or RosterSubscription.From)
                {
                    entry.Ask = true;
                    changed = entry.ToItem(contact);
                }

                if (_router.HasAccount(contact))
                {
                    if (!_pendingIn.TryGetValue(contact, out OrderedDictionary<Jid, bool>? pending))
                    {
                        _pendingIn[contact] = pending = [];
                    }

                    if (pending.TryAdd(user, true) && pending.Count > MaxPendingPerAccount)
                    {
                        pending.RemoveAt(0);
                    }
                }
            }
        }

        if (alreadyApproved)
        {
            // RFC 6121 §3.1.3: the contact's server answers for a contact who already approved.
            _router.DeliverToAccount(user, contact, "subscribed");
            return;
        }

        if (changed is not null)
        {
            Push(user, changed);
        }

        // Delivered to the contact's available resources, with the request's status if it had one.
        var request = new XElement(presence);
        request.SetAttributeValue("from", user.ToString());
        request.SetAttributeValue("to", contact.ToString());
        _router.DeliverToAvailable(contact, request);
    }

    private void Subscribed(Jid approver, Jid subscriber)
    {
        RosterItem approverItem;
        RosterItem? subscriberItem = null;
        lock (_gate)
        {
            bool requested = (_pendingIn.TryGetValue(approver, out OrderedDictionary<Jid, bool>? pending) && pending.Remove(subscriber))
                || Find(subscriber, approver)?.Ask == true;
            if (!requested)
            {
                // RFC 6121 §3.1.5 without pre-approval: a subscribed nobody asked for is ignored.
                return;
            }

            Entry entry = GetOrCreate(approver, subscriber);
            entry.Subscription = entry.Subscription switch
            {
                RosterSubscription.None => RosterSubscription.From,
                RosterSubscription.To => RosterSubscription.Both,
                _ => entry.Subscription,
            };
            approverItem = entry.ToItem(subscriber);
            if (_router.HasAccount(subscriber))
            {
                Entry theirs = GetOrCreate(subscriber, approver);
                theirs.Ask = false;
                theirs.Subscription = theirs.Subscription switch
                {
                    RosterSubscription.None => RosterSubscription.To,
                    RosterSubscription.From => RosterSubscription.Both,
                    _ => theirs.Subscription,
                };
                subscriberItem = theirs.ToItem(approver);
            }
        }

        Push(approver, approverItem);
        if (subscriberItem is not null)
        {
            Push(subscriber, subscriberItem);
        }

        _router.DeliverToAccount(subscriber, approver, "subscribed");

        // RFC 6121 §3.1.6: the new subscriber gets the contact's current presence.
        _router.SendAvailablePresence(approver, subscriber);
    }

    private void Unsubscribe(Jid user, Jid contact)
    {
        RosterItem? userItem = null;
        RosterItem? contactItem = null;
        bool hadTo = false;
        lock (_gate)
        {
            if (Find(user, contact) is { } mine)
            {
                hadTo = mine.Subscription is RosterSubscription.To or RosterSubscription.Both;
                RosterItem before = mine.ToItem(contact);
                mine.Ask = false;
                mine.Subscription = mine.Subscription switch
                {
                    RosterSubscription.To => RosterSubscription.None,
                    RosterSubscription.Both => RosterSubscription.From,
                    _ => mine.Subscription,
                };
                userItem = mine.ToItem(contact) == before ? null : mine.ToItem(contact);
            }

            if (Find(contact, user) is { } theirs)
            {
                RosterItem before = theirs.ToItem(user);
                theirs.Subscription = theirs.Subscription switch
                {
                    RosterSubscription.From => RosterSubscription.None,
                    RosterSubscription.Both => RosterSubscription.To,
                    _ => theirs.Subscription,
                };
                contactItem = theirs.ToItem(user) == before ? null : theirs.ToItem(user);
            }

            if (_pendingIn.TryGetValue(contact, out OrderedDictionary<Jid, bool>? pending))
            {
                pending.Remove(user);
            }
        }

        if (userItem is not null)
        {
            Push(user, userItem);
        }

        if (contactItem is not null)
        {
            Push(contact, contactItem);
        }

        _router.DeliverToAccount(contact, user, "unsubscribe");
        if (hadTo)
        {
            _router.SendUnavailablePresence(contact, user);
        }
    }

    private void Unsubscribed(Jid revoker, Jid subscriber)
    {
        RosterItem? revokerItem = null;
        RosterItem? subscriberItem = null;
        bool hadTo = false;
        lock (_gate)
        {
            if (_pendingIn.TryGetValue(revoker, out OrderedDictionary<Jid, bool>? pending))
            {
                pending.Remove(subscriber);
            }

            if (Find(revoker, subscriber) is { } mine)
            {
                RosterItem before = mine.ToItem(subscriber);
                mine.Subscription = mine.Subscription switch
                {
                    RosterSubscription.From => RosterSubscription.None,
                    RosterSubscription.Both => RosterSubscription.To,
                    _ => mine.Subscription,
                };
                revokerItem = mine.ToItem(subscriber) == before ? null : mine.ToItem(subscriber);
            }

            if (Find(subscriber, revoker) is { } theirs)
            {
                hadTo = theirs.Subscription is RosterSubscription.To or RosterSubscription.Both;
                RosterItem before = theirs.ToItem(revoker);
                theirs.Ask = false;
                theirs.Subscription = theirs.Subscription switch
                {
                    RosterSubscription.To => RosterSubscription.None,
                    RosterSubscription.Both => RosterSubscription.From,
                    _ => theirs.Subscription,
                };
                subscriberItem = theirs.ToItem(revoker) == before ? null : theirs.ToItem(revoker);
            }
        }

        if (revokerItem is not null)
        {
            Push(revoker, revokerItem);
        }

        if (subscriberItem is not null)
        {
            Push(subscriber, subscriberItem);
        }

        _router.DeliverToAccount(subscriber, revoker, "unsubscribed");
        if (hadTo)
        {
            _router.SendUnavailablePresence(revoker, subscriber);
        }
    }

    // Under the lock.
    private Entry? Find(Jid owner, Jid contact) =>
        _rosters.TryGetValue(owner, out Dictionary<Jid, Entry>? roster) ? roster.GetValueOrDefault(contact) : null;

    // Under the lock.
    private Entry GetOrCreate(Jid owner, Jid contact)
    {
        if (!_rosters.TryGetValue(owner, out Dictionary<Jid, Entry>? roster))
        {
            _rosters[owner] = roster = [];
        }

        if (!roster.TryGetValue(contact, out Entry? entry))
        {
            roster[contact] = entry = new Entry();
        }

        return entry;
    }

    private void Push(Jid owner, RosterItem item, bool remove = false)
    {
        XElement element = RosterXml.Write(item);
        if (remove)
        {
            element.SetAttributeValue("subscription", "remove");
            element.SetAttributeValue("ask", null);
        }

        foreach (Jid session in _router.SessionsOf(owner))
        {
            var push = new XElement(
                Stanza.IqName,
                new XAttribute("type", "set"),
                new XAttribute("id", "push" + Interlocked.Increment(ref _pushIds).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new XAttribute("to", session.ToString()),
                new XElement(RosterXml.Query, new XElement(element)));
            _router.DeliverTo(session, push);
        }
    }

    private sealed class Entry
    {
        public string? Name { get; set; }

        public List<string> Groups { get; set; } = [];

        public RosterSubscription Subscription { get; set; }

        public bool Ask { get; set; }

        public RosterItem ToItem(Jid contact) => new(contact, Name, Subscription, Ask, [.. Groups]);
    }
}
