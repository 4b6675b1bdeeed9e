using System.Xml.Linq;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// A tunnel whose IQs and answers a network drops, duplicates, delays and reorders at random (one seed
/// per case). What XTLS can promise there, and what these tests hold it to:
/// <list type="bullet">
/// <item>Juliet receives a prefix of what Romeo sent, in order, each stanza at most once, all of it through the tunnel: TLS sequence numbers turn any gap, replay or swap into a failed record, after which the receiver decrypts nothing more.</item>
/// <item>The sends that succeeded are a prefix too, and every one of them was delivered: an acknowledgement is sent only after its chunk was decrypted without failure, and completes a send only once every byte up to it is acknowledged.</item>
/// <item>Every other send fails with <see cref="XtlsTunnelException"/>, and the tunnel ends (by an error, an alert or the progress timeout); a new one opens afterwards.</item>
/// </list>
/// What cannot be promised: that a stanza reported failed was not delivered. When the answer to the
/// last chunk of a delivered stanza is lost or comes too late, the sender cannot tell it from a lost
/// chunk, so it reports the stanza failed (the safe side: the application may send it again, and the
/// peer may see it twice, never zero times unreported). The tests assert delivered ⊇ succeeded, not
/// equality. This rests on a record never spanning more than two chunks here (records of about 150
/// bytes, chunks of 256): a chunk that ends inside a record is acknowledged before that record can be
/// authenticated, so with records much larger than chunks a reordering network could get bytes
/// acknowledged that will never decrypt.
/// </summary>
public class LossyNetworkPropertyTests
{
    private const int StanzaCount = 40;

    private static readonly FaultRates Rates = new(Drop: 0.03, Duplicate: 0.03, Delay: 0.06, Reorder: 0.03);

    private static IEnumerable<int> Seeds => Enumerable.Range(1, 16);

    [TestCaseSource(nameof(Seeds))]
    public async Task Every_stanza_is_delivered_once_in_order_or_its_send_fails_and_a_new_tunnel_opens(int seed)
    {
        await using LossyTunnel lossy = await LossyTunnel.StartAsync(seed, Rates);
        await lossy.OpenAsync();
        string[] bodies = [.. Enumerable.Range(0, StanzaCount).Select(i => $"seed {seed} stanza {i:D3} " + new string('.', 40))];

        lossy.Faults.Arm();
        Task[] sends = await lossy.SendAsync(bodies);
        await lossy.UntilCompletedAsync(sends);
        lossy.Faults.Disarm();
        await lossy.EndRomeosTunnelAsync();
        List<XElement> delivered = await lossy.ReopenAndCollectAsync("marker " + seed);

        Assert.That(lossy.Faults.Decisions, Is.GreaterThan(StanzaCount / 4), "the network carried the tunnel's IQs");
        int succeeded = sends.TakeWhile(t => t.IsCompletedSuccessfully).Count();
        TestContext.Out.WriteLine(
            $"seed {seed}: {lossy.Faults.Injected} faults in {lossy.Faults.Decisions} tunnel IQs; {succeeded} sent, {delivered.Count} delivered, "
            + $"ended: {string.Join(", ", lossy.RomeoClosed.Select(e => e.Reason))}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(delivered.Select(m => m.Value), Is.EqualTo(bodies.Take(delivered.Count)), "a prefix, in order, nothing twice");
            Assert.That(delivered.All(m => m.IsFromXtlsTunnel()), Is.True, "nothing in the clear");
            Assert.That(delivered, Has.Count.GreaterThanOrEqualTo(succeeded), "every acknowledged stanza was delivered");
            foreach (Task failed in sends.Skip(succeeded))
            {
                Assert.That(failed.Exception?.InnerException, Is.InstanceOf<XtlsTunnelException>(), "after the first failure, every send fails with the tunnel's error");
            }
        }

        if (succeeded < StanzaCount)
        {
            XtlsTunnelClosedEventArgs[] ends = [.. lossy.RomeoClosed];
            Assert.That(ends, Is.Not.Empty, "the broken tunnel was closed");
            Assert.That(ends[0].WasOpen, Is.True);
            Assert.That(ends[0].Reason, Is.Not.EqualTo(TunnelCloseReason.ClosedLocally), "it ended because it broke, not by the test's close");
            Assert.That(ends[0].UndeliveredStanzas, Is.LessThanOrEqualTo(StanzaCount - succeeded));
        }
    }
}
