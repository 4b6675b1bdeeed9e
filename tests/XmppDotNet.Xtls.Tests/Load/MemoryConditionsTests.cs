using XmppDotNet.Xtls.Load.Memory;

namespace XmppDotNet.Xtls.Tests.Load;

/// <summary>The run fails on each condition that does not hold: lost stanzas, a leak, a peak over the bound, counts left after closing.</summary>
[TestFixture]
public class MemoryConditionsTests
{
    private const long Baseline = 100_000_000;

    [Test]
    public void A_run_that_met_every_condition_passes()
    {
        MemoryResult result = Passing();

        MemoryConditions.Check(result);

        Assert.That(result.Failures, Is.Empty);
    }

    [Test]
    public void Lost_stanzas_fail_the_run()
    {
        MemoryResult result = Passing();
        result.Lost = 1;
        result.StanzasReceived--;

        MemoryConditions.Check(result);

        Assert.That(result.Failures, Has.Some.Contains("1 stanzas lost").And.Some.Contains("stanzas received"));
    }

    [Test]
    public void A_failed_send_or_open_fails_the_run()
    {
        MemoryResult result = Passing();
        result.SendFailures = 2;
        result.OpenFailures = 1;
        result.TunnelsOpened--;

        MemoryConditions.Check(result);

        Assert.That(result.Failures, Has.Some.Contains("2 sends failed").And.Some.Contains("tunnels opened"));
    }

    [Test]
    public void A_heap_that_does_not_return_to_the_baseline_is_a_leak()
    {
        MemoryResult result = Passing();
        result.AfterClose = Reading(Baseline + result.Bounds!.LeakAllowance + 1);

        MemoryConditions.Check(result);

        Assert.That(result.Failures, Has.One.Contains("heap outside the buffer pool"));
    }

    [Test]
    public void Chunks_the_buffer_pool_kept_after_the_load_are_not_a_leak()
    {
        MemoryResult result = Passing();
        result.AfterClose = Reading(Baseline + result.Bounds!.LeakAllowance + 64_000_000, pool: 16_000_000 + 64_000_000);

        MemoryConditions.Check(result);

        Assert.That(result.Failures, Is.Empty);
    }

    [Test]
    public void A_peak_over_the_bound_fails_the_run()
    {
        MemoryResult result = Passing();
        result.PeakHeap = result.Bounds!.PeakHeap + 1;

        MemoryConditions.Check(result);

        Assert.That(result.Failures, Has.One.Contains("peak heap"));
    }

    [Test]
    public void State_left_in_the_library_after_closing_fails_the_run()
    {
        MemoryResult result = Passing();
        result.CountsAfterClose = new Dictionary<string, long> { ["TLS endpoints"] = 3 };

        MemoryConditions.Check(result);

        Assert.That(result.Failures, Has.One.EqualTo("3 TLS endpoints after closing"));
    }

    [Test]
    public void A_run_without_memory_readings_fails()
    {
        MemoryResult result = Passing();
        result.Baseline = null;

        MemoryConditions.Check(result);

        Assert.That(result.Failures, Has.One.Contains("no baseline"));
    }

    private static MemoryResult Passing()
    {
        var options = new MemoryRunOptions { Tunnels = 10, Stanzas = 100 };
        return new MemoryResult
        {
            Options = options,
            Machine = new MachineInfo(2, "cpu", ".NET", "os", 1L << 30, "0 0 0", null),
            RaisedLimits = [],
            Bounds = new MemoryBounds(Baseline + 50_000_000, 10_000_000, "peak rule", "leak rule"),
            TunnelsOpened = 10,
            StanzasSent = 100,
            StanzasReceived = 100,
            Baseline = Reading(Baseline),
            AfterClose = Reading(Baseline + 1_000_000),
            PeakHeap = Baseline + 20_000_000,
            CountsAfterClose = new Dictionary<string, long> { ["TLS endpoints"] = 0 },
        };
    }

    private static MemoryReading Reading(long heap, long pool = 16_000_000) => new(heap, pool, heap * 2, 0, 0, 0, TimeSpan.Zero);
}
