using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>
/// The account's roster and presence subscriptions (RFC 6121 §2–3): the items the server holds,
/// kept current by roster pushes, and the subscription requests contacts sent.
/// </summary>
/// <remarks>
/// <para>Roster pushes are accepted only from the account's own server (no <c>from</c>, or the
/// account's bare JID; RFC 6121 §2.1.6); a push from anyone else is answered with
/// <c>service-unavailable</c>, ignored and counted in <see cref="RejectedPushes"/>. A push with
/// other than exactly one item is answered with <c>bad-request</c>.</para>
/// <para>Nothing is approved automatically unless <see cref="AutoApprove"/> says so: a request
/// waits in <see cref="PendingRequests"/> (at most <see cref="MaxPendingRequests"/>, the oldest dropped
/// and counted) for <see cref="ApproveAsync"/> or <see cref="DenyAsync"/>.</para>
/// <para>At most <see cref="MaxItems"/> items are kept; beyond it, further items are not kept locally
/// (the server's roster stays complete), counted in <see cref="DroppedItems"/> and logged.</para>
/// <para>Events for pushes and presence are raised on the channel's event loop; a handler that throws is
/// logged and does not affect the roster or the other handlers.</para>
/// </remarks>
public sealed class RosterManager
{
    private const int MaxStatusLength = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<Jid, RosterItem> _items = [];
    private readonly OrderedDictionary<Jid, bool> _pending = [];
    private readonly ISession _session;
    private readonly ILogger _logger;
    private int _maxItems = 10_000;
    private int _maxPendingRequests = 256;
    private long _droppedItems;
    private long _droppedRequests;
    private long _rejectedPushes;

    private RosterManager(ISession session, Func<Jid, bool>? autoApprove)
    {
        _session = session;
        _logger = session.LoggerFactory.CreateLogger<RosterManager>();
        AutoApprove = autoApprove;
    }

    /// <summary>Raised when an item is added, updated or removed (by a push or a fresh roster).</summary>
    public event EventHandler<RosterChangedEventArgs>? Changed;

    /// <summary>Raised when a contact asks to see the account's presence.</summary>
    public event EventHandler<SubscriptionRequestedEventArgs>? SubscriptionRequested;

    /// <summary>Raised when a contact sends <c>subscribed</c>, <c>unsubscribed</c> or <c>unsubscribe</c>.</summary>
    public event EventHandler<SubscriptionChangedEventArgs>? SubscriptionChanged;

    /// <summary>
    /// Decides which subscription requests are approved without asking the user; <c>null</c> (the
    /// default) approves none. Called on the event loop with the requester's bare JID; if it throws,
    /// the request stays pending.
    /// </summary>
    public Func<Jid, bool>? AutoApprove { get; set; }

    /// <summary>The items (a snapshot).</summary>
    public IReadOnlyCollection<RosterItem> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items.Values];
            }
        }
    }

    /// <summary>The bare JIDs whose subscription requests await an answer, oldest first.</summary>
    public IReadOnlyList<Jid> PendingRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending.Keys];
            }
        }
    }

    /// <summary>The most items kept; default 10,000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxItems
    {
        get => Volatile.Read(ref _maxItems);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _maxItems, value);
        }
    }

    /// <summary>The most pending subscription requests kept; default 256.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxPendingRequests
    {
        get => Volatile.Read(ref _maxPendingRequests);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _maxPendingRequests, value);
        }
    }

    /// <summary>How many items were not kept because of <see cref="MaxItems"/>.</summary>
    public long DroppedItems => Interlocked.Read(ref _droppedItems);

    /// <summary>How many pending requests were dropped because of <see cref="MaxPendingRequests"/>.</summary>
    public long DroppedRequests => Interlocked.Read(ref _droppedRequests);

    /// <summary>How many roster pushes came from someone other than the account's server and were ignored.</summary>
    public long RejectedPushes => Interlocked.Read(ref _rejectedPushes);

    /// <summary>
    /// Creates a roster manager for a session, lets it handle roster pushes and subscription presence,
    /// and registers it as the session's <see cref="RosterManager"/>. Every <c>XmppClient</c> does this
    /// when it is built (and gets the roster at login).
    /// </summary>
    public static RosterManager Register(ISession session, Func<Jid, bool>? autoApprove = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        var roster = new RosterManager(session, autoApprove);
        session.AddStanzaHandler(
            static s => Stanza.IsIq(s) && Stanza.GetType(s) == "set" && s.Element(RosterXml.Query) is not null,
            roster.OnPushAsync);
        session.AddStanzaHandler(
            static s => Stanza.IsPresence(s) && Stanza.GetType(s) is "subscribe" or "subscribed" or "unsubscribe" or "unsubscribed",
            roster.OnSubscriptionPresenceAsync);
        session.SetService(roster);
        return roster;
    }

    /// <summary>The item of a contact (by its bare JID), or <c>null</c>.</summary>
    public RosterItem? Find(Jid jid)
    {
        ArgumentNullException.ThrowIfNull(jid);
        lock (_gate)
        {
            return _items.GetValueOrDefault(jid.Bare);
        }
    }

    /// <summary>Gets the roster from the server and replaces the local items with it.</summary>
    /// <exception cref="XmppStanzaException">The server answered with an error.</exception>
    /// <exception cref="XmppIqTimeoutException">No answer in time.</exception>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        XElement result = await _session.SendIqAsync(Stanza.Iq("get", _session.NextId(), null, new XElement(RosterXml.Query)), cancellationToken: cancellationToken).ConfigureAwait(false);
        List<RosterItem> items = [];
        foreach (XElement element in result.Element(RosterXml.Query)?.Elements(RosterXml.Item) ?? [])
        {
            if (RosterXml.TryRead(element, out RosterItem? item, out bool remove) && !remove)
            {
                items.Add(item);
            }
        }

        Replace(items);
    }

    /// <summary>Adds a contact to the roster or changes its name and groups (a roster set; the server pushes the result).</summary>
    /// <exception cref="XmppStanzaException">The server refused it.</exception>
    public Task AddAsync(Jid jid, string? name = null, IEnumerable<string>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(jid);
        var item = new XElement(RosterXml.Item, new XAttribute("jid", jid.Bare.ToString()));
        if (name is not null)
        {
            item.SetAttributeValue("name", name);
        }

        item.Add((groups ?? []).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal).Select(g => new XElement(RosterXml.Group, g)));
        return SetAsync(item);
    }

    /// <summary>Removes a contact from the roster; the server also cancels the subscriptions both ways (RFC 6121 §2.5).</summary>
    /// <exception cref="XmppStanzaException">The server refused it (e.g. <c>item-not-found</c>).</exception>
    public Task RemoveAsync(Jid jid)
    {
        ArgumentNullException.ThrowIfNull(jid);
        return SetAsync(new XElement(RosterXml.Item, new XAttribute("jid", jid.Bare.ToString()), new XAttribute("subscription", "remove")));
    }

    /// <summary>Asks to see a contact's presence (<c>subscribe</c>).</summary>
    public Task RequestSubscriptionAsync(Jid jid) => SendPresenceAsync(jid, "subscribe");

    /// <summary>Lets a contact see the account's presence (<c>subscribed</c>), answering its request or pre-approving one.</summary>
    public Task ApproveAsync(Jid jid)
    {
        ArgumentNullException.ThrowIfNull(jid);
        RemovePending(jid.Bare);
        return SendPresenceAsync(jid, "subscribed");
    }

    /// <summary>Refuses a contact's request, or cancels the contact's existing subscription to the account's presence (<c>unsubscribed</c>).</summary>
    public Task DenyAsync(Jid jid)
    {
        ArgumentNullException.ThrowIfNull(jid);
        RemovePending(jid.Bare);
        return SendPresenceAsync(jid, "unsubscribed");
    }

    /// <summary>Stops seeing a contact's presence, or withdraws a request (<c>unsubscribe</c>).</summary>
    public Task CancelSubscriptionAsync(Jid jid) => SendPresenceAsync(jid, "unsubscribe");

    /// <summary>A new session starts: requests the server will deliver again are forgotten.</summary>
    internal void OnSessionStarting()
    {
        lock (_gate)
        {
            _pending.Clear();
        }
    }

    /// <summary>Gets the roster at login; any failure leaves an empty roster and is logged, never failing the login.</summary>
    internal async Task LoadAtLoginAsync()
    {
        try
        {
            await RefreshAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            RosterLog.RosterUnavailable(_logger, e);
            Replace([]);
        }
    }

    private async Task SetAsync(XElement item) =>
        await _session.SendIqAsync(Stanza.Iq("set", _session.NextId(), null, new XElement(RosterXml.Query, item))).ConfigureAwait(false);

    private Task SendPresenceAsync(Jid jid, string type)
    {
        ArgumentNullException.ThrowIfNull(jid);
        return _session.SendAsync(new XElement(Stanza.PresenceName, new XAttribute("to", jid.Bare.ToString()), new XAttribute("type", type)));
    }

    private void RemovePending(Jid bare)
    {
        lock (_gate)
        {
            _pending.Remove(bare);
        }
    }

    private async ValueTask<bool> OnPushAsync(XElement iq)
    {
        Jid? from;
        try
        {
            from = Stanza.GetFrom(iq);
        }
        catch (InvalidJidException)
        {
            await AnswerErrorAsync(iq, StanzaErrorConditions.JidMalformed).ConfigureAwait(false);
            return true;
        }

        if (from is not null && from != _session.Jid.Bare)
        {
            Interlocked.Increment(ref _rejectedPushes);
            RosterLog.PushFromStranger(_logger, from.ToString());
            await AnswerErrorAsync(iq, StanzaErrorConditions.ServiceUnavailable).ConfigureAwait(false);
            return true;
        }

        XElement[] elements = [.. iq.Element(RosterXml.Query)!.Elements(RosterXml.Item)];
        if (elements.Length != 1 || !RosterXml.TryRead(elements[0], out RosterItem? item, out bool remove))
        {
            RosterLog.MalformedPush(_logger);
            await AnswerErrorAsync(iq, StanzaErrorConditions.BadRequest).ConfigureAwait(false);
            return true;
        }

        Apply(item, remove);
        await _session.SendAsync(Stanza.ResultFor(iq)).ConfigureAwait(false);
        return true;
    }

    private Task AnswerErrorAsync(XElement iq, string condition) =>
        string.IsNullOrEmpty(Stanza.GetId(iq)) ? Task.CompletedTask : _session.SendAsync(Stanza.ErrorFor(iq, StanzaError.Of(condition)));

    private async ValueTask<bool> OnSubscriptionPresenceAsync(XElement presence)
    {
        Jid? from;
        try
        {
            from = Stanza.GetFrom(presence)?.Bare;
        }
        catch (InvalidJidException)
        {
            return false;
        }

        if (from is null || from == _session.Jid.Bare)
        {
            return false;
        }

        switch (Stanza.GetType(presence))
        {
            case "subscribe":
                await OnSubscribeAsync(from, presence).ConfigureAwait(false);
                break;
            case "subscribed":
                Raise(SubscriptionChanged, new SubscriptionChangedEventArgs(from, SubscriptionChangeKind.Subscribed));
                break;
            case "unsubscribed":
                Raise(SubscriptionChanged, new SubscriptionChangedEventArgs(from, SubscriptionChangeKind.Unsubscribed));
                break;
            default:
                RemovePending(from);
                Raise(SubscriptionChanged, new SubscriptionChangedEventArgs(from, SubscriptionChangeKind.Unsubscribe));
                break;
        }

        // The application still sees the presence.
        return false;
    }

    private async Task OnSubscribeAsync(Jid from, XElement presence)
    {
        string? status = presence.Element(XName.Get("status", XmppNamespaces.Client))?.Value;
        if (status is { Length: > MaxStatusLength })
        {
            status = status[..MaxStatusLength];
        }

        bool approve = false;
        try
        {
            approve = AutoApprove?.Invoke(from) ?? false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            RosterLog.AutoApproveFailed(_logger, from.ToString(), e);
        }

        if (approve)
        {
            RosterLog.AutoApproved(_logger, from.ToString());
            RemovePending(from);
            await SendPresenceAsync(from, "subscribed").ConfigureAwait(false);
            Raise(SubscriptionRequested, new SubscriptionRequestedEventArgs(from, status, autoApproved: true));
            return;
        }

        Jid? dropped = null;
        lock (_gate)
        {
            if (!_pending.TryAdd(from, true))
            {
                // Already pending (servers deliver open requests again): nothing new to tell.
                return;
            }

            if (_pending.Count > MaxPendingRequests)
            {
                dropped = _pending.GetAt(0).Key;
                _pending.RemoveAt(0);
                Interlocked.Increment(ref _droppedRequests);
            }
        }

        if (dropped is not null)
        {
            RosterLog.RequestDropped(_logger, dropped.ToString());
        }

        Raise(SubscriptionRequested, new SubscriptionRequestedEventArgs(from, status, autoApproved: false));
    }

    private void Apply(RosterItem item, bool remove)
    {
        RosterChangedEventArgs? change = null;
        bool overBound = false;
        lock (_gate)
        {
            if (remove)
            {
                if (_items.Remove(item.Jid, out RosterItem? old))
                {
                    change = new RosterChangedEventArgs(RosterChangeKind.Removed, old);
                }
            }
            else if (_items.TryGetValue(item.Jid, out RosterItem? old))
            {
                if (old != item)
                {
                    _items[item.Jid] = item;
                    change = new RosterChangedEventArgs(RosterChangeKind.Updated, item);
                }
            }
            else if (_items.Count >= MaxItems)
            {
                Interlocked.Increment(ref _droppedItems);
                overBound = true;
            }
            else
            {
                _items[item.Jid] = item;
                change = new RosterChangedEventArgs(RosterChangeKind.Added, item);
            }

            // A contact the account now lets see its presence has no open request any more.
            if (!remove && item.Subscription is RosterSubscription.From or RosterSubscription.Both)
            {
                _pending.Remove(item.Jid);
            }
        }

        if (overBound)
        {
            RosterLog.TooManyItems(_logger, MaxItems);
        }

        if (change is not null)
        {
            Raise(Changed, change);
        }
    }

    private void Replace(List<RosterItem> items)
    {
        List<RosterChangedEventArgs> changes = [];
        int dropped = 0;
        lock (_gate)
        {
            var fresh = new Dictionary<Jid, RosterItem>();
            foreach (RosterItem item in items)
            {
                if (fresh.Count >= MaxItems && !fresh.ContainsKey(item.Jid))
                {
                    dropped++;
                    continue;
                }

                fresh[item.Jid] = item;
            }

            foreach (RosterItem old in _items.Values.Where(i => !fresh.ContainsKey(i.Jid)))
            {
                changes.Add(new RosterChangedEventArgs(RosterChangeKind.Removed, old));
            }

            foreach (RosterItem item in fresh.Values)
            {
                if (!_items.TryGetValue(item.Jid, out RosterItem? old))
                {
                    changes.Add(new RosterChangedEventArgs(RosterChangeKind.Added, item));
                }
                else if (old != item)
                {
                    changes.Add(new RosterChangedEventArgs(RosterChangeKind.Updated, item));
                }
            }

            _items.Clear();
            foreach (RosterItem item in fresh.Values)
            {
                _items[item.Jid] = item;
                if (item.Subscription is RosterSubscription.From or RosterSubscription.Both)
                {
                    _pending.Remove(item.Jid);
                }
            }

            Interlocked.Add(ref _droppedItems, dropped);
        }

        if (dropped > 0)
        {
            RosterLog.TooManyItems(_logger, MaxItems);
        }

        foreach (RosterChangedEventArgs change in changes)
        {
            Raise(Changed, change);
        }
    }

    private void Raise<T>(EventHandler<T>? handlers, T args)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (EventHandler<T> handler in handlers.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                handler(this, args);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                RosterLog.HandlerFailed(_logger, e);
            }
        }
    }
}
