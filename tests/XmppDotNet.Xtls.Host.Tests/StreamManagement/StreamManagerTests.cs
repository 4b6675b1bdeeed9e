using System.Xml.Linq;
using DotNetty.Transport.Channels.Embedded;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Host.StreamManagement;

namespace XmppDotNet.Xtls.Host.Tests.StreamManagement;

/// <summary>Counting, acknowledgements and the unacknowledged queue, on an embedded connection with a fake clock.</summary>
[TestFixture]
public sealed class StreamManagerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private EmbeddedChannel _connection = null!;
    private StreamManager _manager = null!;

    [SetUp]
    public void SetUp()
    {
        _connection = new EmbeddedChannel();
        _manager = new StreamManager(new StreamManagementOptions { AckRequestEvery = 3, AckRequestDelay = TimeSpan.FromSeconds(2), MaxUnacknowledgedStanzas = 4 }, _clock, _connection.EventLoop);
        _manager.Attach(_connection);
        _manager.CreateEnable();
        _manager.OnEnabled(new XElement(XName.Get("enabled", XmppNamespaces.StreamManagement), new XAttribute("id", "s1"), new XAttribute("resume", "true")));
    }

    [TearDown]
    public void TearDown()
    {
        _manager.Dispose();
        _connection.Finish();
    }

    [Test]
    public void Writes_go_out_together_when_the_session_flushes()
    {
        Assert.That(_manager.Write(Message(1)), Is.Null);
        Assert.That(_manager.Write(Message(2)), Is.Null);
        Assert.That(Outbound(), Is.Empty, "nothing before the flush");

        _manager.Flush();

        Assert.That(Outbound().Select(e => e.Name.LocalName), Is.EqualTo(Seq("message", "message")));
    }

    [Test]
    public void Every_nth_stanza_is_followed_by_an_ack_request()
    {
        for (int i = 0; i < 3; i++)
        {
            Assert.That(Send(Message(i)), Is.Null);
        }

        Assert.That(Outbound().Select(e => e.Name.LocalName), Is.EqualTo(Seq("message", "message", "message", "r")));
        Assert.That(_manager.UnacknowledgedCount, Is.EqualTo(3));
    }

    [Test]
    public void A_quiet_period_after_a_stanza_requests_an_ack_on_the_session_clock()
    {
        Send(Message(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        _connection.RunPendingTasks();
        Assert.That(Outbound().Select(e => e.Name.LocalName), Is.EqualTo(Seq("message")));

        _clock.Advance(TimeSpan.FromSeconds(1));
        _connection.RunPendingTasks();
        Assert.That(Outbound().Select(e => e.Name.LocalName), Is.EqualTo(Seq("r")));
    }

    [Test]
    public void An_ack_drops_what_it_covers_and_keeps_the_rest()
    {
        Send(Message(1));
        Send(Message(2));

        _manager.OnAck(Ack(1));

        Assert.That(_manager.TakeUnacknowledged().Select(s => s.Value), Is.EqualTo(Seq("2")));
    }

    [Test]
    public void An_h_beyond_what_was_sent_or_going_back_is_a_violation()
    {
        Send(Message(1));
        _manager.OnAck(Ack(1));

        Assert.That(() => _manager.OnAck(Ack(2)), Throws.InstanceOf<StreamManagementViolationException>().With.Message.Contains("h beyond sent"));
        Assert.That(() => _manager.OnAck(Ack(0)), Throws.InstanceOf<StreamManagementViolationException>());
        Assert.That(() => _manager.OnAck(new XElement(XName.Get("a", XmppNamespaces.StreamManagement), new XAttribute("h", "-1"))), Throws.InstanceOf<StreamManagementViolationException>());
    }

    [Test]
    public void The_counters_wrap_at_two_to_the_32()
    {
        _manager.RestoreCounters(uint.MaxValue - 1, uint.MaxValue);
        for (int i = 0; i < 3; i++)
        {
            Send(Message(i));
        }

        _manager.OnStanzaHandled();
        Assert.That(_manager.Sent, Is.EqualTo(1u));
        Assert.That((string?)_manager.CreateAnswer().Attribute("h"), Is.EqualTo("0"));

        _manager.OnAck(Ack(0));
        Assert.That(_manager.UnacknowledgedCount, Is.EqualTo(1));
        _manager.OnAck(Ack(1));
        Assert.That(_manager.UnacknowledgedCount, Is.Zero);
    }

    [Test]
    public void A_full_queue_refuses_the_stanza_with_a_typed_exception_and_does_not_send_it()
    {
        for (int i = 0; i < 4; i++)
        {
            Assert.That(Send(Message(i)), Is.Null);
        }

        Outbound();
        Exception? refused = Send(Message(5));

        Assert.That(refused, Is.InstanceOf<XmppUnacknowledgedQueueFullException>());
        Assert.That(Outbound().Select(e => e.Name.LocalName), Is.EqualTo(Seq("r")));
        Assert.That(_manager.UnacknowledgedCount, Is.EqualTo(4));
    }

    [Test]
    public void While_the_connection_is_down_stanzas_wait_and_resumed_sends_exactly_the_unacknowledged_in_order()
    {
        Send(Message(1));
        Send(Message(2));
        Outbound();
        _manager.Attach(null);
        Send(Message(3));
        var next = new EmbeddedChannel();

        int resent = _manager.OnResumed(Resumed("s1", 1), next);

        Assert.That(resent, Is.EqualTo(2));
        Assert.That(Outbound(next).Select(e => e.Name.LocalName == "message" ? e.Value : e.Name.LocalName), Is.EqualTo(Seq("2", "3", "r")));
        Assert.That(Send(Message(4)), Is.Null);
        Assert.That(Outbound(next).Single().Value, Is.EqualTo("4"));
        next.Finish();
    }

    [Test]
    public void Resumed_with_an_h_beyond_what_was_sent_is_a_violation_and_sends_nothing()
    {
        Send(Message(1));
        _manager.Attach(null);
        var next = new EmbeddedChannel();

        Assert.That(() => _manager.OnResumed(Resumed("s1", 2), next), Throws.InstanceOf<StreamManagementViolationException>().With.Message.Contains("h beyond sent"));
        Assert.That(next.OutboundMessages, Is.Empty);
        next.Finish();
    }

    [Test]
    public void Resumed_for_another_session_id_is_a_violation_and_sends_nothing()
    {
        Send(Message(1));
        _manager.Attach(null);
        var next = new EmbeddedChannel();

        Assert.Multiple(() =>
        {
            Assert.That(() => _manager.OnResumed(Resumed("s2", 0), next), Throws.InstanceOf<StreamManagementViolationException>().With.Message.Contains("previd"));
            Assert.That(() => _manager.OnResumed(new XElement(XName.Get("resumed", XmppNamespaces.StreamManagement), new XAttribute("h", "0")), next), Throws.InstanceOf<StreamManagementViolationException>(), "no previd at all");
            Assert.That(next.OutboundMessages, Is.Empty);
            Assert.That(_manager.UnacknowledgedCount, Is.EqualTo(1), "nothing dropped");
        });
        next.Finish();
    }

    [Test]
    public void An_h_that_acknowledges_stanzas_written_while_the_connection_was_down_is_a_violation()
    {
        Send(Message(1));
        Send(Message(2));
        Outbound();
        _manager.Attach(null);
        Send(Message(3)); // never written to any connection
        var next = new EmbeddedChannel();

        Assert.That(() => _manager.OnResumed(Resumed("s1", 3), next), Throws.InstanceOf<StreamManagementViolationException>().With.Message.Contains("never written"));
        Assert.That(next.OutboundMessages, Is.Empty);

        // The same h is fine once the stanza went out with the resumption.
        Assert.That(_manager.OnResumed(Resumed("s1", 2), next), Is.EqualTo(1));
        Assert.That(() => _manager.OnAck(Ack(3)), Throws.Nothing);
        Assert.That(_manager.UnacknowledgedCount, Is.Zero);
        next.Finish();
    }

    [Test]
    public void A_failed_resumption_with_h_drops_what_the_server_got_and_keeps_the_rest()
    {
        Send(Message(1));
        Send(Message(2));
        Send(Message(3));
        _manager.Attach(null);
        Send(Message(4));

        int dropped = _manager.OnResumeFailed(Failed("2"));

        Assert.That(dropped, Is.EqualTo(2));
        Assert.That(_manager.TakeUnacknowledged().Select(e => e.Value), Is.EqualTo(Seq("3", "4")));
    }

    [TestCase(null)]
    [TestCase("x")]
    [TestCase("4")]
    [TestCase("9")]
    public void A_failed_resumption_with_a_missing_or_impossible_h_drops_nothing(string? h)
    {
        Send(Message(1));
        Send(Message(2));
        Send(Message(3));
        _manager.Attach(null);
        Send(Message(4)); // an h of 4 would acknowledge a stanza never written

        Assert.That(_manager.OnResumeFailed(Failed(h)), Is.Zero);
        Assert.That(_manager.TakeUnacknowledged().Select(e => e.Value), Is.EqualTo(Seq("1", "2", "3", "4")));
    }

    [Test]
    public void The_servers_max_resumption_time_is_kept_when_given()
    {
        Assert.That(_manager.ServerMaxResumption, Is.Null);
        _manager.OnEnabled(new XElement(XName.Get("enabled", XmppNamespaces.StreamManagement), new XAttribute("id", "s1"), new XAttribute("resume", "true"), new XAttribute("max", "300")));
        Assert.That(_manager.ServerMaxResumption, Is.EqualTo(TimeSpan.FromMinutes(5)));
        _manager.OnEnabled(new XElement(XName.Get("enabled", XmppNamespaces.StreamManagement), new XAttribute("id", "s1"), new XAttribute("resume", "true"), new XAttribute("max", "soon")));
        Assert.That(_manager.ServerMaxResumption, Is.Null);
    }

    [Test]
    public void Handled_stanzas_are_counted_only_after_enabled()
    {
        var manager = new StreamManager(new StreamManagementOptions(), _clock, _connection.EventLoop);
        manager.CreateEnable();
        manager.OnStanzaHandled();
        manager.OnEnabled(new XElement(XName.Get("enabled", XmppNamespaces.StreamManagement)));
        manager.OnStanzaHandled();

        Assert.That(manager.Handled, Is.EqualTo(1u));
        Assert.That(manager.CanResume, Is.False, "no resumption without resume='true' and an id");
        manager.Dispose();
    }

    private XElement[] Outbound() => Outbound(_connection);

    private static XElement[] Outbound(EmbeddedChannel channel)
    {
        var all = new List<XElement>();
        while (channel.ReadOutbound<object>() is XElement element)
        {
            all.Add(element);
        }

        return [.. all];
    }

    private static XElement Ack(uint h) => new(XName.Get("a", XmppNamespaces.StreamManagement), new XAttribute("h", h));

    private static XElement Resumed(string previd, uint h) =>
        new(XName.Get("resumed", XmppNamespaces.StreamManagement), new XAttribute("previd", previd), new XAttribute("h", h));

    private static XElement Failed(string? h) =>
        new(XName.Get("failed", XmppNamespaces.StreamManagement), h is null ? null : new XAttribute("h", h), new XElement(XName.Get("item-not-found", "urn:ietf:params:xml:ns:xmpp-stanzas")));

    private static string[] Seq(params string[] items) => items;

    private static XElement Message(int n) =>
        new(XName.Get("message", XmppNamespaces.Client), new XAttribute("to", "juliet@capulet.lit"), new XElement(XName.Get("body", XmppNamespaces.Client), n));

    // As the session channel does: each write, then the flush that ends the session's write.
    private Exception? Send(XElement stanza)
    {
        Exception? refused = _manager.Write(stanza);
        _manager.Flush();
        return refused;
    }
}
