using System.Buffers;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>
/// A first-in first-out queue of bytes in one growable ring buffer, so many small writes cost no
/// per-write allocation. The caller bounds what it enqueues. The buffer is rented from the shared
/// array pool and given back as soon as the queue drains, so an idle tunnel holds no buffer at all
/// (it only ever holds ciphertext, which may be seen by the pool's next user).
/// </summary>
internal sealed class ByteQueue
{
    private const int InitialCapacity = 4096;

    private byte[] _buffer = [];
    private int _head;

    /// <summary>The number of bytes queued.</summary>
    public int Count { get; private set; }

    /// <summary>The size of the buffer held now (0 when the queue is empty).</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Appends bytes at the tail.</summary>
    public void Enqueue(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        EnsureCapacity(checked(Count + data.Length));
        int tail = (_head + Count) % _buffer.Length;
        int first = Math.Min(data.Length, _buffer.Length - tail);
        data[..first].CopyTo(_buffer.AsSpan(tail));
        data[first..].CopyTo(_buffer);
        Count += data.Length;
    }

    /// <summary>Removes up to <paramref name="max"/> bytes from the head.</summary>
    /// <returns>A new array with the bytes removed (empty when the queue is).</returns>
    public byte[] Dequeue(int max)
    {
        int n = Math.Min(max, Count);
        if (n <= 0)
        {
            return [];
        }

        byte[] result = new byte[n];
        int first = Math.Min(n, _buffer.Length - _head);
        _buffer.AsSpan(_head, first).CopyTo(result);
        _buffer.AsSpan(0, n - first).CopyTo(result.AsSpan(first));
        _head = (_head + n) % _buffer.Length;
        Count -= n;
        if (Count == 0)
        {
            _head = 0;
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        return result;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        int capacity = Math.Max(needed, Math.Max(InitialCapacity, _buffer.Length * 2));
        byte[] grown = ArrayPool<byte>.Shared.Rent(capacity);
        if (Count > 0)
        {
            int first = Math.Min(Count, _buffer.Length - _head);
            _buffer.AsSpan(_head, first).CopyTo(grown);
            _buffer.AsSpan(0, Count - first).CopyTo(grown.AsSpan(first));
        }

        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = grown;
        _head = 0;
    }
}
