using System.Diagnostics.CodeAnalysis;

namespace XmppDotNet.Xtls.Host.Caps;

/// <summary>A map that keeps at most <see cref="Capacity"/> entries, dropping the least recently used. Not thread-safe.</summary>
internal sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _map = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _order = new();
    private int _capacity;

    public LruCache(int capacity) => Capacity = capacity;

    public int Count => _map.Count;

    /// <summary>The bound; lowering it drops the oldest entries at once.</summary>
    public int Capacity
    {
        get => _capacity;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _capacity = value;
            Trim();
        }
    }

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_map.TryGetValue(key, out LinkedListNode<(TKey Key, TValue Value)>? node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            value = node.Value.Value;
            return true;
        }

        value = default;
        return false;
    }

    public bool Contains(TKey key) => _map.ContainsKey(key);

    public void Set(TKey key, TValue value)
    {
        if (_map.TryGetValue(key, out LinkedListNode<(TKey Key, TValue Value)>? node))
        {
            _order.Remove(node);
        }

        _map[key] = _order.AddFirst((key, value));
        Trim();
    }

    public bool Remove(TKey key)
    {
        if (!_map.Remove(key, out LinkedListNode<(TKey Key, TValue Value)>? node))
        {
            return false;
        }

        _order.Remove(node);
        return true;
    }

    public void Clear()
    {
        _map.Clear();
        _order.Clear();
    }

    private void Trim()
    {
        while (_map.Count > _capacity)
        {
            LinkedListNode<(TKey Key, TValue Value)> oldest = _order.Last!;
            _order.RemoveLast();
            _map.Remove(oldest.Value.Key);
        }
    }
}
