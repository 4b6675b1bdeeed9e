using System.Diagnostics;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Tests.Pipeline;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// Over a thousand tunnels, each broken by a different fault (a replayed chunk, a lost chunk, two chunks
/// swapped, a lost acknowledgement), must leave nothing behind: no tunnel, no TLS endpoint, no IQ
/// awaiting an answer, no open tunnel in the API, and no growth of the managed heap beyond noise.
/// </summary>
public class FaultLeakTests
{
    private const int Iterations = 1200;
    private const int WarmUp = 20;

    /// <summary>Generous: one leaked TLS engine with its buffers per tunnel would be several times this.</summary>
    private const long MaxHeapGrowthBytes = 8L << 20;

    private static readonly FaultKind[] Faults = [FaultKind.Duplicate, FaultKind.Drop, FaultKind.Reorder, FaultKind.Drop];

    [Test]
    public async Task A_thousand_broken_tunnels_leave_no_tunnel_endpoint_pending_iq_or_memory_behind()
    {
        await using LossyTunnel lossy = await LossyTunnel.StartAsync(seed: 0);
        XmppClient romeo = lossy.Pair.Romeo;
        XmppClient juliet = lossy.Pair.Juliet;
        long heapAfterWarmUp = 0;
        var elapsed = Stopwatch.StartNew();

        for (int i = 0; i < Iterations; i++)
        {
            if (i == WarmUp)
            {
                heapAfterWarmUp = SettledHeap();
            }

            await BreakOneTunnelAsync(lossy, i);
        }

        long heapAtEnd = SettledHeap();
        TestContext.Out.WriteLine($"{Iterations} broken tunnels in {elapsed.Elapsed.TotalSeconds:F1} s; heap {heapAfterWarmUp / 1024} KiB after warm-up, {heapAtEnd / 1024} KiB at the end");

        foreach (XmppClient client in new[] { romeo, juliet })
        {
            (int tunnels, int pendingIqs, int abandoned, int endpoints) = await Drive.OnLoop(client, () =>
                (Drive.Tunnels(client).TunnelCount, Drive.Tunnels(client).PendingIqCount, Drive.Tunnels(client).AbandonedCount, Drive.Tls(client).EndpointCount));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(tunnels, Is.Zero, $"{client.Jid}: tunnels in the manager");
                Assert.That(pendingIqs, Is.Zero, $"{client.Jid}: IQs awaiting an answer");
                Assert.That(abandoned, Is.Zero, $"{client.Jid}: tunnels remembered as abandoned by the peer");
                Assert.That(endpoints, Is.Zero, $"{client.Jid}: TLS endpoints");
                Assert.That(client.GetXtls().OpenTunnels, Is.Empty, $"{client.Jid}: open tunnels in the API");
            }
        }

        Assert.That(heapAtEnd - heapAfterWarmUp, Is.LessThan(MaxHeapGrowthBytes), "managed heap growth over the broken tunnels");
        Assert.That(lossy.Faults.Injected, Is.EqualTo(Iterations), "each tunnel was broken by exactly one fault");
    }

    /// <summary>Opens a tunnel, breaks it with one fault, and waits until both sides have forgotten it.</summary>
    private static async Task BreakOneTunnelAsync(LossyTunnel lossy, int iteration)
    {
        XtlsPair pair = lossy.Pair;
        await lossy.OpenAsync();
        FaultKind fault = Faults[iteration % Faults.Length];
        bool answerLost = iteration % Faults.Length == 3;
        Task applied = lossy.Faults.Once(fault, answerLost ? FaultInjector.AnswerFrom(pair.Juliet.Jid) : FaultInjector.DataFrom(pair.Romeo.Jid));

        // Two stanzas in one turn: the second chunk is what reveals a lost or swapped first one.
        Task[] sends = await lossy.SendAsync([$"{iteration} first", $"{iteration} second"]);
        await applied.WaitAsync(XtlsPair.Bound);
        await Drive.UntilAsync(
            lossy.Clock,
            async () => sends.All(t => t.IsCompleted) && await Drive.TunnelCount(pair.Romeo) == 0 && await Drive.TunnelCount(pair.Juliet) == 0,
            pair.Romeo,
            pair.Juliet);

        await lossy.FlushPathsAsync();

        // Test-side records only; the library's state is what the test measures.
        while (pair.JulietInbox.Reader.TryRead(out _))
        {
        }

        pair.Routed.Clear();
        lossy.RomeoClosed.Clear();
        lossy.JulietClosed.Clear();
    }

    private static long SettledHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
