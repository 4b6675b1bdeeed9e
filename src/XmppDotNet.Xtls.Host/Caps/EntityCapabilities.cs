using System.Diagnostics.CodeAnalysis;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Caps;

/// <summary>
/// What does a full JID support? Entity capabilities (XEP-0115) with disco#info as the truth: a
/// resource whose presence announced a <c>sha-1</c> ver is answered from a cache of verified vers
/// (shared by every resource announcing the same ver); an unknown ver costs one disco#info
/// <c>node#ver</c> query, whose answer is cached only if it hashes to that ver. Everything else
/// (no caps, another hash, a ver that did not verify) gets a plain disco#info of the resource,
/// cached until that resource's presence changes or it goes unavailable. Our own ver (another
/// resource of the same software with the same features) is known without a query.
/// </summary>
/// <remarks>
/// <para>When the <see cref="PresenceBook"/> records a resource announcing an unknown ver, the lookup
/// starts at once (at most <see cref="MaxPendingQueries"/> such lookups at a time; beyond that a
/// lookup waits until someone asks), so <see cref="FeaturesKnown"/> fires without anyone asking; if the
/// ver does not verify, the resource that announced it is asked plainly. A resource without usable caps
/// is asked only when someone asks about it.</para>
/// <para>Bounded: <see cref="MaxCachedVers"/> verified vers and <see cref="MaxCachedResources"/> per-resource
/// answers, least recently used dropped first; an answer whose feature names add up to more than
/// 16,384 characters is returned to the asker but not cached. A ver that failed verification is
/// remembered (within the same bound) so that presence repeating it does not trigger more queries.</para>
/// </remarks>
public sealed class EntityCapabilities
{
    /// <summary>The caps node this client announces (the software's home).</summary>
    public const string OwnNode = OwnCapabilities.Node;

    private const int MaxCachedFeatureChars = 16_384;

    private readonly Lock _gate = new();
    private readonly ISession _session;
    private readonly PresenceBook _book;
    private readonly ILogger _logger;
    private readonly LruCache<CapsKey, IReadOnlySet<string>> _verified = new(1000);
    private readonly LruCache<CapsKey, bool> _mismatched = new(1000);
    private readonly Dictionary<CapsKey, Lookup> _verifying = [];
    private readonly LruCache<Jid, IReadOnlySet<string>> _byJid = new(1000);
    private readonly Dictionary<Jid, Task<IReadOnlySet<string>>> _querying = [];
    private readonly Dictionary<Jid, CapsKey> _announced = [];
    private readonly Dictionary<CapsKey, HashSet<Jid>> _announcers = [];
    private int _maxPendingQueries = 64;

    private EntityCapabilities(ISession session, PresenceBook book)
    {
        _session = session;
        _book = book;
        _logger = session.LoggerFactory.CreateLogger<EntityCapabilities>();
    }

    /// <summary>Raised when the features of an available resource become known (on the channel's event loop when there is one).</summary>
    public event EventHandler<FeaturesKnownEventArgs>? FeaturesKnown;

    /// <summary>The ver of our own features now, as our presence announces it.</summary>
    public string OwnVer => OwnCapabilities.Ver(_session.Features);

    /// <summary>How many verified vers are cached (least recently used dropped first); default 1000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxCachedVers
    {
        get
        {
            lock (_gate)
            {
                return _verified.Capacity;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_gate)
            {
                _verified.Capacity = value;
                _mismatched.Capacity = value;
            }
        }
    }

    /// <summary>How many per-resource disco#info answers are cached (for resources without usable caps); default 1000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxCachedResources
    {
        get
        {
            lock (_gate)
            {
                return _byJid.Capacity;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_gate)
            {
                _byJid.Capacity = value;
            }
        }
    }

    /// <summary>
    /// How many ver lookups presence may start at once; default 64. Lookups an application asks
    /// for with <see cref="GetFeaturesAsync"/> are not held back by it (the session's bound on
    /// pending IQs applies to them).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxPendingQueries
    {
        get => Volatile.Read(ref _maxPendingQueries);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _maxPendingQueries, value);
        }
    }

    /// <summary>How many verified vers are cached now.</summary>
    public int CachedVers
    {
        get
        {
            lock (_gate)
            {
                return _verified.Count;
            }
        }
    }

    /// <summary>How many ver lookups are under way now.</summary>
    public int PendingQueries
    {
        get
        {
            lock (_gate)
            {
                return _verifying.Count;
            }
        }
    }

    /// <summary>
    /// Creates the service for a session that has a <see cref="PresenceBook"/>, lets it follow the
    /// book, and registers it as the session's <see cref="EntityCapabilities"/>. Every <c>XmppClient</c>
    /// does this when it is built.
    /// </summary>
    /// <exception cref="InvalidOperationException">The session has no presence book.</exception>
    public static EntityCapabilities Register(ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        PresenceBook book = session.GetPresenceBook();
        var caps = new EntityCapabilities(session, book);
        book.ResourceAvailable += (_, e) => caps.OnResourceAvailable(e.Presence);
        book.ResourceUnavailable += (_, e) => caps.OnResourceUnavailable(e.Jid);
        session.SetService(caps);
        return caps;
    }

    /// <summary>The disco#info features of a resource.</summary>
    /// <param name="fullJid">The resource.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (a query other callers share goes on).</param>
    /// <returns>The feature names.</returns>
    /// <exception cref="ArgumentException"><paramref name="fullJid"/> has no resource.</exception>
    /// <exception cref="XmppStanzaException">The disco#info query was answered with an error (e.g. <c>service-unavailable</c> for an offline resource).</exception>
    /// <exception cref="XmppIqTimeoutException">The resource did not answer in time.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<IReadOnlySet<string>> GetFeaturesAsync(Jid fullJid, CancellationToken cancellationToken = default)
    {
        RequireFull(fullJid);
        if (_book.Find(fullJid)?.Caps is { } caps && IsTrusted(caps))
        {
            var key = new CapsKey(caps.Hash, caps.Ver);
            Lookup? lookup = null;
            bool start = false;
            lock (_gate)
            {
                if (TryGetVerified(key, out IReadOnlySet<string>? known))
                {
                    return known;
                }

                if (!_mismatched.Contains(key) && !_verifying.TryGetValue(key, out lookup))
                {
                    lookup = new Lookup(fullJid);
                    _verifying[key] = lookup;
                    start = true;
                }
            }

            if (start)
            {
                _ = VerifyAsync(key, caps.Node, lookup!);
            }

            if (lookup is not null)
            {
                try
                {
                    if (await lookup.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false) is { } features)
                    {
                        return features;
                    }
                }
                catch (XmppStanzaException)
                {
                    // Not answered for node#ver: ask the resource plainly below.
                }
                catch (XmppIqTimeoutException) when (lookup.Target != fullJid)
                {
                    // Another resource did not answer; this one may.
                }
            }
        }

        return await QueryResourceAsync(fullJid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The features of a resource if they are known without asking anyone.</summary>
    /// <returns><c>true</c> if its announced ver is verified and cached, or its own answer is cached.</returns>
    public bool TryGetKnownFeatures(Jid fullJid, [NotNullWhen(true)] out IReadOnlySet<string>? features)
    {
        ArgumentNullException.ThrowIfNull(fullJid);
        CapsAnnouncement? caps = _book.Find(fullJid)?.Caps;
        lock (_gate)
        {
            if (caps is not null && IsTrusted(caps) && TryGetVerified(new CapsKey(caps.Hash, caps.Ver), out features))
            {
                return true;
            }

            return _byJid.TryGet(fullJid, out features);
        }
    }

    // Under the lock. Our own ver needs no query: another resource announcing it has our features.
    private bool TryGetVerified(CapsKey key, [NotNullWhen(true)] out IReadOnlySet<string>? features)
    {
        if (_verified.TryGet(key, out features))
        {
            return true;
        }

        DiscoInfo own = OwnCapabilities.Info(_session.Features);
        if (key.Hash == CapsVerification.Sha1 && key.Ver == CapsVerification.Compute(own))
        {
            features = own.FeatureSet;
            _verified.Set(key, features);
            return true;
        }

        return false;
    }

    private static bool IsTrusted(CapsAnnouncement caps) => caps.Hash == CapsVerification.Sha1;

    private static bool Fits(IReadOnlySet<string> features) => features.Sum(f => f.Length) <= MaxCachedFeatureChars;

    private static void RequireFull(Jid fullJid)
    {
        ArgumentNullException.ThrowIfNull(fullJid);
        if (!fullJid.IsFull)
        {
            throw new ArgumentException("Features belong to a resource: give a full JID.", nameof(fullJid));
        }
    }

    private void OnResourceAvailable(ResourcePresence presence)
    {
        Jid jid = presence.Jid;
        CapsKey? key = presence.Caps is { } caps && IsTrusted(caps) ? new CapsKey(caps.Hash, caps.Ver) : null;
        IReadOnlySet<string>? known = null;
        Lookup? lookup = null;
        lock (_gate)
        {
            // Any change of presence may be a changed client: its own answer is no longer current.
            _byJid.Remove(jid);
            bool changed = _announced.TryGetValue(jid, out CapsKey previous) ? key != previous : key is not null;
            if (!changed)
            {
                return;
            }

            Forget(jid);
            if (key is not { } k)
            {
                return;
            }

            _announced[jid] = k;
            if (!_announcers.TryGetValue(k, out HashSet<Jid>? announcers))
            {
                _announcers[k] = announcers = [];
            }

            announcers.Add(jid);
            if (!TryGetVerified(k, out known) && !_verifying.ContainsKey(k) && !_mismatched.Contains(k))
            {
                if (_verifying.Count >= MaxPendingQueries)
                {
                    CapsLog.LookupDeferred(_logger, k.Ver, jid.ToString(), _verifying.Count);
                }
                else
                {
                    lookup = new Lookup(jid);
                    _verifying[k] = lookup;
                }
            }
        }

        if (known is not null)
        {
            RaiseFeaturesKnown([new FeaturesKnownEventArgs(jid, known, fromCaps: true)]);
        }
        else if (lookup is not null)
        {
            _ = VerifyAsync(key!.Value, presence.Caps!.Node, lookup);
        }
    }

    private void OnResourceUnavailable(Jid jid)
    {
        lock (_gate)
        {
            _byJid.Remove(jid);
            Forget(jid);
        }
    }

    // Under the lock.
    private void Forget(Jid jid)
    {
        if (_announced.Remove(jid, out CapsKey old) && _announcers.TryGetValue(old, out HashSet<Jid>? announcers))
        {
            announcers.Remove(jid);
            if (announcers.Count == 0)
            {
                _announcers.Remove(old);
            }
        }
    }

    private async Task VerifyAsync(CapsKey key, string node, Lookup lookup)
    {
        try
        {
            DiscoInfo info = await _session.QueryInfoAsync(lookup.Target, node + "#" + key.Ver).ConfigureAwait(false);
            IReadOnlySet<string>? features = CapsVerification.TryCompute(info, out string? ver) && ver == key.Ver ? info.FeatureSet : null;
            List<FeaturesKnownEventArgs> known = [];
            lock (_gate)
            {
                _verifying.Remove(key);
                if (features is null)
                {
                    _mismatched.Set(key, true);
                }
                else
                {
                    if (Fits(features))
                    {
                        _verified.Set(key, features);
                    }

                    if (_announcers.TryGetValue(key, out HashSet<Jid>? announcers))
                    {
                        known.AddRange(announcers.Select(jid => new FeaturesKnownEventArgs(jid, features, fromCaps: true)));
                    }
                }
            }

            if (features is null)
            {
                CapsLog.VerMismatch(_logger, lookup.Target.ToString(), key.Ver);

                // Not trusted: ask the resource itself, so that its features still become known. Started
                // before the lookup completes, so that a caller waiting on the lookup joins this query.
                _ = FallBackAsync(lookup.Target);
            }

            lookup.Completion.TrySetResult(features);
            RaiseFeaturesKnown(known);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            lock (_gate)
            {
                _verifying.Remove(key);
            }

            CapsLog.LookupFailed(_logger, lookup.Target.ToString(), e);
            lookup.Completion.TrySetException(e);

            // Nobody may be waiting (a lookup presence started): the failure is logged, not unobserved.
            _ = lookup.Completion.Task.Exception;
        }
    }

    private async Task FallBackAsync(Jid fullJid)
    {
        try
        {
            await QueryResourceAsync(fullJid, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CapsLog.LookupFailed(_logger, fullJid.ToString(), e);
        }
    }

    private async Task<IReadOnlySet<string>> QueryResourceAsync(Jid fullJid, CancellationToken cancellationToken)
    {
        Task<IReadOnlySet<string>>? query;
        TaskCompletionSource<IReadOnlySet<string>>? started = null;
        lock (_gate)
        {
            if (_byJid.TryGet(fullJid, out IReadOnlySet<string>? cached))
            {
                return cached;
            }

            if (!_querying.TryGetValue(fullJid, out query))
            {
                started = new TaskCompletionSource<IReadOnlySet<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
                query = started.Task;
                _querying[fullJid] = query;
            }
        }

        if (started is not null)
        {
            _ = RunQueryAsync(fullJid, started);
        }

        return await query.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunQueryAsync(Jid fullJid, TaskCompletionSource<IReadOnlySet<string>> completion)
    {
        ResourcePresence? before = _book.Find(fullJid);
        try
        {
            DiscoInfo info = await _session.QueryInfoAsync(fullJid).ConfigureAwait(false);
            IReadOnlySet<string> features = info.FeatureSet;
            bool current;
            lock (_gate)
            {
                _querying.Remove(fullJid);

                // Cached only while the presence it was asked under is the resource's presence.
                current = before is not null && _book.Find(fullJid) == before;
                if (current && Fits(features))
                {
                    _byJid.Set(fullJid, features);
                }
            }

            completion.TrySetResult(features);
            if (current)
            {
                RaiseFeaturesKnown([new FeaturesKnownEventArgs(fullJid, features, fromCaps: false)]);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            lock (_gate)
            {
                _querying.Remove(fullJid);
            }

            completion.TrySetException(e);
            _ = completion.Task.Exception;
        }
    }

    private void RaiseFeaturesKnown(List<FeaturesKnownEventArgs> events)
    {
        if (events.Count == 0 || FeaturesKnown is null)
        {
            return;
        }

        IEventLoop? loop = _session.Channel?.EventLoop;
        if (loop is null || loop.InEventLoop)
        {
            Raise(events);
            return;
        }

        try
        {
            loop.Execute(() => Raise(events));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The event loop is shutting down: raise here rather than lose the event.
            Raise(events);
        }
    }

    private void Raise(List<FeaturesKnownEventArgs> events)
    {
        if (FeaturesKnown is not { } handlers)
        {
            return;
        }

        foreach (FeaturesKnownEventArgs args in events)
        {
            foreach (EventHandler<FeaturesKnownEventArgs> handler in handlers.GetInvocationList().Cast<EventHandler<FeaturesKnownEventArgs>>())
            {
                try
                {
                    handler(this, args);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    CapsLog.HandlerFailed(_logger, e);
                }
            }
        }
    }

    private readonly record struct CapsKey(string Hash, string Ver);

    private sealed class Lookup(Jid target)
    {
        public Jid Target { get; } = target;

        public TaskCompletionSource<IReadOnlySet<string>?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
