using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

public class OutboundStreamTests
{
    [Test]
    public void Chunks_cover_the_stream_contiguously()
    {
        var stream = new OutboundStream();
        stream.Enqueue(new byte[700], null);

        InFlightChunk a = stream.TakeChunk(256, "x509");
        InFlightChunk b = stream.TakeChunk(256, null);
        InFlightChunk c = stream.TakeChunk(256, null);

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
        InFlightChunk a = stream.TakeChunk(10, null);
        InFlightChunk b = stream.TakeChunk(10, null);
        InFlightChunk c = stream.TakeChunk(10, null);

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
        InFlightChunk first = stream.TakeChunk(7, null);
        InFlightChunk second = stream.TakeChunk(7, null);
        InFlightChunk third = stream.TakeChunk(7, null);

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
        InFlightChunk a = stream.TakeChunk(10, null);
        InFlightChunk b = stream.TakeChunk(10, null);
        InFlightChunk c = stream.TakeChunk(10, null);

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
        InFlightChunk a = stream.TakeChunk(10, null);
        InFlightChunk b = stream.TakeChunk(10, null);
        stream.MarkForResend(a);
        Assert.That(stream.Acknowledge(b), Is.False);

        var other = new OutboundStream();
        other.Enqueue(new byte[20], null);
        InFlightChunk x = other.TakeChunk(10, null);
        InFlightChunk y = other.TakeChunk(10, null);
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
