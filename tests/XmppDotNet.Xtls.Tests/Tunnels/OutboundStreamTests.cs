using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

public class OutboundStreamTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_chunk_ends_where_a_write_ended_so_the_peer_gets_whole_records()
    {
        var stream = new OutboundStream();
        stream.Enqueue(new byte[300], null);
        stream.Enqueue(new byte[300], null);
        stream.Enqueue(new byte[300], null);

        InFlightChunk a = stream.TakeChunk(700, null, T0, 0);
        InFlightChunk b = stream.TakeChunk(700, null, T0, 0);

        Assert.That((a.Start, a.End, b.Start, b.End), Is.EqualTo((0L, 600L, 600L, 900L)));
    }

    [Test]
    public void A_write_longer_than_a_chunk_is_split_and_the_writes_after_it_stay_aligned()
    {
        var stream = new OutboundStream();
        stream.Enqueue(new byte[1000], null);
        stream.Enqueue(new byte[300], null);
        stream.Enqueue(new byte[300], null);

        InFlightChunk a = stream.TakeChunk(600, null, T0, 0);
        InFlightChunk b = stream.TakeChunk(600, null, T0, 0);
        InFlightChunk c = stream.TakeChunk(600, null, T0, 0);

        Assert.That((a.End, b.End, c.End), Is.EqualTo((600L, 1000L, 1600L)), "the rest of the long write goes alone; the two short ones share the last chunk");
        Assert.That(stream.QueuedBytes, Is.Zero);
    }

    [Test]
    public void A_chunk_remembers_when_it_left_and_what_was_delivered_then()
    {
        var stream = new OutboundStream();
        stream.Enqueue(new byte[10], null);

        InFlightChunk a = stream.TakeChunk(10, null, T0 + TimeSpan.FromSeconds(3), 1234);

        Assert.That((a.SentAt, a.DeliveredAtSend, stream.InFlightBytes), Is.EqualTo((T0 + TimeSpan.FromSeconds(3), 1234L, 10L)));
    }
    [Test]
    public void Chunks_cover_the_stream_contiguously()
    {
        var stream = new OutboundStream();
        stream.Enqueue(new byte[700], null);

        InFlightChunk a = stream.TakeChunk(256, "x509", T0, 0);
        InFlightChunk b = stream.TakeChunk(256, null, T0, 0);
        InFlightChunk c = stream.TakeChunk(256, null, T0, 0);

        Assert.That((a.Start, a.End, b.Start, b.End, c.Start, c.End), Is.EqualTo((0L, 256L, 256L, 512L, 512L, 700L)));
        Assert.That(a.Method, Is.EqualTo("x509"));
        Assert.That(stream.QueuedBytes, Is.Zero);
        Assert.That(stream.InFlightCount, Is.EqualTo(3));
    }

    [Test]
    public void Acked_through_is_the_start_of_the_oldest_unacknowledged_chunk()
    {
        var stream = new OutboundStream();
        stream.Enqueue(new byte[30], null);
        InFlightChunk a = stream.TakeChunk(10, null, T0, 0);
        InFlightChunk b = stream.TakeChunk(10, null, T0, 0);
        InFlightChunk c = stream.TakeChunk(10, null, T0, 0);

        Assert.That(stream.Acknowledge(b), Is.True);
        Assert.That(stream.AckedThrough, Is.Zero);
        Assert.That(stream.Acknowledge(a), Is.True);
        Assert.That(stream.AckedThrough, Is.EqualTo(20));
        Assert.That(stream.Acknowledge(c), Is.True);
        Assert.That(stream.AckedThrough, Is.EqualTo(30));
        Assert.That(stream.IsDrained, Is.True);
    }

    [Test]
    public void Tokens_come_out_in_order_once_their_end_is_acknowledged()
    {
        var stream = new OutboundStream();
        stream.Enqueue(new byte[5], "a");
        stream.Enqueue(new byte[5], "b");
        stream.Enqueue(ReadOnlySpan<byte>.Empty, "b2");
        stream.Enqueue(new byte[5], "c");
        InFlightChunk first = stream.TakeChunk(7, null, T0, 0);
        InFlightChunk second = stream.TakeChunk(7, null, T0, 0);
        InFlightChunk third = stream.TakeChunk(7, null, T0, 0);

        stream.Acknowledge(first);
        Assert.That(stream.TakeAcknowledgedTokens(), Is.EqualTo(new object[] { "a" }));
        stream.Acknowledge(third);
        Assert.That(stream.TakeAcknowledgedTokens(), Is.Empty);
        stream.Acknowledge(second);
        Assert.That(stream.TakeAcknowledgedTokens(), Is.EqualTo(new object[] { "b", "b2", "c" }));
        Assert.That(stream.PendingTokenCount, Is.Zero);
    }

    [Test]
    public void Resend_is_possible_only_when_every_later_chunk_was_refused_too()
    {
        var stream = new OutboundStream();
        stream.Enqueue(new byte[30], null);
        InFlightChunk a = stream.TakeChunk(10, null, T0, 0);
        InFlightChunk b = stream.TakeChunk(10, null, T0, 0);
        InFlightChunk c = stream.TakeChunk(10, null, T0, 0);

        Assert.That(stream.MarkForResend(b), Is.True);
        Assert.That(stream.HasResends, Is.True);
        Assert.That(stream.CanResend, Is.False, "c may still get through");
        Assert.That(stream.MarkForResend(c), Is.True);
        Assert.That(stream.CanResend, Is.True, "a, before them, does not matter");

        IReadOnlyList<InFlightChunk> resends = stream.TakeResends();
        Assert.That(resends, Is.EqualTo(new[] { b, c }));
        Assert.That(stream.HasResends, Is.False);
        Assert.That(b.WaitErrors, Is.EqualTo(1));
        Assert.That(stream.Acknowledge(a), Is.True);
    }

    [Test]
    public void Order_loss_around_a_resend_is_detected_both_ways()
    {
        var stream = new OutboundStream();
        stream.Enqueue(new byte[20], null);
        InFlightChunk a = stream.TakeChunk(10, null, T0, 0);
        InFlightChunk b = stream.TakeChunk(10, null, T0, 0);
        stream.MarkForResend(a);
        Assert.That(stream.Acknowledge(b), Is.False);

        var other = new OutboundStream();
        other.Enqueue(new byte[20], null);
        InFlightChunk x = other.TakeChunk(10, null, T0, 0);
        InFlightChunk y = other.TakeChunk(10, null, T0, 0);
        other.Acknowledge(y);
        Assert.That(other.MarkForResend(x), Is.False);
    }

    [Test]
    public void All_tokens_are_handed_back_in_order()
    {
        var stream = new OutboundStream();
        stream.Enqueue(new byte[1], 1);
        stream.Enqueue(new byte[1], 2);
        Assert.That(stream.TakeAllTokens(), Is.EqualTo(new object[] { 1, 2 }));
        Assert.That(stream.PendingTokenCount, Is.Zero);
    }
}
