namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>The conditions a run must meet; each one that does not hold is added to <see cref="MemoryResult.Failures"/>.</summary>
internal static class MemoryConditions
{
    public static void Check(MemoryResult r)
    {
        int tunnels = r.Options.Tunnels;
        Require(r, r.TunnelsOpened == tunnels && r.OpenFailures == 0, $"{r.TunnelsOpened:N0} of {tunnels:N0} tunnels opened ({r.OpenFailures:N0} failed)");
        Require(r, r.StanzasSent == r.Options.Stanzas, $"{r.StanzasSent:N0} of {r.Options.Stanzas:N0} stanzas sent");
        Require(r, r.SendFailures == 0, $"{r.SendFailures:N0} sends failed");
        Require(r, r.StanzasReceived == r.Options.Stanzas, $"{r.StanzasReceived:N0} of {r.Options.Stanzas:N0} stanzas received");
        Require(r, r.Lost == 0, $"{r.Lost:N0} stanzas lost");
        Require(r, r.Duplicated == 0, $"{r.Duplicated:N0} stanzas duplicated or late");
        Require(r, r.Altered == 0, $"{r.Altered:N0} stanzas altered");
        Require(r, r.Misaddressed == 0, $"{r.Misaddressed:N0} stanzas misaddressed");
        Require(r, r.InTheClear == 0, $"{r.InTheClear:N0} stanzas arrived in the clear");
        Require(r, r.Unreadable == 0, $"{r.Unreadable:N0} unreadable messages");
        Require(r, r.UnexpectedCloses == 0, $"{r.UnexpectedCloses:N0} tunnels ended unexpectedly");
        foreach ((string name, long count) in r.CountsAfterClose)
        {
            Require(r, count == 0, $"{count:N0} {name} after closing");
        }

        if (r.Bounds is { } bounds && r.Baseline is { } baseline)
        {
            Require(r, r.PeakHeap <= bounds.PeakHeap, $"peak heap {r.PeakHeap / 1e6:F1} MB over the bound {bounds.PeakHeap / 1e6:F1} MB ({bounds.PeakRule})");
            if (r.AfterClose is { } afterClose)
            {
                long residue = afterClose.HeapOutsidePool - baseline.HeapOutsidePool;
                Require(r, residue <= bounds.LeakAllowance, $"heap outside the buffer pool {residue / 1e6:F1} MB above the baseline after closing, over the allowance {bounds.LeakAllowance / 1e6:F1} MB ({bounds.LeakRule})");
            }
            else
            {
                Require(r, false, "no heap reading after closing");
            }
        }
        else
        {
            Require(r, false, "no baseline heap reading");
        }
    }

    private static void Require(MemoryResult r, bool holds, string failure)
    {
        if (!holds && !r.Failures.Contains(failure))
        {
            r.Failures.Add(failure);
        }
    }
}
