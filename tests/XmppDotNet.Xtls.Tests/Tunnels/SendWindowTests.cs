using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>The window of data IQs, sized from acknowledgements: a simulated path on a fake clock, no timing.</summary>
public class SendWindowTests
{
    private const long AlwaysWaiting = 1L << 40;

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_new_window_allows_the_whole_configured_window_and_never_more()
    {
        var window = new SendWindow(8, 1000);

        Assert.Multiple(() =>
        {
            Assert.That(window.Allows(7, 7000, 0), Is.True);
            Assert.That(window.Allows(8, 0, 1_000_000), Is.False);
            Assert.That(window.BudgetBytes, Is.EqualTo(8000));
        });
    }

    [Test]
    public void A_fast_path_keeps_the_whole_window_in_flight()
    {
        var window = new SendWindow(8, 1000);

        (int least, int most) = Simulate(window, bytesPerSecond: 50e6, delay: TimeSpan.FromMilliseconds(1), chunkBytes: 1000, chunks: 400);

        Assert.That((least, most), Is.EqualTo((8, 8)));
    }

    [Test]
    public void A_throttled_path_keeps_only_what_it_delivers_in_a_round_trip()
    {
        // 10 kB/s as Debian's Prosody throttles a client; 2 KB per IQ; 20 ms of latency besides.
        var window = new SendWindow(8, 2000);

        (int least, int most) = Simulate(window, bytesPerSecond: 10_000, delay: TimeSpan.FromMilliseconds(20), chunkBytes: 2000, chunks: 400);

        Assert.That(least, Is.GreaterThanOrEqualTo(SendWindow.FloorIqs), "one IQ passes the throttle while the other's answer comes back");
        Assert.That(most, Is.LessThanOrEqualTo(3), "the bandwidth-delay product is about one IQ; twice that, plus the one that crosses it");
    }

    [Test]
    public void A_fast_path_uses_whole_chunks_a_throttled_one_smaller_ones_and_a_small_chunk_size_is_kept()
    {
        var fast = new SendWindow(8, 16_896);
        _ = Simulate(fast, bytesPerSecond: 50e6, delay: TimeSpan.FromMilliseconds(1), chunkBytes: 16_896, chunks: 100);
        var throttled = new SendWindow(8, 16_896);
        _ = Simulate(throttled, bytesPerSecond: 10_000, delay: TimeSpan.FromMilliseconds(20), chunkBytes: 4096, chunks: 100);
        var small = new SendWindow(8, 256);
        _ = Simulate(small, bytesPerSecond: 10_000, delay: TimeSpan.FromMilliseconds(20), chunkBytes: 256, chunks: 100);

        Assert.That((fast.ChunkBytes, small.ChunkBytes), Is.EqualTo((16_896, 256)));
        Assert.That(throttled.ChunkBytes, Is.InRange(SendWindow.SlowPathChunkBytes, 16_895), "through a throttle, acknowledgements must not queue behind long IQs");
    }

    [Test]
    public void A_fast_path_keeps_the_whole_window_even_when_its_round_trips_are_mostly_queueing()
    {
        // 4 MB/s, but every IQ waits 10 ms behind the others (busy event loops), far longer than the first one did.
        var window = new SendWindow(8, 4096);
        window.OnAcknowledged(100, T0, 0, T0 + TimeSpan.FromMilliseconds(0.1));
        DateTimeOffset now = T0 + TimeSpan.FromSeconds(1);
        for (int i = 0; i < 20; i++)
        {
            window.OnAcknowledged(4096, now, window.Delivered, now + TimeSpan.FromMilliseconds(1));
            now += TimeSpan.FromMilliseconds(10);
        }

        Assert.That(window.BudgetBytes, Is.EqualTo(8 * 4096));
    }

    [Test]
    public void The_window_grows_back_when_the_path_speeds_up()
    {
        var window = new SendWindow(8, 2000);
        _ = Simulate(window, bytesPerSecond: 10_000, delay: TimeSpan.FromMilliseconds(20), chunkBytes: 2000, chunks: 100);

        (int least, int _) = Simulate(window, bytesPerSecond: 50e6, delay: TimeSpan.FromMilliseconds(1), chunkBytes: 2000, chunks: 400, start: T0 + TimeSpan.FromMinutes(10));

        Assert.That(least, Is.EqualTo(8));
    }

    [Test]
    public void A_wait_error_halves_the_budget_but_never_the_floor()
    {
        var window = new SendWindow(8, 1000);
        window.OnWait();
        Assert.That(window.BudgetBytes, Is.EqualTo(4000));

        for (int i = 0; i < 40; i++)
        {
            window.OnWait();
        }

        Assert.Multiple(() =>
        {
            Assert.That(window.BudgetBytes, Is.Zero);
            Assert.That(window.Allows(0, 0, 0), Is.True, "one IQ may always be in flight");
            Assert.That(window.Allows(1, 1_000_000, 1_000_000), Is.True, "two while more waits than one IQ carries");
            Assert.That(window.Allows(1, 1_000_000, 100), Is.False, "one otherwise: what is written meanwhile waits and leaves together");
            Assert.That(window.Allows(2, 0, 1_000_000), Is.False);
        });
    }

    [Test]
    public void A_window_of_one_stays_one()
    {
        var window = new SendWindow(1, 1000);

        Assert.Multiple(() =>
        {
            Assert.That(window.Floor, Is.EqualTo(1));
            Assert.That(window.Allows(0, 0, 0), Is.True);
            Assert.That(window.Allows(1, 0, 1_000_000), Is.False);
        });
    }

    [Test]
    public void Through_a_slow_path_writes_made_while_two_iqs_are_out_leave_together()
    {
        var link = new Link(new TunnelManagerOptions { Window = 8, ChunkSize = 4096 });
        link.Establish(link.Romeo);
        link.Romeo.Events.Clear();
        Jid juliet = link.Juliet.Jid;

        // One IQ answered after a second: the path delivers about 100 bytes in its round trip.
        link.Romeo.Manager.SendCiphertext(juliet, new byte[100], null, link.Now);
        XElement first = link.Romeo.TakeSingleStanza();
        link.Now += TimeSpan.FromSeconds(1);
        link.Romeo.Receive(Stanzas.Result(first), link.Now);

        for (int i = 0; i < 7; i++)
        {
            link.Romeo.Manager.SendCiphertext(juliet, new byte[100], null, link.Now);
        }

        List<XElement> sent = link.Romeo.TakeOutbox();
        Assert.That(sent, Has.Count.EqualTo(2), "the floor of two IQs; the other five writes wait");

        link.Now += TimeSpan.FromSeconds(1);
        link.Romeo.Receive(Stanzas.Result(sent[0]), link.Now);
        XElement together = link.Romeo.TakeSingleStanza();
        Assert.That(Stanzas.DataBytes(together), Has.Length.EqualTo(500));
    }

    [Test]
    public void Through_a_fast_path_the_same_writes_leave_at_once()
    {
        var link = new Link(new TunnelManagerOptions { Window = 8, ChunkSize = 4096 });
        link.Establish(link.Romeo);
        link.Romeo.Events.Clear();
        Jid juliet = link.Juliet.Jid;
        link.Romeo.Manager.SendCiphertext(juliet, new byte[100], null, link.Now);
        link.Romeo.Receive(Stanzas.Result(link.Romeo.TakeSingleStanza()), link.Now);

        for (int i = 0; i < 7; i++)
        {
            link.Romeo.Manager.SendCiphertext(juliet, new byte[100], null, link.Now);
        }

        Assert.That(link.Romeo.TakeOutbox(), Has.Count.EqualTo(7));
    }

    /// <summary>
    /// Sends chunks through a simulated path (a queue drained at <paramref name="bytesPerSecond"/>, then
    /// <paramref name="delay"/> until the answer) as fast as the window allows, with data always waiting;
    /// returns the fewest and most IQs in flight over the second half.
    /// </summary>
    private static (int Least, int Most) Simulate(SendWindow window, double bytesPerSecond, TimeSpan delay, int chunkBytes, int chunks, DateTimeOffset? start = null)
    {
        DateTimeOffset now = start ?? T0;
        DateTimeOffset pipeFree = now;
        var inFlight = new Queue<(DateTimeOffset Sent, long DeliveredAtSend, DateTimeOffset AckAt)>();
        int least = int.MaxValue;
        int most = 0;
        int sent = 0;
        while (sent < chunks)
        {
            while (sent < chunks && window.Allows(inFlight.Count, (long)inFlight.Count * chunkBytes, AlwaysWaiting))
            {
                pipeFree = (pipeFree > now ? pipeFree : now) + TimeSpan.FromSeconds(chunkBytes / bytesPerSecond);
                inFlight.Enqueue((now, window.Delivered, pipeFree + delay));
                sent++;
            }

            if (sent > chunks / 2)
            {
                least = Math.Min(least, inFlight.Count);
                most = Math.Max(most, inFlight.Count);
            }

            (DateTimeOffset sentAt, long deliveredAtSend, DateTimeOffset ackAt) = inFlight.Dequeue();
            now = ackAt;
            window.OnAcknowledged(chunkBytes, sentAt, deliveredAtSend, now);
        }

        return (least, most);
    }
}
