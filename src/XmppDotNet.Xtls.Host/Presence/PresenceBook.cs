using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Presence;

/// <summary>
/// Which resources of each contact are available now, as inbound presence (RFC 6121 §4) says:
/// priority, show, status and the entity capabilities announcement of each. Other resources of the
/// account are recorded too (they are devices as well; compare bare JIDs to tell them apart); the
/// session's own full JID, the server (no <c>from</c>) and domain-only addresses are not.
/// </summary>
/// <remarks>
/// <para>The book only observes: the application still receives every presence stanza. Subscription
/// presence (<c>subscribe</c>, <c>subscribed</c>, <c>unsubscribe</c>, <c>unsubscribed</c>, <c>probe</c>)
/// does not change availability; <c>unavailable</c> and <c>error</c> remove the resource (or, from a
/// bare JID, every resource of that contact). When the session ends, and when a new one starts,
/// every resource is removed with <see cref="ResourceUnavailableReason.SessionEnded"/>.</para>
/// <para>Bounded: at most <see cref="MaxContacts"/> contacts and <see cref="MaxResourcesPerContact"/>
/// resources each. A presence beyond a bound is not recorded and counted in <see cref="Dropped"/>;
/// a warning is logged once per contact. Lowering a bound does not evict what is recorded.</para>
/// <para>Events are raised on the channel's event loop; a handler that throws is logged and does
/// not affect the book or the other handlers. The queries are thread-safe.</para>
/// </remarks>
public sealed class PresenceBook
{
    /// <summary>How many contacts are remembered for "warned once" before further drops go unlogged.</summary>
    private const int MaxWarnedContacts = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<Jid, Dictionary<string, ResourcePresence>> _contacts = [];
    private readonly HashSet<Jid> _warned = [];
    private readonly ISession _session;
    private readonly ILogger _logger;
    private int _maxContacts = 10_000;
    private int _maxResourcesPerContact = 64;
    private int _maxStatusLength = 1024;
    private long _dropped;

    private PresenceBook(ISession session)
    {
        _session = session;
        _logger = session.LoggerFactory.CreateLogger<PresenceBook>();
    }

    /// <summary>Raised when a resource becomes available, and when a known resource's presence changes (<see cref="ResourceAvailableEventArgs.IsNew"/> tells which).</summary>
    public event EventHandler<ResourceAvailableEventArgs>? ResourceAvailable;

    /// <summary>Raised when a resource is no longer available.</summary>
    public event EventHandler<ResourceUnavailableEventArgs>? ResourceUnavailable;

    /// <summary>The bare JIDs with at least one available resource (a snapshot).</summary>
    public IReadOnlyCollection<Jid> Contacts
    {
        get
        {
            lock (_gate)
            {
                return [.. _contacts.Keys];
            }
        }
    }

    /// <summary>The most contacts (bare JIDs) recorded at once; default 10,000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxContacts
    {
        get => Volatile.Read(ref _maxContacts);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _maxContacts, value);
        }
    }

    /// <summary>The most resources recorded per contact; default 64.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxResourcesPerContact
    {
        get => Volatile.Read(ref _maxResourcesPerContact);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _maxResourcesPerContact, value);
        }
    }

    /// <summary>The longest status text kept, in characters; longer ones are cut. Default 1024.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int MaxStatusLength
    {
        get => Volatile.Read(ref _maxStatusLength);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _maxStatusLength, value);
        }
    }

    /// <summary>How many available presences were not recorded because a bound was reached.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Creates a presence book for a session, lets it observe inbound presence and the session's end,
    /// and registers it as the session's <see cref="PresenceBook"/> service. Every <c>XmppClient</c>
    /// does this when it is built.
    /// </summary>
    public static PresenceBook Register(ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var book = new PresenceBook(session);
        session.AddStanzaHandler(Stanza.IsPresence, presence =>
        {
            book.Observe(presence);
            return ValueTask.FromResult(false);
        });
        session.Closed += (_, _) => book.Clear();
        session.SetService(book);
        return book;
    }

    /// <summary>The available resources of a contact (of <paramref name="contact"/>'s bare JID), highest priority first, then the most recently available.</summary>
    /// <returns>The resources; empty if none is available.</returns>
    public IReadOnlyList<ResourcePresence> GetResources(Jid contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        lock (_gate)
        {
            if (!_contacts.TryGetValue(contact.Bare, out Dictionary<string, ResourcePresence>? resources))
            {
                return [];
            }

            return [.. resources.Values
                .OrderByDescending(r => r.Priority)
                .ThenByDescending(r => r.Since)
                .ThenBy(r => r.Jid)];
        }
    }

    /// <summary>The presence of one resource, or <c>null</c> if it is not available.</summary>
    public ResourcePresence? Find(Jid fullJid)
    {
        ArgumentNullException.ThrowIfNull(fullJid);
        if (fullJid.Resource is not { } resource)
        {
            return null;
        }

        lock (_gate)
        {
            return _contacts.TryGetValue(fullJid.Bare, out Dictionary<string, ResourcePresence>? resources)
                && resources.TryGetValue(resource, out ResourcePresence? presence) ? presence : null;
        }
    }

    /// <summary>Removes every resource, reporting each with <see cref="ResourceUnavailableReason.SessionEnded"/>.</summary>
    internal void Clear()
    {
        List<Jid> removed = [];
        lock (_gate)
        {
            foreach (Dictionary<string, ResourcePresence> resources in _contacts.Values)
            {
                removed.AddRange(resources.Values.Select(r => r.Jid));
            }

            _contacts.Clear();
            _warned.Clear();
        }

        foreach (Jid jid in removed)
        {
            RaiseUnavailable(jid, ResourceUnavailableReason.SessionEnded);
        }
    }

    /// <summary>Updates the book from one inbound presence stanza. Never throws for bad input.</summary>
    internal void Observe(XElement presence)
    {
        Jid? from;
        try
        {
            from = Stanza.GetFrom(presence);
        }
        catch (InvalidJidException)
        {
            return;
        }

        // The server itself and domain-only entities (gateways, components) are no contacts.
        if (from?.Local is null || from == _session.Jid)
        {
            return;
        }

        switch (Stanza.GetType(presence))
        {
            case null when from.IsFull:
                Record(from, presence);
                break;
            case "unavailable":
                Remove(from, ResourceUnavailableReason.Unavailable);
                break;
            case "error":
                Remove(from, ResourceUnavailableReason.Error);
                break;
            default:
                // Subscription management and probes say nothing about availability.
                break;
        }
    }

    private void Record(Jid from, XElement presence)
    {
        Jid bare = from.Bare;
        ResourceAvailableEventArgs? changed;
        string? bound;
        bool warn = false;
        lock (_gate)
        {
            bound = Store(bare, from, presence, out changed);
            if (bound is not null)
            {
                Interlocked.Increment(ref _dropped);
                warn = _warned.Count < MaxWarnedContacts && _warned.Add(bare);
            }
        }

        if (warn)
        {
            PresenceLog.Dropped(_logger, bare.ToString(), bound!);
        }

        if (changed is not null)
        {
            Raise(ResourceAvailable, changed);
        }
    }

    /// <summary>Stores an available presence (under the lock).</summary>
    /// <returns>The name of the bound that kept it out, or <c>null</c> if it was stored or unchanged.</returns>
    private string? Store(Jid bare, Jid from, XElement presence, out ResourceAvailableEventArgs? changed)
    {
        changed = null;
        string resource = from.Resource!;
        if (!_contacts.TryGetValue(bare, out Dictionary<string, ResourcePresence>? resources))
        {
            if (_contacts.Count >= MaxContacts)
            {
                return nameof(MaxContacts);
            }

            resources = [];
            _contacts[bare] = resources;
        }

        if (resources.TryGetValue(resource, out ResourcePresence? previous))
        {
            ResourcePresence current = Parse(from, presence, previous.Since);
            if (current != previous)
            {
                resources[resource] = current;
                changed = new ResourceAvailableEventArgs(current, isNew: false);
            }

            return null;
        }

        if (resources.Count >= MaxResourcesPerContact)
        {
            return nameof(MaxResourcesPerContact);
        }

        ResourcePresence added = Parse(from, presence, null);
        resources[resource] = added;
        changed = new ResourceAvailableEventArgs(added, isNew: true);
        return null;
    }

    private void Remove(Jid from, ResourceUnavailableReason reason)
    {
        List<Jid> removed = [];
        lock (_gate)
        {
            if (!_contacts.TryGetValue(from.Bare, out Dictionary<string, ResourcePresence>? resources))
            {
                return;
            }

            if (from.Resource is { } resource)
            {
                if (resources.Remove(resource))
                {
                    removed.Add(from);
                }
            }
            else
            {
                removed.AddRange(resources.Values.Select(r => r.Jid));
                resources.Clear();
            }

            if (resources.Count == 0)
            {
                _contacts.Remove(from.Bare);
            }
        }

        foreach (Jid jid in removed)
        {
            RaiseUnavailable(jid, reason);
        }
    }

    private ResourcePresence Parse(Jid from, XElement presence, DateTimeOffset? since)
    {
        string? show = presence.Element(XName.Get("show", XmppNamespaces.Client))?.Value.Trim() switch
        {
            "away" => "away",
            "chat" => "chat",
            "dnd" => "dnd",
            "xa" => "xa",
            _ => null,
        };
        string? status = presence.Element(XName.Get("status", XmppNamespaces.Client))?.Value;
        if (status is not null && status.Length > MaxStatusLength)
        {
            status = status[..MaxStatusLength];
        }

        return new ResourcePresence(from, ParsePriority(presence), show, status, CapsAnnouncement.FromPresence(presence), since ?? _session.TimeProvider.GetUtcNow());
    }

    private static int ParsePriority(XElement presence)
    {
        string? text = presence.Element(XName.Get("priority", XmppNamespaces.Client))?.Value;
        return text is not null
            && int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int priority)
            && priority is >= -128 and <= 127
            ? priority
            : 0;
    }

    private void RaiseUnavailable(Jid jid, ResourceUnavailableReason reason) =>
        Raise(ResourceUnavailable, new ResourceUnavailableEventArgs(jid, reason));

    private void Raise<T>(EventHandler<T>? handlers, T args)
    {
        if (handlers is null)
        {
            return;
        }

        // Each handler on its own, so that one failing handler does not starve the others.
        foreach (EventHandler<T> handler in handlers.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                handler(this, args);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                PresenceLog.HandlerFailed(_logger, e);
            }
        }
    }
}
