using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>The bytes per data IQ: whole records where the server's announced limit allows, the configured size elsewhere.</summary>
public class ChunkSizingTests
{
    private static readonly Jid Romeo = Jid.Parse("romeo@montague.lit/orchard");
    private static readonly Jid Benvolio = Jid.Parse("benvolio@montague.lit/square");
    private static readonly Jid Juliet = Jid.Parse("juliet@capulet.lit/balcony");

    [Test]
    public void Without_an_announced_limit_the_configured_size_applies()
    {
        var options = new TunnelManagerOptions { ChunkSize = 5_000 };

        Assert.That(ChunkSizing.For(options, null, Romeo, Benvolio), Is.EqualTo(5_000));
    }

    [Test]
    public void A_generous_limit_gives_a_whole_record_to_a_peer_on_the_same_domain()
    {
        Assert.That(ChunkSizing.For(new TunnelManagerOptions(), 262_144, Romeo, Benvolio), Is.EqualTo(TunnelManagerOptions.WholeRecordChunkSize));
    }

    [Test]
    public void The_domain_is_compared_without_regard_to_case()
    {
        Assert.That(ChunkSizing.For(new TunnelManagerOptions(), 262_144, Romeo, Jid.Parse("benvolio@MONTAGUE.lit/square")), Is.EqualTo(TunnelManagerOptions.WholeRecordChunkSize));
    }

    [Test]
    public void A_peer_on_another_domain_gets_the_configured_size_because_another_server_limit_applies()
    {
        Assert.That(ChunkSizing.For(new TunnelManagerOptions(), 262_144, Romeo, Juliet), Is.EqualTo(TunnelManagerOptions.DefaultChunkSize));
    }

    [Test]
    public void A_small_announced_limit_caps_the_configured_size_to_a_peer_on_another_domain_too()
    {
        // Every data IQ passes the local server first.
        int chunk = ChunkSizing.For(new TunnelManagerOptions(), 7_000, Romeo, Juliet);

        Assert.That(chunk, Is.LessThan(TunnelManagerOptions.DefaultChunkSize));
    }

    [Test]
    public void Turned_off_a_generous_limit_does_not_grow_the_chunk_but_a_small_one_still_caps_it()
    {
        var options = new TunnelManagerOptions { UseStreamLimits = false };

        Assert.That(ChunkSizing.For(options, 262_144, Romeo, Benvolio), Is.EqualTo(TunnelManagerOptions.DefaultChunkSize));
        Assert.That(ChunkSizing.For(options, 7_000, Romeo, Benvolio), Is.LessThan(TunnelManagerOptions.DefaultChunkSize));
    }

    [TestCase(10_000, "romeo@verona.lit/orchard", "juliet@verona.lit/balcony")]
    [TestCase(20_000, "romeo@verona.lit/orchard", "juliet@verona.lit/balcony")]
    [TestCase(7_000, "romeo@verona.lit/orchard", "juliet@capulet.lit/balcony")]
    [TestCase(10_000, "romeo@verona.lit/\"&<>'\"&<>'\"&<>'", "juliet@verona.lit/\"\"\"\"\"\"\"\"")]
    public void Every_data_iq_as_serialised_stays_within_the_announced_limit(int limit, string romeo, string juliet)
    {
        // The clock stands still, so the window stays open and every IQ is as big as the chunk size allows.
        var link = new Link(romeoJid: romeo, julietJid: juliet);
        link.Romeo.Manager.ServerMaxStanzaBytes = limit;
        link.Establish(link.Romeo);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[60_000], null, link.Now);
        link.Romeo.Drain();

        int[] sizes = [.. link.Romeo.Outbox.Where(iq => iq.Elements().Any()).Select(iq => Encoding.UTF8.GetByteCount(iq.ToString(SaveOptions.DisableFormatting)))];

        Assert.That(sizes, Is.Not.Empty);
        Assert.That(sizes, Has.All.LessThanOrEqualTo(limit));
        Assert.That(sizes.Max(), Is.GreaterThan(limit / 2), "the limit is used, not wasted");
    }

    [Test]
    public void A_limit_below_what_any_chunk_needs_leaves_the_smallest_chunk()
    {
        Assert.That(ChunkSizing.For(new TunnelManagerOptions(), 100, Romeo, Benvolio), Is.EqualTo(TunnelManagerOptions.MinChunkSize));
    }

    [Test]
    public void A_changed_limit_resizes_the_next_data_iqs_of_an_open_tunnel()
    {
        // The clock stands still: every acknowledgement is instant, so the window stays open and only the chunk size shows.
        var link = new Link(romeoJid: "romeo@verona.lit/orchard", julietJid: "juliet@verona.lit/balcony");
        link.Romeo.Manager.ServerMaxStanzaBytes = 262_144;
        link.Establish(link.Romeo);

        Assert.That(LargestChunk(link), Is.EqualTo(TunnelManagerOptions.WholeRecordChunkSize));

        // Resumed on a connection whose server announced nothing: back to what every server accepts.
        link.Romeo.Manager.ServerMaxStanzaBytes = null;
        Assert.That(LargestChunk(link), Is.EqualTo(TunnelManagerOptions.DefaultChunkSize));

        link.Romeo.Manager.ServerMaxStanzaBytes = 7_000;
        Assert.That(LargestChunk(link), Is.EqualTo(ChunkSizing.For(new TunnelManagerOptions(), 7_000, link.Romeo.Jid, link.Juliet.Jid)).And.LessThan(TunnelManagerOptions.DefaultChunkSize));
    }

    [Test]
    public void The_manager_refuses_a_limit_that_is_not_positive()
    {
        var manager = new TunnelManager(Romeo);

        Assert.Throws<ArgumentOutOfRangeException>(() => manager.ServerMaxStanzaBytes = 0);
        Assert.DoesNotThrow(() => manager.ServerMaxStanzaBytes = null);
    }

    /// <summary>Sends 40,000 bytes from Romeo in one write, delivers everything, and returns the largest data IQ's payload.</summary>
    private static int LargestChunk(Link link)
    {
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[40_000], null, link.Now);
        link.Romeo.Drain();
        int largest = link.Romeo.Outbox.Where(s => s.Elements().Any()).Max(s => Stanzas.DataBytes(s).Length);
        link.Run();
        return largest;
    }
}
