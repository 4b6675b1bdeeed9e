using System.Diagnostics;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>
/// The in-memory load run: a hub and one peer per tunnel on an in-memory router; every tunnel's
/// <see cref="XtlsService.OpenAsync"/> started at once; then the stanzas, both directions, every stream
/// with a bounded number on its way; then every tunnel closed. Memory is sampled throughout. The result
/// lists every condition that did not hold.
/// </summary>
internal static class MemoryRun
{
    // The memory bounds, stated up front. The heap is sampled as it is, garbage not yet collected included.
    // A tunnel, both ends in this process, holds about 30 KiB once open; the budget leaves room for the
    // handshake state of all of them at once.
    public const long PeakBudgetPerTunnel = 64 * 1024;

    // A stanza on its way exists several times over: the element, its ciphertext, the Base64 data IQ,
    // the bytes at each hop through the router, and their garbage until the next collection.
    public const long PeakBudgetPerStanzaInFlight = 8 * 1024;

    // Buffer pools and the run's own bookkeeping, whatever the size of the run.
    public const long PeakBudgetFixed = 256L * 1024 * 1024;

    // After closing, what may stay outside the buffer pool: per session still online, what its first tunnel
    // created for the session's life (the tunnel manager and its dictionaries at their grown capacity, the
    // trust store's entry for the peer, the parser's read buffer grown to the largest construct seen), and
    // the event loops' task queues at their grown size. A tunnel's own state costs about 30 KiB, so even a
    // part of it left behind shows.
    public const long LeakAllowanceFixed = 16L * 1024 * 1024;

    public const long LeakAllowancePerSession = 8 * 1024;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(30);

    public static async Task<MemoryResult> RunAsync(MemoryRunOptions options, Action<string> progress, InternalCountsProbe? probe = null, CancellationToken cancellationToken = default)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(options.Timeout);
        CancellationToken token = bound.Token;
        var limits = new MemoryLimits(options.Tunnels, options.Timeout);
        var result = new MemoryResult { Options = options, Machine = Machine.Describe(), RaisedLimits = limits.Raised };
        var total = Stopwatch.StartNew();
        TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        string phase = "connecting";
        await using var sampler = new MemorySampler();
        try
        {
            var clock = Stopwatch.StartNew();
            await using MemoryFleet fleet = await MemoryFleet.StartAsync(options.Tunnels, limits, token);
            result.ConnectSeconds = clock.Elapsed.TotalSeconds;
            progress($"{options.Tunnels + 1:N0} clients online in {result.ConnectSeconds:F1} s");
            result.Baseline = MemorySampler.Settled();
            result.Bounds = BoundsFor(options, result.Baseline.Heap);
            sampler.Mark();

            var watch = new TunnelWatch(fleet);
            phase = "handshakes";
            await HandshakeAsync(fleet, watch, result, progress, token);
            (result.PeakHeapHandshakes, result.PeakWorkingSetHandshakes) = sampler.Mark();
            result.AfterHandshakes = MemorySampler.Settled();
            progress($"{result.TunnelsOpened:N0} tunnels open at both ends in {result.HandshakeSeconds:F1} s (p50 {result.OpenLatencyP50Ms:F0} ms, p99 {result.OpenLatencyP99Ms:F0} ms)");

            if (result.OpenFailures == 0)
            {
                phase = "traffic";
                await TrafficAsync(fleet, options, result, progress, token);
                (result.PeakHeapTraffic, result.PeakWorkingSetTraffic) = sampler.Mark();
                result.AfterTraffic = MemorySampler.Settled();
                progress($"{result.StanzasReceived:N0} stanzas in {result.TrafficSeconds:F1} s ({result.StanzasPerSecond:N0}/s), {result.SendFailures} failed sends, {result.Lost} lost");
            }

            phase = "closing";
            clock.Restart();
            watch.BeginClosing();
            await fleet.Hub.GetXtls().CloseAllAsync(token);
            await watch.AllClosed.WaitAsync(token);
            result.CloseSeconds = clock.Elapsed.TotalSeconds;
            result.UnexpectedCloses = watch.Unexpected;
            result.FirstError ??= watch.FirstUnexpected;
            result.CountsAfterClose = await LibraryCounts.SumAsync(fleet.Peers.Append(fleet.Hub), probe, token);
            result.AfterClose = MemorySampler.Settled();
            progress($"all tunnels closed in {result.CloseSeconds:F1} s; heap {Mb(result.AfterClose.Heap)} after, {Mb(result.Baseline.Heap)} before the tunnels (buffer pool {Mb(result.AfterClose.BufferPool)} and {Mb(result.Baseline.BufferPool)})");
            GC.KeepAlive(fleet);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            result.Failures.Add($"the run did not finish within {options.Timeout.TotalSeconds:F0} s (stuck in: {phase})");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            result.Failures.Add($"{phase} failed: {e.GetType().Name}: {e.Message}");
        }

        result.PeakHeap = sampler.PeakHeap;
        result.PeakWorkingSet = sampler.PeakWorkingSet;
        result.MemorySamples = sampler.Samples;
        result.CpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        result.TotalSeconds = total.Elapsed.TotalSeconds;
        result.Machine.LoadAverageAfter = Machine.LoadAverage();
        MemoryConditions.Check(result);
        return result;
    }

    private static MemoryBounds BoundsFor(MemoryRunOptions options, long baseline)
    {
        int tunnels = options.Tunnels;
        long inFlight = Math.Min(options.Stanzas, 2L * tunnels * options.Window);
        return new(
            baseline + (tunnels * PeakBudgetPerTunnel) + (inFlight * PeakBudgetPerStanzaInFlight) + PeakBudgetFixed,
            LeakAllowanceFixed + ((tunnels + 1) * LeakAllowancePerSession),
            $"baseline + {PeakBudgetPerTunnel / 1024} KiB per tunnel + {PeakBudgetPerStanzaInFlight / 1024} KiB per stanza in flight ({inFlight:N0}: 2 x tunnels x window) + {PeakBudgetFixed / (1024 * 1024)} MiB",
            $"{LeakAllowanceFixed / (1024 * 1024)} MiB + {LeakAllowancePerSession / 1024} KiB per session (what the first tunnel created for the session's life)");
    }

    private static async Task HandshakeAsync(MemoryFleet fleet, TunnelWatch watch, MemoryResult result, Action<string> progress, CancellationToken token)
    {
        XtlsService xtls = fleet.Hub.GetXtls();
        int count = fleet.Peers.Count;
        var latencies = new double[count];
        var opens = new Task<XtlsTunnel>[count];
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        // Every OpenAsync at once: nothing throttles the handshakes.
        for (int i = 0; i < count; i++)
        {
            opens[i] = OpenOneAsync(xtls, fleet.Peers[i].Jid, clock, latencies, i);
        }

        try
        {
            await WatchAsync(Task.WhenAll(opens), () => $"{watch.Opened:N0} of {count:N0} peer ends open after {clock.Elapsed.TotalSeconds:F0} s", progress, token);
        }
        catch (Exception) when (!token.IsCancellationRequested)
        {
            // Counted below, tunnel by tunnel.
        }

        result.OpenFailures = opens.Count(t => !t.IsCompletedSuccessfully);
        result.FirstError ??= opens.FirstOrDefault(t => t.IsFaulted)?.Exception?.GetBaseException().Message;
        if (result.OpenFailures == 0)
        {
            await watch.AllOpen.WaitAsync(token);
        }

        result.HandshakeSeconds = clock.Elapsed.TotalSeconds;
        result.HandshakeCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        result.TunnelsOpened = opens.Count(t => t.IsCompletedSuccessfully);
        XtlsTunnel? first = opens.FirstOrDefault(t => t.IsCompletedSuccessfully)?.Result;
        result.TlsVersion = first?.ProtocolVersion;
        result.CipherSuite = first?.CipherSuite;
        double[] done = [.. opens.Select((t, i) => (t, i)).Where(x => x.t.IsCompletedSuccessfully).Select(x => latencies[x.i]).Order()];
        if (done.Length > 0)
        {
            result.OpenLatencyP50Ms = Percentile(done, 0.50);
            result.OpenLatencyP99Ms = Percentile(done, 0.99);
            result.OpenLatencyMaxMs = done[^1];
        }
    }

    private static async Task<XtlsTunnel> OpenOneAsync(XtlsService xtls, Jid peer, Stopwatch clock, double[] latencies, int index)
    {
        TimeSpan started = clock.Elapsed;
        XtlsTunnel tunnel = await xtls.OpenAsync(peer);
        latencies[index] = (clock.Elapsed - started).TotalMilliseconds;
        return tunnel;
    }

    private static async Task TrafficAsync(MemoryFleet fleet, MemoryRunOptions options, MemoryResult result, Action<string> progress, CancellationToken token)
    {
        IReadOnlyList<XmppClient> peers = fleet.Peers;
        var ledger = new TrafficLedger(fleet.Hub.Jid, [.. peers.Select(p => p.Jid)], options.Stanzas, options.Payloads);
        var senders = new TrafficSenders(ledger, options.Window, token);
        void OnHubReceived(object? source, StanzaReceivedEventArgs e) => ledger.Record(-1, e.Stanza);
        var peerHandlers = new EventHandler<StanzaReceivedEventArgs>[peers.Count];
        fleet.Hub.StanzaReceived += OnHubReceived;
        for (int t = 0; t < peers.Count; t++)
        {
            int receiver = t;
            peerHandlers[t] = (_, e) => ledger.Record(receiver, e.Stanza);
            peers[t].StanzaReceived += peerHandlers[t];
        }

        try
        {
            (int gen0, int gen1, int gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var streams = new List<Task>(peers.Count * 2);
            for (int t = 0; t < peers.Count; t++)
            {
                streams.Add(senders.SendStreamAsync(fleet.Hub, peers[t].Jid, t, TrafficLedger.HubToPeer));
                streams.Add(senders.SendStreamAsync(peers[t], fleet.Hub.Jid, t, TrafficLedger.PeerToHub));
            }

            await WatchAsync(Task.WhenAll(streams), () => $"{ledger.Received:N0} of {options.Stanzas:N0} stanzas received after {clock.Elapsed.TotalSeconds:F0} s", progress, token);

            // A send completes once the peer's TLS layer has taken the stanza, so after the last one everything
            // has arrived; the wait only matters if something was lost, and then it is bounded.
            if (senders.Failures == 0)
            {
                await ledger.Complete.WaitAsync(TimeSpan.FromSeconds(30), token).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            result.TrafficSeconds = clock.Elapsed.TotalSeconds;
            result.TrafficCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            (result.TrafficGen0, result.TrafficGen1, result.TrafficGen2) = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
        }
        finally
        {
            fleet.Hub.StanzaReceived -= OnHubReceived;
            for (int t = 0; t < peers.Count; t++)
            {
                peers[t].StanzaReceived -= peerHandlers[t];
            }
        }

        result.StanzasSent = senders.Sent;
        result.SendFailures = senders.Failures;
        result.FirstError ??= senders.FirstError;
        result.StanzasReceived = ledger.Received;
        result.Lost = ledger.Lost;
        result.Duplicated = ledger.Duplicated;
        result.Altered = ledger.Altered;
        result.Misaddressed = ledger.Misaddressed;
        result.InTheClear = ledger.InTheClear;
        result.Unreadable = ledger.Unreadable;
        result.BodyBytes = ledger.BodyBytes;
    }

    // Waits for a long phase, saying every so often how far it got and how big the heap is.
    private static async Task WatchAsync(Task phase, Func<string> status, Action<string> progress, CancellationToken token)
    {
        while (await Task.WhenAny(phase, Task.Delay(ProgressInterval, token)) != phase)
        {
            token.ThrowIfCancellationRequested();
            progress($"  {status()}; heap {Mb(GC.GetTotalMemory(forceFullCollection: false))}");
        }

        await phase;
    }

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Round(p * (sorted.Length - 1))];

    private static string Mb(long bytes) => $"{bytes / 1e6:F1} MB";
}
