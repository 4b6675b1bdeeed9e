using System.Buffers;
using DotNetty.Buffers;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>An <see cref="IBufferWriter{T}"/> that writes straight into a DotNetty buffer (through a scratch array if it has none).</summary>
internal sealed class ByteBufferWriter(IByteBuffer buffer) : IBufferWriter<byte>
{
    private const int MinimumSize = 256;

    private byte[]? _scratch;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if (_scratch is not null)
        {
            buffer.WriteBytes(_scratch, 0, count);
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = null;
        }
        else
        {
            buffer.SetWriterIndex(buffer.WriterIndex + count);
        }
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int size = Math.Max(sizeHint, MinimumSize);
        if (_scratch is not null)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = null;
        }

        buffer.EnsureWritable(size);
        if (buffer.HasArray)
        {
            return buffer.Array.AsMemory(buffer.ArrayOffset + buffer.WriterIndex, buffer.WritableBytes);
        }

        _scratch = ArrayPool<byte>.Shared.Rent(size);
        return _scratch;
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
