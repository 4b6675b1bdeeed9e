using System.Diagnostics;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>Wall time, process CPU time, managed allocations and thread-pool work items over one measurement.</summary>
internal sealed class CpuClock
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly TimeSpan _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long _allocatedStart = GC.GetTotalAllocatedBytes(precise: false);
    private readonly long _workItemsStart = ThreadPool.CompletedWorkItemCount;

    /// <summary>Managed bytes allocated by every thread since the start.</summary>
    public long AllocatedBytes => GC.GetTotalAllocatedBytes(precise: false) - _allocatedStart;

    /// <summary>Thread-pool work items completed since the start.</summary>
    public long ThreadPoolWorkItems => ThreadPool.CompletedWorkItemCount - _workItemsStart;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public double CpuSeconds
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return (process.TotalProcessorTime - _cpuStart).TotalSeconds;
        }
    }
}
