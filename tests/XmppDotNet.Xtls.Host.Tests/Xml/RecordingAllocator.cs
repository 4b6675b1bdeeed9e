using DotNetty.Buffers;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

/// <summary>Unpooled heap buffers, each one remembered, so a test can check that every one was released.</summary>
internal sealed class RecordingAllocator : AbstractByteBufferAllocator
{
    private readonly List<IByteBuffer> _allocated = [];

    public IReadOnlyList<IByteBuffer> Allocated => _allocated;

    public override bool IsDirectBufferPooled => false;

    /// <summary>The buffers not yet released.</summary>
    public IEnumerable<IByteBuffer> Live => _allocated.Where(b => b.ReferenceCount > 0);

    protected override IByteBuffer NewHeapBuffer(int initialCapacity, int maxCapacity) =>
        Record(UnpooledByteBufferAllocator.Default.HeapBuffer(initialCapacity, maxCapacity));

    protected override IByteBuffer NewDirectBuffer(int initialCapacity, int maxCapacity) =>
        Record(UnpooledByteBufferAllocator.Default.HeapBuffer(initialCapacity, maxCapacity));

    private IByteBuffer Record(IByteBuffer buffer)
    {
        _allocated.Add(buffer);
        return buffer;
    }
}
