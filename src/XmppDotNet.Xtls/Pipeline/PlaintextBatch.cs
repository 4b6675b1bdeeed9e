using System.Buffers;

namespace XmppDotNet.Xtls.Pipeline;

/// <summary>
/// Stanzas written to a tunnel while its window is full, held as plaintext so that they leave as one TLS
/// record (and one data IQ) when it opens, instead of one record each: fewer bytes on the wire per stanza.
/// Bounded by its writer to about one record of plaintext (a larger stanza alone may exceed it).
/// </summary>
internal sealed class PlaintextBatch
{
    private readonly List<(byte[] Bytes, TaskCompletionSource Delivery)> _items = [];

    /// <summary>The plaintext bytes held.</summary>
    public int Bytes { get; private set; }

    public bool IsEmpty => _items.Count == 0;

    /// <summary>The stanzas held.</summary>
    public int Count => _items.Count;

    /// <summary>Holds a copy of <paramref name="plaintext"/> (the caller's buffer is reused) and its delivery.</summary>
    public void Add(ReadOnlySpan<byte> plaintext, TaskCompletionSource delivery)
    {
        _items.Add((plaintext.ToArray(), delivery));
        Bytes += plaintext.Length;
    }

    /// <summary>Takes everything held: the plaintext in order, in one rented buffer (return it to the shared pool), and the deliveries.</summary>
    public (byte[] Buffer, int Length, TaskCompletionSource[] Deliveries) Take()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(Bytes, 1));
        int length = 0;
        var deliveries = new TaskCompletionSource[_items.Count];
        for (int i = 0; i < _items.Count; i++)
        {
            _items[i].Bytes.CopyTo(buffer, length);
            length += _items[i].Bytes.Length;
            deliveries[i] = _items[i].Delivery;
        }

        _items.Clear();
        Bytes = 0;
        return (buffer, length, deliveries);
    }

    /// <summary>Fails every stanza held: none of it was encrypted.</summary>
    public void Fail(Exception reason)
    {
        foreach ((byte[] _, TaskCompletionSource delivery) in _items)
        {
            delivery.TrySetException(reason);
        }

        _items.Clear();
        Bytes = 0;
    }
}
