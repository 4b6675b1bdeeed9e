using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// A thousand connection cuts (and the other faults with them) on one pair of clients, which log in
/// again after each: the same per-stanza property as <see cref="ConnectionCutPropertyTests"/>, and at
/// the end no tunnel, endpoint, pending IQ, pending open or close, or held stanza is left, and the
/// managed heap has not grown beyond noise. Set <c>XTLS_FAULT_CUTS</c> for more cuts.
/// </summary>
public class ConnectionCutLeakTests
{
    public const string CutsVariable = "XTLS_FAULT_CUTS";
    private const int DefaultCuts = 1000;
    private const int BatchSize = 3;
    private const int BatchesPerRound = 10;
    private const int Seed = 20261123;

    /// <summary>Generous: a leaked session pipeline or TLS engine per cut would be several times this.</summary>
    private const long MaxHeapGrowthBytes = 16L << 20;

    private static readonly FaultRates Rates = new(Drop: 0.02, Duplicate: 0.02, Delay: 0.03, Reorder: 0.02, Cut: 0.25);

    [Test]
    public async Task A_thousand_cut_connections_leave_no_tunnel_endpoint_pending_iq_or_memory_behind()
    {
        int targetCuts = TargetCuts();
        await using LossyTunnel lossy = await LossyTunnel.StartAsync(Seed, Rates);
        var app = new ReconnectingApplication(lossy, "leak");
        var elapsed = Stopwatch.StartNew();

        await ConnectionCutPropertyTests.RunAsync(lossy, app, BatchesPerRound, BatchSize);
        long heapAfterWarmUp = SettledHeap();
        int maxRounds = (targetCuts / 2) + 10; // a round of ten batches cuts about ten connections here: a bound, not an expectation
        for (int round = 0; lossy.Faults.Cuts < targetCuts; round++)
        {
            Assert.That(round, Is.LessThan(maxRounds), $"only {lossy.Faults.Cuts} cuts after {round} rounds");
            await ConnectionCutPropertyTests.RunAsync(lossy, app, BatchesPerRound, BatchSize);
        }

        List<XElement> delivered = await CutRunChecks.FinishAsync(lossy, app, "leak marker");
        Outcomes outcomes = CutRunChecks.AssertOutcomes(app, delivered);
        await CutRunChecks.AssertNothingLeftAsync(lossy, app);
        long heapAtEnd = SettledHeap();
        TestContext.Out.WriteLine(CutRunChecks.Describe(lossy, app, outcomes));
        TestContext.Out.WriteLine($"{elapsed.Elapsed.TotalSeconds:F1} s; heap {heapAfterWarmUp / 1024} KiB after warm-up, {heapAtEnd / 1024} KiB at the end");

        Assert.That(lossy.Faults.Cuts, Is.GreaterThanOrEqualTo(targetCuts));
        Assert.That(heapAtEnd - heapAfterWarmUp, Is.LessThan(MaxHeapGrowthBytes), "managed heap growth over the cuts");
    }

    private static int TargetCuts() =>
        Environment.GetEnvironmentVariable(CutsVariable) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0
            ? count
            : DefaultCuts;

    private static long SettledHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
