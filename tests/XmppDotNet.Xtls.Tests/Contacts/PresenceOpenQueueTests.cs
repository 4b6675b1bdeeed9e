using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Tests.Contacts;

public class PresenceOpenQueueTests
{
    [Test]
    public void At_most_the_concurrency_runs_and_the_rest_waits_in_order()
    {
        var queue = new PresenceOpenQueue(concurrency: 2, capacity: 10);
        Jid[] resources = [.. Enumerable.Range(0, 4).Select(i => Jid.Parse($"juliet@capulet.lit/r{i}"))];
        foreach (Jid resource in resources)
        {
            Assert.That(queue.Enqueue(resource), Is.True);
        }

        Assert.That(queue.TryStart(out Jid? first), Is.True);
        Assert.That(queue.TryStart(out Jid? second), Is.True);
        Assert.That(queue.TryStart(out _), Is.False);
        Assert.That((first, second), Is.EqualTo((resources[0], resources[1])));

        queue.Finished(first!);
        Assert.That(queue.TryStart(out Jid? third), Is.True);
        Assert.That(third, Is.EqualTo(resources[2]));
        Assert.That(queue.Waiting, Is.EqualTo(1));
    }

    [Test]
    public void A_resource_is_queued_once_and_a_full_queue_refuses_more()
    {
        var queue = new PresenceOpenQueue(concurrency: 1, capacity: 2);
        Jid a = Jid.Parse("juliet@capulet.lit/a");

        Assert.That(queue.Enqueue(a), Is.True);
        Assert.That(queue.Enqueue(a), Is.False);
        Assert.That(queue.TryStart(out _), Is.True);
        Assert.That(queue.Enqueue(a), Is.False, "running already");
        Assert.That(queue.Enqueue(Jid.Parse("juliet@capulet.lit/b")), Is.True);
        Assert.That(queue.Enqueue(Jid.Parse("juliet@capulet.lit/c")), Is.True);
        Assert.That(queue.Enqueue(Jid.Parse("juliet@capulet.lit/d")), Is.False, "the queue is full");
    }

    [Test]
    public void A_resource_that_went_away_leaves_the_queue()
    {
        var queue = new PresenceOpenQueue(concurrency: 1, capacity: 10);
        Jid a = Jid.Parse("juliet@capulet.lit/a");
        Jid b = Jid.Parse("juliet@capulet.lit/b");
        queue.Enqueue(a);
        queue.Enqueue(b);

        Assert.That(queue.Remove(b), Is.True);
        Assert.That(queue.TryStart(out Jid? next), Is.True);
        Assert.That(next, Is.EqualTo(a));
        queue.Finished(a);
        Assert.That(queue.TryStart(out _), Is.False);
        Assert.That(queue.Enqueue(b), Is.True, "it may come back");
    }

    [Test]
    public void Claims_keep_concurrent_opens_of_one_contact_within_its_limit()
    {
        var queue = new PresenceOpenQueue(concurrency: 8, capacity: 10);
        Jid juliet = Jid.Parse("juliet@capulet.lit/a");

        Assert.That(queue.TryClaim(juliet, openTunnels: 0, limit: 2), Is.True);
        Assert.That(queue.TryClaim(Jid.Parse("juliet@capulet.lit/b"), openTunnels: 0, limit: 2), Is.True);
        Assert.That(queue.TryClaim(Jid.Parse("juliet@capulet.lit/c"), openTunnels: 0, limit: 2), Is.False, "two opens under way fill the limit");
        Assert.That(queue.TryClaim(Jid.Parse("nurse@capulet.lit/k"), openTunnels: 0, limit: 2), Is.True, "another contact has its own slots");

        queue.Unclaim(juliet);
        Assert.That(queue.TryClaim(Jid.Parse("juliet@capulet.lit/c"), openTunnels: 1, limit: 2), Is.False, "the finished open's tunnel counts");
        Assert.That(queue.TryClaim(Jid.Parse("juliet@capulet.lit/c"), openTunnels: 0, limit: 2), Is.True);
    }
}
