using System.Diagnostics;

namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>One monotonic clock for the whole run, in <see cref="Stopwatch"/> ticks.</summary>
internal static class RunClock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static TimeSpan Since(long at) => Stopwatch.GetElapsedTime(at);
}
