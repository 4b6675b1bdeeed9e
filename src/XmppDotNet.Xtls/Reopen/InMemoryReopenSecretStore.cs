using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Reopen;

/// <summary>
/// The default <see cref="IReopenSecretStore"/>: secrets in memory only, gone with the process. Bounded by
/// <see cref="Capacity"/>: when full, expired secrets go first, then the oldest one.
/// </summary>
public sealed class InMemoryReopenSecretStore : IReopenSecretStore
{
    /// <summary>The default capacity.</summary>
    public const int DefaultCapacity = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Local, string Peer), LinkedListNode<ReopenSecret>> _byDevices = [];

    // Oldest first: secrets are taken out when used, so the order of addition is the order of last use.
    private readonly LinkedList<ReopenSecret> _order = new();

    /// <summary>Creates an empty store.</summary>
    /// <param name="capacity">The most secrets kept (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public InMemoryReopenSecretStore(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most secrets kept.</summary>
    public int Capacity { get; }

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _order.Count;
            }
        }
    }

    /// <inheritdoc />
    public void Add(ReopenSecret secret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secret);
        lock (_gate)
        {
            var key = KeyOf(secret.Local, secret.Peer);
            if (_byDevices.Remove(key, out LinkedListNode<ReopenSecret>? replaced))
            {
                Drop(replaced);
            }

            if (_order.Count >= Capacity)
            {
                DropExpired(now);
            }

            while (_order.Count >= Capacity)
            {
                LinkedListNode<ReopenSecret> oldest = _order.First!;
                _byDevices.Remove(KeyOf(oldest.Value.Local, oldest.Value.Peer));
                Drop(oldest);
            }

            _byDevices[key] = _order.AddLast(secret);
        }
    }

    /// <inheritdoc />
    public ReopenSecret? Take(Jid local, Jid peer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(peer);
        lock (_gate)
        {
            if (!_byDevices.Remove(KeyOf(local, peer), out LinkedListNode<ReopenSecret>? node))
            {
                return null;
            }

            return Unlink(node, now);
        }
    }

    /// <inheritdoc />
    public ReopenSecret? TakeByIdentity(Jid local, Jid peer, ReadOnlySpan<byte> identity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(peer);
        lock (_gate)
        {
            Jid localBare = local.Bare;
            Jid peerBare = peer.Bare;
            LinkedListNode<ReopenSecret>? found = null;

            // Every secret of the contact is compared, so the time taken does not tell which one matched.
            for (LinkedListNode<ReopenSecret>? node = _order.First; node is not null; node = node.Next)
            {
                ReopenSecret secret = node.Value;
                if (secret.Local == localBare && secret.Peer.Bare == peerBare && secret.Key.Matches(identity))
                {
                    found = node;
                }
            }

            if (found is null)
            {
                return null;
            }

            _byDevices.Remove(KeyOf(found.Value.Local, found.Value.Peer));
            return Unlink(found, now);
        }
    }

    /// <inheritdoc />
    public int Remove(Jid local, Jid peer)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(peer);
        lock (_gate)
        {
            Jid localBare = local.Bare;
            var doomed = new List<LinkedListNode<ReopenSecret>>();
            for (LinkedListNode<ReopenSecret>? node = _order.First; node is not null; node = node.Next)
            {
                ReopenSecret secret = node.Value;
                if (secret.Local == localBare && (peer.IsFull ? secret.Peer == peer : secret.Peer.Bare == peer))
                {
                    doomed.Add(node);
                }
            }

            foreach (LinkedListNode<ReopenSecret> node in doomed)
            {
                _byDevices.Remove(KeyOf(node.Value.Local, node.Value.Peer));
                Drop(node);
            }

            return doomed.Count;
        }
    }

    private static (string, string) KeyOf(Jid local, Jid peer) => (local.Bare.ToString(), peer.ToString());

    private ReopenSecret? Unlink(LinkedListNode<ReopenSecret> node, DateTimeOffset now)
    {
        _order.Remove(node);
        if (node.Value.IsExpired(now))
        {
            node.Value.Dispose();
            return null;
        }

        return node.Value;
    }

    private void DropExpired(DateTimeOffset now)
    {
        LinkedListNode<ReopenSecret>? node = _order.First;
        while (node is not null)
        {
            LinkedListNode<ReopenSecret>? next = node.Next;
            if (node.Value.IsExpired(now))
            {
                _byDevices.Remove(KeyOf(node.Value.Local, node.Value.Peer));
                Drop(node);
            }

            node = next;
        }
    }

    private void Drop(LinkedListNode<ReopenSecret> node)
    {
        _order.Remove(node);
        node.Value.Dispose();
    }
}
