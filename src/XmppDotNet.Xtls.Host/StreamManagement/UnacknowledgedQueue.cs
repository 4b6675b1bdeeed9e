using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.StreamManagement;

/// <summary>
/// The stanzas sent since the last acknowledged <c>h</c>, oldest first, bounded in count and bytes.
/// Not thread-safe: used on the session's event loop only.
/// </summary>
internal sealed class UnacknowledgedQueue
{
    private readonly Queue<(XElement Stanza, int Bytes)> _items = new();
    private readonly int _maxStanzas;
    private readonly long _maxBytes;

    public UnacknowledgedQueue(int maxStanzas, long maxBytes)
    {
        _maxStanzas = maxStanzas;
        _maxBytes = maxBytes;
    }

    public int Count => _items.Count;

    public long Bytes { get; private set; }

    /// <summary>Adds a stanza unless that would exceed a bound; a refused stanza is not sent at all.</summary>
    public bool TryAdd(XElement stanza, int bytes)
    {
        if (_items.Count >= _maxStanzas || Bytes + bytes > _maxBytes)
        {
            return false;
        }

        _items.Enqueue((stanza, bytes));
        Bytes += bytes;
        return true;
    }

    /// <summary>Drops the oldest <paramref name="count"/> stanzas (acknowledged by the server).</summary>
    public void Drop(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Bytes -= _items.Dequeue().Bytes;
        }
    }

    /// <summary>The stanzas still unacknowledged, oldest first.</summary>
    public XElement[] Snapshot() => [.. _items.Select(item => item.Stanza)];

    /// <summary>Empties the queue and returns what it held, oldest first.</summary>
    public XElement[] TakeAll()
    {
        XElement[] all = Snapshot();
        _items.Clear();
        Bytes = 0;
        return all;
    }
}
