using System.Diagnostics;
using DotNetty.Buffers;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>
/// Samples the managed heap and the process working set every few milliseconds on its own thread, keeping
/// the peaks (overall and since the last <see cref="Mark"/>), and takes settled readings after full collections.
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakHeap;
    private long _peakWorkingSet;
    private long _phasePeakHeap;
    private long _phasePeakWorkingSet;
    private long _samples;

    public MemorySampler()
    {
        Sample();
        _loop = Task.Factory.StartNew(LoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public long PeakHeap => Interlocked.Read(ref _peakHeap);

    public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);

    public long Samples => Interlocked.Read(ref _samples);

    /// <summary>A full, blocking, compacting collection (twice, finalizers in between), then the heap and working set.</summary>
    public static MemoryReading Settled()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        long heap = GC.GetTotalMemory(forceFullCollection: true);
        return new MemoryReading(heap, PooledBufferBytes(), Environment.WorkingSet, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), Process.GetCurrentProcess().TotalProcessorTime);
    }

    /// <summary>Ends a phase: returns its peaks (heap, working set) and starts the next phase's.</summary>
    public (long Heap, long WorkingSet) Mark()
    {
        Sample();
        return (Interlocked.Exchange(ref _phasePeakHeap, 0), Interlocked.Exchange(ref _phasePeakWorkingSet, 0));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Sample()
    {
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        long workingSet = Environment.WorkingSet;
        Max(ref _peakHeap, heap);
        Max(ref _phasePeakHeap, heap);
        Max(ref _peakWorkingSet, workingSet);
        Max(ref _phasePeakWorkingSet, workingSet);
        Interlocked.Increment(ref _samples);
    }

    // The 16 MiB chunks DotNetty's pooled allocator holds (managed arrays, part of the heap): once grown
    // under load the pool keeps chunks that long-lived buffers still use, which is not a leak of tunnel state.
    private static long PooledBufferBytes() =>
        ByteBufferUtil.DefaultAllocator is IByteBufferAllocatorMetricProvider pooled ? pooled.Metric.UsedHeapMemory : 0;

    private static void Max(ref long target, long value)
    {
        long seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            long was = Interlocked.CompareExchange(ref target, value, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}

/// <summary>One settled reading: heap (of it, the buffer pool's chunks) and working set in bytes, collections so far, and the process's CPU time so far.</summary>
internal sealed record MemoryReading(long Heap, long BufferPool, long WorkingSet, int Gen0, int Gen1, int Gen2, TimeSpan Cpu)
{
    /// <summary>The heap outside the buffer pool's chunks.</summary>
    public long HeapOutsidePool => Heap - BufferPool;
}
