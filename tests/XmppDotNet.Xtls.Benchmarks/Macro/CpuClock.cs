using System.Diagnostics;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>Wall time and process CPU time over one measurement.</summary>
internal sealed class CpuClock
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly TimeSpan _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;

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
