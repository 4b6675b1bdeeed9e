using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>
/// The resources waiting for a presence-driven tunnel, without I/O: each resource once, at most
/// <c>concurrency</c> opens at a time, at most <c>capacity</c> waiting (a presence flood cannot grow it).
/// </summary>
internal sealed class PresenceOpenQueue
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Jid> _waiting = new();
    private readonly HashSet<Jid> _queued = [];
    private readonly HashSet<Jid> _running = [];
    private readonly Dictionary<Jid, int> _claims = [];
    private readonly int _concurrency;
    private readonly int _capacity;

    public PresenceOpenQueue(int concurrency, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _concurrency = concurrency;
        _capacity = capacity;
    }

    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Queues a resource; <c>false</c> when it is queued or running already, or the queue is full.</summary>
    public bool Enqueue(Jid resource)
    {
        lock (_gate)
        {
            if (_queued.Contains(resource) || _running.Contains(resource) || _waiting.Count >= _capacity)
            {
                return false;
            }

            _queued.Add(resource);
            _waiting.AddLast(resource);
            return true;
        }
    }

    /// <summary>A resource that went away before its turn leaves the queue.</summary>
    public bool Remove(Jid resource)
    {
        lock (_gate)
        {
            return _queued.Remove(resource) && _waiting.Remove(resource);
        }
    }

    /// <summary>The next resource to open, if a slot is free; the caller must call <see cref="Finished"/> for it.</summary>
    public bool TryStart(out Jid? resource)
    {
        lock (_gate)
        {
            if (_running.Count >= _concurrency || _waiting.First is not { } first)
            {
                resource = null;
                return false;
            }

            _waiting.RemoveFirst();
            _queued.Remove(first.Value);
            _running.Add(first.Value);
            resource = first.Value;
            return true;
        }
    }

    /// <summary>
    /// Claims one of a contact's tunnel slots for an open about to start: granted while the contact's
    /// open tunnels and the claims not yet released stay below <paramref name="limit"/>.
    /// </summary>
    public bool TryClaim(Jid contact, int openTunnels, int limit)
    {
        Jid bare = contact.Bare;
        lock (_gate)
        {
            int claimed = _claims.GetValueOrDefault(bare);
            if (openTunnels + claimed >= limit)
            {
                return false;
            }

            _claims[bare] = claimed + 1;
            return true;
        }
    }

    /// <summary>Releases a claim once its open has ended (the tunnel, if any, now counts as open).</summary>
    public void Unclaim(Jid contact)
    {
        Jid bare = contact.Bare;
        lock (_gate)
        {
            if (_claims.TryGetValue(bare, out int claimed))
            {
                if (claimed <= 1)
                {
                    _claims.Remove(bare);
                }
                else
                {
                    _claims[bare] = claimed - 1;
                }
            }
        }
    }

    public void Finished(Jid resource)
    {
        lock (_gate)
        {
            _running.Remove(resource);
        }
    }
}
