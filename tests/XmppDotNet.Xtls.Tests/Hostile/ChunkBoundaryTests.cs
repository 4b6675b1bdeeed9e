using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.Tests.Pipeline;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>Records cut at every kind of chunk boundary, and stanzas coalesced while the window is full, arrive whole and in order.</summary>
public class ChunkBoundaryTests
{
    [TestCase(256)]
    [TestCase(257)]
    [TestCase(1000)]
    [TestCase(4099)]
    public async Task Stanzas_larger_than_a_tls_record_and_many_small_ones_arrive_intact_and_in_order(int chunkSize)
    {
        // The router announces its stanza limit, which would size chunks to whole records: the configured size is under test.
        await using XtlsPair pair = await XtlsPair.StartAsync(o =>
        {
            o.Tunnels.ChunkSize = chunkSize;
            o.Tunnels.UseStreamLimits = false;
        });
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        string big = Numbers(0, 8_000);      // about 39 KB: three TLS records, each cut across chunks
        string bigger = Numbers(8_000, 12_000);

        Task[] sends =
        [
            pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, big)),
            .. Enumerable.Range(0, 60).Select(i => pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "small " + i))),
            pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, bigger)),
        ];
        await Task.WhenAll(sends).WaitAsync(XtlsPair.Bound);

        Assert.That((await XtlsPair.NextMessageAsync(pair.JulietInbox)).Value, Is.EqualTo(big));
        for (int i = 0; i < 60; i++)
        {
            Assert.That((await XtlsPair.NextMessageAsync(pair.JulietInbox)).Value, Is.EqualTo("small " + i));
        }

        Assert.That((await XtlsPair.NextMessageAsync(pair.JulietInbox)).Value, Is.EqualTo(bigger));
        int[] sizes = [.. mitm.DataSent.Where(d => d.From == pair.Romeo.Jid).Select(d => DataIq.Payload(d.Iq).Length)];
        Assert.That(sizes, Has.All.InRange(1, chunkSize));
        Assert.That(sizes.Max(), Is.EqualTo(chunkSize), "full chunks are cut at exactly the chunk size");
        Assert.That(sizes.Sum(), Is.GreaterThan(big.Length + bigger.Length));
    }

    [Test]
    public async Task Stanzas_sent_while_the_window_is_full_are_coalesced_into_few_chunks_and_arrive_in_order()
    {
        const int stanzas = 100;
        const int window = 4;
        const int chunkSize = 1024;
        await using XtlsPair pair = await XtlsPair.StartAsync(o =>
        {
            o.Tunnels.Window = window;
            o.Tunnels.ChunkSize = chunkSize;
            o.Tunnels.UseStreamLimits = false;
        });
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        int before = mitm.DataCount(pair.Romeo.Jid);

        // All in one turn of the event loop, so no acknowledgement can come between them: the first
        // ones fill the window, the rest wait in the queue.
        Task[] sends = await Watch.SendInOneTurn(
            pair.Romeo,
            [.. Enumerable.Range(0, stanzas).Select(i => XtlsPair.Chat(pair.Juliet.Jid, "m" + i.ToString("D3", CultureInfo.InvariantCulture)))]);
        await Task.WhenAll(sends).WaitAsync(XtlsPair.Bound);
        for (int i = 0; i < stanzas; i++)
        {
            XElement next = await XtlsPair.NextMessageAsync(pair.JulietInbox);
            Assert.That(next.Value, Is.EqualTo("m" + i.ToString("D3", CultureInfo.InvariantCulture)));
        }

        int[] sizes = [.. mitm.DataSent.Where(d => d.From == pair.Romeo.Jid).Skip(before).Select(d => DataIq.Payload(d.Iq).Length)];
        int queued = sizes.Skip(window).Sum();
        int record = sizes.Take(window).Max();
        Assert.That(sizes, Has.Length.LessThan(stanzas));
        Assert.That(sizes, Has.All.InRange(1, chunkSize));
        Assert.That(sizes.Length - window, Is.LessThanOrEqualTo(2 * ((queued + chunkSize - 1) / chunkSize)), "one stanza per chunk until the window is full, then chunks of whole records, each at least half full");
        Assert.That(queued, Is.LessThan((stanzas - window) * (record - 1)), "the stanzas held for the window share records: less than a record each");
    }

    private static string Numbers(int from, int to) =>
        string.Join(',', Enumerable.Range(from, to - from).Select(i => i.ToString(CultureInfo.InvariantCulture)));
}
