using System.Globalization;
using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// Managed memory per tunnel: one client opens a tunnel to each of N peer clients (100 resources per
/// account) on an in-memory router. The heap is measured after a full blocking collection once every
/// client is online, again once every tunnel is open at both ends, and again after a 16 KiB message went
/// through some of them; the differences, divided by the tunnel count, are what a tunnel costs (both ends).
/// </summary>
internal static class TunnelMemory
{
    private const int ResourcesPerAccount = 100;
    private const int Concurrency = 64;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    public static async Task<MemoryRow> MeasureAsync(int tunnels, int busyTunnels, Action<XtlsOptions> configure, Action<string> progress)
    {
        int accounts = (tunnels + ResourcesPerAccount - 1) / ResourcesPerAccount;
        await using var router = new InMemoryRouter("memory.bench");
        router.AddAccount("hub", BenchClients.Password);
        for (int a = 0; a < accounts; a++)
        {
            router.AddAccount(Peer(a), BenchClients.Password);
        }

        await router.StartAsync();
        XtlsIdentity shared = XtlsIdentity.Generate(XtlsKeyType.EcdsaP256);
        XmppClient hub = BenchClients.OnRouter(router, "hub", "hub", o =>
        {
            configure(o);
            o.Tunnels.MaxTunnels = 100_000;
            o.Tunnels.MaxTunnelsPerBareJid = 100_000;
        });
        await hub.ConnectAsync();
        var peers = new XmppClient[tunnels];
        var clock = new CpuClock();
        await ForEachAsync(tunnels, async i =>
        {
            peers[i] = BenchClients.OnRouter(router, Peer(i / ResourcesPerAccount), "r" + (i % ResourcesPerAccount).ToString(CultureInfo.InvariantCulture), o =>
            {
                configure(o);
                o.Identity = shared;
            });
            await peers[i].ConnectAsync();
        });
        progress($"{tunnels} peers online in {clock.Elapsed.TotalSeconds:F1} s");

        long baseline = Heap();
        clock = new CpuClock();
        var responderOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int opened = 0;
        foreach (XmppClient peer in peers)
        {
            peer.GetXtls().TunnelOpened += (_, _) =>
            {
                if (Interlocked.Increment(ref opened) == tunnels)
                {
                    responderOpen.TrySetResult();
                }
            };
        }

        XtlsService xtls = hub.GetXtls();
        await ForEachAsync(tunnels, i => xtls.OpenAsync(peers[i].Jid));
        await responderOpen.Task.WaitAsync(Bound);
        double secondsToOpen = clock.Elapsed.TotalSeconds;
        progress($"{tunnels} tunnels open in {secondsToOpen:F1} s");
        long idle = Heap();

        // One tunnel in use while all the others idle: what the idle ones cost the busy one.
        var rateClock = new CpuClock();
        long sent = await StanzaThroughput.SendForAsync(hub, peers[0], 1024, TimeSpan.FromSeconds(2), throughTunnel: true, StanzaThroughput.WindowFor(1024));
        double rateWithIdle = sent / rateClock.Elapsed.TotalSeconds;
        progress($"1 KiB messages through one tunnel beside {tunnels - 1} idle ones: {rateWithIdle:F0}/s");

        int busy = Math.Min(busyTunnels, tunnels);
        await ForEachAsync(busy, i => StanzaThroughput.SendOneAsync(hub, peers[i], Payloads.Message(peers[i].Jid, 16 * 1024)));
        long afterBusy = Heap();

        double perIdle = (double)(idle - baseline) / tunnels;
        double perBusy = perIdle + ((double)(afterBusy - idle) / Math.Max(1, busy));
        GC.KeepAlive(hub);
        GC.KeepAlive(peers);

        // Closing the channels ends every session without a polite close of 10,000 tunnels.
        await ForEachAsync(tunnels, async i =>
        {
            if (peers[i].Channel is { } channel)
            {
                await channel.CloseAsync();
            }
        });
        if (hub.Channel is { } hubChannel)
        {
            await hubChannel.CloseAsync();
        }

        return new MemoryRow(tunnels, secondsToOpen, perIdle, busy, perBusy, baseline / 1e6, null) { StanzasPerSecondBesideIdle = rateWithIdle };
    }

    private static string Peer(int account) => "peer" + account.ToString(CultureInfo.InvariantCulture);

    private static long Heap()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task ForEachAsync(int count, Func<int, Task> action)
    {
        int next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await action(i).WaitAsync(Bound);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(Worker)));
    }
}
