using System.Xml.Linq;
using DotNetty.Common.Utilities;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.StreamManagement;

/// <summary>
/// The stanzas sent since the last acknowledged <c>h</c>, oldest first, bounded in count and bytes. A kept
/// <see cref="PayloadStanza"/> holds a reference of its own, released when the stanza leaves the queue.
/// Not thread-safe: used on the session's event loop only.
/// </summary>
internal sealed class UnacknowledgedQueue
{
    private readonly Queue<(object Stanza, int Bytes)> _items = new();
    private readonly int _maxStanzas;
    private readonly long _maxBytes;

    public UnacknowledgedQueue(int maxStanzas, long maxBytes)
    {
        _maxStanzas = maxStanzas;
        _maxBytes = maxBytes;
    }

    public int Count => _items.Count;

    public long Bytes { get; private set; }

    /// <summary>Adds a stanza (an <see cref="XElement"/> or a retained <see cref="PayloadStanza"/>) unless that would exceed a bound; a refused stanza is not sent at all.</summary>
    public bool TryAdd(object stanza, int bytes)
    {
        if (_items.Count >= _maxStanzas || Bytes + bytes > _maxBytes)
        {
            return false;
        }

        _items.Enqueue((ReferenceCountUtil.Retain(stanza), bytes));
        Bytes += bytes;
        return true;
    }

    /// <summary>Drops the oldest <paramref name="count"/> stanzas (acknowledged by the server).</summary>
    public void Drop(int count)
    {
        for (int i = 0; i < count; i++)
        {
            (object stanza, int bytes) = _items.Dequeue();
            Bytes -= bytes;
            ReferenceCountUtil.Release(stanza);
        }
    }

    /// <summary>Whether a stanza of this many bytes fits an empty queue: one that does not can never be sent counted.</summary>
    public bool CanEverHold(int bytes) => bytes <= _maxBytes;

    /// <summary>Empties the queue, releasing what it held, without turning anything back into elements.</summary>
    public void Clear() => Drop(_items.Count);

    /// <summary>The stanzas still unacknowledged, oldest first, still held by the queue.</summary>
    public object[] Snapshot() => [.. _items.Select(item => item.Stanza)];

    /// <summary>Empties the queue and returns what it held, oldest first, as ordinary elements (payloads released).</summary>
    public XElement[] TakeAll()
    {
        var all = new XElement[_items.Count];
        int i = 0;
        while (_items.TryDequeue(out (object Stanza, int Bytes) item))
        {
            if (item.Stanza is PayloadStanza payload)
            {
                try
                {
                    all[i++] = payload.ToXElement();
                }
                finally
                {
                    payload.Release();
                }
            }
            else
            {
                all[i++] = (XElement)item.Stanza;
            }
        }

        Bytes = 0;
        return all;
    }
}
