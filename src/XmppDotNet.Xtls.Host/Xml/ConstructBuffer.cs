using System.Buffers;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// Holds the bytes of one incomplete construct of an XML stream. Arrays come from the shared pool and go back
/// cleared, since they may hold decrypted stanzas; a small one stays private to the parser between constructs.
/// </summary>
internal sealed class ConstructBuffer
{
    private const int RetainedCapacity = 16 * 1024;
    private const int MinimumCapacity = 1024;

    private byte[] _array = [];

    /// <summary>The bytes held.</summary>
    public int Length { get; private set; }

    /// <summary>The array holding the bytes, valid up to <see cref="Length"/> until the next change.</summary>
    public byte[] Array => _array;

    /// <summary>The bytes held.</summary>
    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    /// <summary>Appends bytes, growing the array as needed.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        int needed = Length + bytes.Length;
        if (needed > _array.Length)
        {
            Grow(needed);
        }

        bytes.CopyTo(_array.AsSpan(Length));
        Length = needed;
    }

    /// <summary>Forgets the bytes held, giving a large array back to the pool.</summary>
    public void Clear()
    {
        if (_array.Length > RetainedCapacity)
        {
            Release();
        }
        else
        {
            Length = 0;
        }
    }

    /// <summary>Forgets the bytes held and gives the array back to the pool.</summary>
    public void Release()
    {
        byte[] array = _array;
        _array = [];
        Length = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array, clearArray: true);
        }
    }

    private void Grow(int needed)
    {
        int capacity = Math.Max(needed, Math.Max(MinimumCapacity, _array.Length * 2));
        byte[] larger = ArrayPool<byte>.Shared.Rent(capacity);
        Span.CopyTo(larger);
        int length = Length;
        Release();
        _array = larger;
        Length = length;
    }
}
