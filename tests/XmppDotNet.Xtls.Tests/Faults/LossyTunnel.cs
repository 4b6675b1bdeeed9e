using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Tests.Hostile;
using XmppDotNet.Xtls.Tests.Pipeline;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>Two clients on one fake clock behind a <see cref="FaultInjector"/>, with small chunks so stanzas share and split chunks.</summary>
internal sealed class LossyTunnel : IAsyncDisposable
{
    public static readonly TimeSpan ProgressTimeout = TimeSpan.FromSeconds(10);

    private int _flushes;

    private LossyTunnel(XtlsPair pair, FakeTimeProvider clock, FaultInjector faults)
    {
        Pair = pair;
        Clock = clock;
        Faults = faults;
        pair.RomeoXtls.TunnelClosed += (_, e) => RomeoClosed.Enqueue(e);
        pair.JulietXtls.TunnelClosed += (_, e) => JulietClosed.Enqueue(e);
    }

    public XtlsPair Pair { get; }

    public FakeTimeProvider Clock { get; }

    public FaultInjector Faults { get; }

    public ConcurrentQueue<XtlsTunnelClosedEventArgs> RomeoClosed { get; } = new();

    public ConcurrentQueue<XtlsTunnelClosedEventArgs> JulietClosed { get; } = new();

    public static async Task<LossyTunnel> StartAsync(int seed, FaultRates? rates = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        FaultInjector? faults = null;
        XtlsPair pair = await XtlsPair.StartAsync(
            Configure,
            Configure,
            router => faults = new FaultInjector(router, seed, rates),
            clock,
            clock);
        return new LossyTunnel(pair, clock, faults!);
    }

    /// <summary>
    /// Opens Romeo's tunnel to Juliet and sends a greeting through it: once that is acknowledged,
    /// Juliet has the tunnel too and nothing of it is in flight. (No event subscriptions: this runs
    /// hundreds of times on one pair.)
    /// </summary>
    public async Task OpenAsync()
    {
        await Pair.RomeoXtls.OpenAsync(Pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await Pair.Romeo.SendAsync(XtlsPair.Chat(Pair.Juliet.Jid, OpenTunnel.Greeting)).WaitAsync(XtlsPair.Bound);
        XElement greeting = await XtlsPair.NextMessageAsync(Pair.JulietInbox);
        Assert.That(greeting.Value, Is.EqualTo(OpenTunnel.Greeting));
    }

    /// <summary>Sends chat messages with these bodies to Juliet in one turn of Romeo's event loop, so all enter the tunnel.</summary>
    public Task<Task[]> SendAsync(IEnumerable<string> bodies) =>
        Watch.SendInOneTurn(Pair.Romeo, [.. bodies.Select(b => XtlsPair.Chat(Pair.Juliet.Jid, b))]);

    /// <summary>Advances time until every task has completed.</summary>
    public Task UntilCompletedAsync(IReadOnlyCollection<Task> tasks) =>
        Drive.UntilAsync(Clock, () => tasks.All(t => t.IsCompleted), Pair.Romeo, Pair.Juliet);

    /// <summary>
    /// Ends Romeo's tunnel in order if it is still open, then advances time until Romeo holds no tunnel
    /// in any state (a close left unanswered ends at the close timeout).
    /// </summary>
    public async Task EndRomeosTunnelAsync()
    {
        Task closing = Pair.RomeoXtls.CloseAsync(Pair.Juliet.Jid);
        await Drive.UntilAsync(Clock, async () => closing.IsCompleted && await Drive.TunnelCount(Pair.Romeo) == 0, Pair.Romeo, Pair.Juliet);
        await closing;
    }

    /// <summary>
    /// Waits until nothing either client sent before this call is still on its way: a clear message
    /// each way, which arrives after everything its sender sent earlier (in-order delivery). Needed
    /// before a new start: an IQ of the ended tunnel that is still under way would otherwise reach
    /// the new one, and data before proceed ends a tunnel as a protocol violation.
    /// </summary>
    public async Task FlushPathsAsync()
    {
        string mark = "flush " + Interlocked.Increment(ref _flushes);
        await Pair.Romeo.SendAsync(XtlsPair.Chat(Pair.Juliet.Jid, mark).SendInClear()).WaitAsync(XtlsPair.Bound);
        await Pair.Juliet.SendAsync(XtlsPair.Chat(Pair.Romeo.Jid, mark).SendInClear()).WaitAsync(XtlsPair.Bound);
        await SkipToAsync(Pair.JulietInbox, mark);
        await SkipToAsync(Pair.RomeoInbox, mark);
    }

    /// <summary>Reads an inbox up to a message with this body; what comes before it is the test's to ignore.</summary>
    private static async Task SkipToAsync(System.Threading.Channels.Channel<XElement> inbox, string body)
    {
        while ((await XtlsPair.NextMessageAsync(inbox)).Value != body)
        {
        }
    }

    /// <summary>
    /// Opens a new tunnel and sends a marker through it; returns every message Juliet received before
    /// the marker. Juliet handles the new start after everything of the old tunnel, and a new start
    /// replaces whatever is left of the old one, so nothing of the old tunnel can arrive later.
    /// </summary>
    public async Task<List<XElement>> ReopenAndCollectAsync(string marker)
    {
        var before = new List<XElement>();
        string mark = "flush " + Interlocked.Increment(ref _flushes);
        await Pair.Juliet.SendAsync(XtlsPair.Chat(Pair.Romeo.Jid, mark).SendInClear()).WaitAsync(XtlsPair.Bound);
        await SkipToAsync(Pair.RomeoInbox, mark);
        await Pair.RomeoXtls.OpenAsync(Pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await Pair.Romeo.SendAsync(XtlsPair.Chat(Pair.Juliet.Jid, marker)).WaitAsync(XtlsPair.Bound);
        while (true)
        {
            XElement message = await XtlsPair.NextMessageAsync(Pair.JulietInbox);
            if (message.Value == marker)
            {
                Assert.That(message.IsFromXtlsTunnel(), Is.True);
                return before;
            }

            before.Add(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Faults.Disarm();

        // Time runs while the clients close: a close the network lost ends at its timeout on the fake clock.
        Task disposing = Pair.DisposeAsync().AsTask();
        await Drive.UntilAsync(Clock, () => disposing.IsCompleted, Pair.Romeo, Pair.Juliet);
        await disposing;
    }

    private static void Configure(XtlsOptions options)
    {
        options.Tunnels.ChunkSize = 256;
        options.Tunnels.Window = 4;
        options.Tunnels.ProgressTimeout = ProgressTimeout;
        options.Tunnels.CloseTimeout = TimeSpan.FromSeconds(10);
    }
}
