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
    public void Turned_off_the_announced_limit_is_ignored()
    {
        var options = new TunnelManagerOptions { UseStreamLimits = false };

        Assert.That(ChunkSizing.For(options, 262_144, Romeo, Benvolio), Is.EqualTo(TunnelManagerOptions.DefaultChunkSize));
    }

    [TestCase(10_000)]
    [TestCase(7_000)]
    [TestCase(20_000)]
    public void A_data_iq_with_the_largest_chunk_and_the_worst_escaped_addresses_stays_within_the_limit(int limit)
    {
        int chunk = ChunkSizing.For(new TunnelManagerOptions(), limit, Romeo, Benvolio);
        int base64 = (chunk + 2) / 3 * 4;
        int worstEnvelope = ChunkSizing.EnvelopeBytes + (ChunkSizing.WorstEscapeFactor * (Romeo.ToString().Length + Benvolio.ToString().Length));

        Assert.That(base64 + worstEnvelope, Is.LessThanOrEqualTo(limit));
        Assert.That(chunk, Is.LessThan(TunnelManagerOptions.WholeRecordChunkSize), "the limit, not the record, decides here");
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
