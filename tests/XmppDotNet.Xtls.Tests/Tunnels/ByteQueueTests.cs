using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

public class ByteQueueTests
{
    [Test]
    public void Bytes_come_out_in_order_across_wraparound_and_growth()
    {
        var queue = new ByteQueue();
        var expected = new Queue<byte>();
        var random = new Random(42);
        byte next = 0;
        for (int round = 0; round < 2000; round++)
        {
            byte[] chunk = new byte[random.Next(0, 3000)];
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = next++;
                expected.Enqueue(chunk[i]);
            }

            queue.Enqueue(chunk);
            byte[] taken = queue.Dequeue(random.Next(0, 3500));
            foreach (byte b in taken)
            {
                Assert.That(b, Is.EqualTo(expected.Dequeue()));
            }

            Assert.That(queue.Count, Is.EqualTo(expected.Count));
        }

        Assert.That(queue.Dequeue(int.MaxValue), Is.EqualTo(expected.ToArray()));
        Assert.That(queue.Count, Is.Zero);
    }

    [Test]
    public void Dequeue_from_empty_returns_nothing()
    {
        var queue = new ByteQueue();
        Assert.That(queue.Dequeue(10), Is.Empty);
        queue.Enqueue(ReadOnlySpan<byte>.Empty);
        Assert.That(queue.Count, Is.Zero);
    }

    [Test]
    public void A_large_buffer_is_released_once_drained_and_the_queue_still_works()
    {
        var queue = new ByteQueue();
        queue.Enqueue(new byte[1 << 20]);
        Assert.That(queue.Dequeue(int.MaxValue), Has.Length.EqualTo(1 << 20));

        queue.Enqueue([1, 2, 3]);
        Assert.That(queue.Dequeue(10), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void A_drained_queue_holds_no_buffer()
    {
        var queue = new ByteQueue();
        queue.Enqueue(new byte[100]);
        Assert.That(queue.Capacity, Is.GreaterThanOrEqualTo(100));

        _ = queue.Dequeue(60);
        Assert.That(queue.Capacity, Is.GreaterThanOrEqualTo(40));

        _ = queue.Dequeue(40);
        Assert.That(queue.Capacity, Is.Zero);
    }
}
