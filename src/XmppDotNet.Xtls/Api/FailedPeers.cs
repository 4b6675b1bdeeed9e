using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls;

/// <summary>
/// The peers whose last tunnel failed, refused clear text until a new tunnel opens or the application
/// allows it. Bounded: when full, the oldest failure is forgotten, one at a time, never the whole record
/// (forgetting everything at once would let every recently failed peer fall back to plaintext together).
/// Not thread-safe: the owner locks.
/// </summary>
internal sealed class FailedPeers
{
    private readonly Dictionary<Jid, LinkedListNode<Entry>> _byPeer = [];
    private readonly LinkedList<Entry> _oldestFirst = new();

    /// <param name="capacity">How many failed peers are remembered at most.</param>
    public FailedPeers(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => _byPeer.Count;

    /// <summary>Remembers a failure (the newest for this peer replaces an older one); forgets the oldest failure if the record is full.</summary>
    public void Add(Jid peer, TunnelCloseReason reason, string? detail)
    {
        Remove(peer);
        if (_byPeer.Count >= Capacity && _oldestFirst.First is { } oldest)
        {
            Remove(oldest.Value.Peer);
        }

        _byPeer[peer] = _oldestFirst.AddLast(new Entry(peer, reason, detail));
    }

    public bool TryGet(Jid peer, out (TunnelCloseReason Reason, string? Detail) failure)
    {
        if (_byPeer.TryGetValue(peer, out LinkedListNode<Entry>? node))
        {
            failure = (node.Value.Reason, node.Value.Detail);
            return true;
        }

        failure = default;
        return false;
    }

    public bool Remove(Jid peer)
    {
        if (!_byPeer.Remove(peer, out LinkedListNode<Entry>? node))
        {
            return false;
        }

        _oldestFirst.Remove(node);
        return true;
    }

    private sealed record Entry(Jid Peer, TunnelCloseReason Reason, string? Detail);
}
