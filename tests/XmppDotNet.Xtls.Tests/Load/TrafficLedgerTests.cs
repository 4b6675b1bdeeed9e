using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Load.Memory;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Load;

/// <summary>The load run's receiving checks notice every kind of damage: a gap, a duplicate, an altered body, a wrong sender or recipient, a stanza in the clear.</summary>
[TestFixture]
public class TrafficLedgerTests
{
    private static readonly Jid Hub = Jid.Parse("hub@memory.load/hub");
    private static readonly int[] SevenOverFourStreams = [2, 2, 2, 1];
    private static readonly Jid[] Peers = [Jid.Parse("peer0@memory.load/r0"), Jid.Parse("peer0@memory.load/r1")];

    // Two tunnels, two directions, three stanzas per stream.
    private static TrafficLedger NewLedger() => new(Hub, Peers, 12, [32, 100]);

    [Test]
    public void Every_stanza_in_order_through_the_tunnels_is_no_error_and_completes_the_ledger()
    {
        TrafficLedger ledger = NewLedger();
        for (int sequence = 0; sequence < 3; sequence++)
        {
            for (int tunnel = 0; tunnel < Peers.Length; tunnel++)
            {
                ledger.Record(tunnel, Received(ledger, tunnel, TrafficLedger.HubToPeer, sequence));
                ledger.Record(-1, Received(ledger, tunnel, TrafficLedger.PeerToHub, sequence));
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger.Errors, Is.Zero);
            Assert.That(ledger.Received, Is.EqualTo(12));
            Assert.That(ledger.Complete.IsCompletedSuccessfully, Is.True);
        }
    }

    [Test]
    public void A_missing_stanza_counts_as_lost_and_one_that_comes_again_as_duplicated()
    {
        TrafficLedger ledger = NewLedger();
        ledger.Record(0, Received(ledger, 0, TrafficLedger.HubToPeer, 0));
        ledger.Record(0, Received(ledger, 0, TrafficLedger.HubToPeer, 2));
        ledger.Record(0, Received(ledger, 0, TrafficLedger.HubToPeer, 2));

        using (Assert.EnterMultipleScope())
        {
            // Sequence 1 skipped; every other stream (9 stanzas) never arrived.
            Assert.That(ledger.Lost, Is.EqualTo(1 + 9));
            Assert.That(ledger.Duplicated, Is.EqualTo(1));
            Assert.That(ledger.Complete.IsCompleted, Is.False);
        }
    }

    [Test]
    public void An_altered_body_is_counted()
    {
        TrafficLedger ledger = NewLedger();
        XElement stanza = Received(ledger, 1, TrafficLedger.PeerToHub, 0);
        XElement body = stanza.Element(XName.Get("body", XmppNamespaces.Client))!;
        body.Value = "X" + body.Value[1..];
        ledger.Record(-1, stanza);

        Assert.That(ledger.Altered, Is.EqualTo(1));
    }

    [Test]
    public void A_body_of_the_wrong_length_is_counted_as_altered()
    {
        TrafficLedger ledger = NewLedger();
        XElement stanza = Received(ledger, 1, TrafficLedger.PeerToHub, 0);
        stanza.Element(XName.Get("body", XmppNamespaces.Client))!.Value += "A";
        ledger.Record(-1, stanza);

        Assert.That(ledger.Altered, Is.EqualTo(1));
    }

    [Test]
    public void A_stanza_at_the_wrong_recipient_or_from_the_wrong_sender_is_misaddressed()
    {
        TrafficLedger ledger = NewLedger();
        ledger.Record(1, Received(ledger, 0, TrafficLedger.HubToPeer, 0));
        XElement forged = Received(ledger, 0, TrafficLedger.PeerToHub, 0);
        forged.SetAttributeValue("from", Peers[1].ToString());
        ledger.Record(-1, forged);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger.Misaddressed, Is.EqualTo(2));
            Assert.That(ledger.Errors, Is.GreaterThanOrEqualTo(2));
        }
    }

    [Test]
    public void A_stanza_in_the_clear_is_counted()
    {
        TrafficLedger ledger = NewLedger();
        XElement stanza = LoadStanza.Build(Peers[0], 0, TrafficLedger.HubToPeer, 0, ledger.BodyBytesOf(0, 0));
        stanza.SetAttributeValue("from", Hub.ToString());
        ledger.Record(0, stanza);

        Assert.That(ledger.InTheClear, Is.EqualTo(1));
    }

    [Test]
    public void A_message_without_a_readable_mark_is_counted_and_other_stanzas_are_ignored()
    {
        TrafficLedger ledger = NewLedger();
        ledger.Record(-1, new XElement(XName.Get("message", XmppNamespaces.Client), new XElement(XName.Get("seq", LoadStanza.Namespace), new XAttribute("t", "x"))));
        ledger.Record(-1, new XElement(XName.Get("message", XmppNamespaces.Client), new XElement(XName.Get("seq", LoadStanza.Namespace), new XAttribute("t", "7"), new XAttribute("d", "0"), new XAttribute("s", "0"))));
        ledger.Record(-1, new XElement(XName.Get("presence", XmppNamespaces.Client)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger.Unreadable, Is.EqualTo(2));
            Assert.That(ledger.Received, Is.EqualTo(2));
        }
    }

    [Test]
    public void The_streams_share_the_total_with_the_remainder_on_the_first()
    {
        var ledger = new TrafficLedger(Hub, Peers, 7, [10]);

        int[] quotas = [ledger.Quota(0, 0), ledger.Quota(0, 1), ledger.Quota(1, 0), ledger.Quota(1, 1)];

        Assert.That(quotas, Is.EqualTo(SevenOverFourStreams));
    }

    // A stanza as the receiver's pipeline delivers it: sender set from the outer IQ, marked as from the tunnel.
    private static XElement Received(TrafficLedger ledger, int tunnel, int direction, int sequence)
    {
        (Jid from, Jid to) = direction == TrafficLedger.HubToPeer ? (Hub, Peers[tunnel]) : (Peers[tunnel], Hub);
        XElement stanza = LoadStanza.Build(to, tunnel, direction, sequence, ledger.BodyBytesOf(tunnel, sequence));
        stanza.SetAttributeValue("from", from.ToString());
        stanza.MarkReceived(new XtlsTunnel(from, direction == TrafficLedger.PeerToHub, XtlsMethod.X509, "TLSv1.3", "TLS_AES_128_GCM_SHA256", null, null));
        return stanza;
    }
}
