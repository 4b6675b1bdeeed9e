using System.Globalization;

namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>Turns the ledgers into the figures of a phase and of the restart.</summary>
internal static class LoadVerdict
{
    private const double Megabyte = 1024.0 * 1024.0;

    /// <summary>The figures of <paramref name="phase"/>; only failures settled before <paramref name="failuresUntil"/> count.</summary>
    public static PhaseFigures Phase(
        IReadOnlyList<DirectionLedger.Entry> all, int phase, long windowStart, long windowEnd, long failuresUntil, LatencySamples latency)
    {
        DirectionLedger.Entry[] entries = [.. all.Where(e => e.Phase == phase)];
        DirectionLedger.Entry[] failed = [.. entries.Where(e => e.Outcome == SendOutcome.Failed && e.SettledAt < failuresUntil)];
        DirectionLedger.Entry[] inWindow = [.. entries.Where(e => e.Deliveries > 0 && e.DeliveredAt >= windowStart && e.DeliveredAt <= windowEnd)];
        double seconds = RunClock.Milliseconds(windowEnd - windowStart) / 1000.0;
        return new PhaseFigures
        {
            Sent = entries.Length,
            Messages = entries.Count(e => !e.IsIq),
            IqRequests = entries.Count(e => e.IsIq),
            Succeeded = entries.Count(e => e.Outcome == SendOutcome.Succeeded),
            Failed = failed.Length,
            Lost = entries.Count(e => e.Outcome == SendOutcome.Succeeded && e.Deliveries == 0),
            Pending = entries.Count(e => e.Outcome == SendOutcome.Pending),
            Duplicates = entries.Count(e => e.Deliveries > 1),
            Seconds = Math.Round(seconds, 2),
            DeliveredInWindow = inWindow.Length,
            StanzasPerSecond = Math.Round(inWindow.Length / seconds, 1),
            MegabytesPerSecond = Math.Round(inWindow.Sum(e => (long)e.Bytes) / Megabyte / seconds, 3),
            MessageLatencyP50Ms = Round(latency.Message(phase, 50)),
            MessageLatencyP99Ms = Round(latency.Message(phase, 99)),
            IqRoundTripP50Ms = Round(latency.Iq(phase, 50)),
            IqRoundTripP99Ms = Round(latency.Iq(phase, 99)),
            Failures = Count(failed.Select(e => e.Failure ?? "unknown")),
        };
    }

    /// <summary>Phase-1 sends that failed once the server was told to stop.</summary>
    public static (int Failed, int FailedButDelivered, IReadOnlyDictionary<string, int> Types) RestartFailures(IReadOnlyList<DirectionLedger.Entry> all, long restartAt)
    {
        DirectionLedger.Entry[] failed = [.. all.Where(e => e.Phase == 1 && e.Outcome == SendOutcome.Failed && e.SettledAt >= restartAt)];
        return (failed.Length, failed.Count(e => e.Deliveries > 0), Count(failed.Select(e => e.Failure ?? "unknown")));
    }

    public static IReadOnlyDictionary<string, int> Count(IEnumerable<string> names) =>
        names.GroupBy(n => n, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public static string Describe(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} x{c.Value}")));

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;
}
