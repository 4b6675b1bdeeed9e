using System.Buffers;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>An <see cref="IBufferWriter{T}"/> that only counts: the bytes go to one scratch array, overwritten each time.</summary>
internal sealed class ByteCounter : IBufferWriter<byte>
{
    [ThreadStatic]
    private static byte[]? t_scratch;

    /// <summary>The bytes written.</summary>
    public int Count { get; private set; }

    /// <inheritdoc/>
    public void Advance(int count) => Count = checked(Count + count);

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

    private static byte[] Scratch(int sizeHint)
    {
        int size = Math.Max(sizeHint, 256);
        byte[]? scratch = t_scratch;
        if (scratch is null || scratch.Length < size)
        {
            scratch = new byte[Math.Max(size, 4096)];
            t_scratch = scratch;
        }

        return scratch;
    }
}
