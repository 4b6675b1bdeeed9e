using System.Text;
using System.Xml.Linq;
using DotNetty.Buffers;
using DotNetty.Transport.Channels.Embedded;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Host.StreamManagement;
using XmppDotNet.Xtls.Host.Tests.Xml;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.StreamManagement;

/// <summary>
/// A <see cref="PayloadStanza"/> under XEP-0198: counted and measured like its written form, kept with a reference of its
/// own until acknowledged, written again after a resumption, released exactly once on every path.
/// </summary>
[TestFixture]
public sealed class PayloadStanzaRetentionTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private RecordingAllocator _allocator = null!;
    private EmbeddedChannel _connection = null!;
    private StreamManager _manager = null!;

    [SetUp]
    public void SetUp()
    {
        _allocator = new RecordingAllocator();
        _connection = new EmbeddedChannel();
        _manager = new StreamManager(
            new StreamManagementOptions { AckRequestEvery = 100, MaxUnacknowledgedStanzas = 4, MaxUnacknowledgedBytes = 1000 }, _clock, _connection.EventLoop);
        _manager.Attach(_connection);
        _manager.CreateEnable();
        _manager.OnEnabled(new XElement(XName.Get("enabled", XmppNamespaces.StreamManagement), new XAttribute("id", "s1"), new XAttribute("resume", "true")));
    }

    [TearDown]
    public void TearDown()
    {
        // The end of the session gives back what was never acknowledged (releasing its payloads).
        _manager.TakeUnacknowledged();
        _manager.Dispose();
        _connection.Finish();
        ReleaseOutbound(_connection);
        Assert.That(_allocator.Live, Is.Empty, "every payload is released exactly once");
    }

    [Test]
    public void A_kept_payload_stanza_holds_its_own_reference_until_the_server_acknowledges_it()
    {
        PayloadStanza stanza = Stanza(1, "QUJD");

        Assert.That(_manager.Write(stanza), Is.Null);
        _manager.Flush();

        Assert.That(stanza.ReferenceCount, Is.EqualTo(2), "the connection's and the queue's");
        ReleaseOutbound(_connection);
        Assert.That(stanza.ReferenceCount, Is.EqualTo(1), "the queue's");

        _manager.OnAck(new XElement(XName.Get("a", XmppNamespaces.StreamManagement), new XAttribute("h", "1")));

        Assert.That(stanza.ReferenceCount, Is.Zero);
    }

    [Test]
    public void Its_bytes_are_those_of_its_written_form()
    {
        PayloadStanza stanza = Stanza(1, new string('A', 600));
        int bytes = StanzaWriter.GetByteCount(stanza, XmppNamespaces.Client);
        _manager.Write(stanza);
        PayloadStanza second = Stanza(2, new string('A', 1000 - bytes));

        Exception? refused = _manager.Write(second);

        Assert.That(refused, Is.InstanceOf<XmppUnacknowledgedQueueFullException>());
        Assert.That(second.ReferenceCount, Is.Zero, "a refused stanza is released");
        Assert.That(_manager.UnacknowledgedCount, Is.EqualTo(1));
    }

    [Test]
    public void A_payload_that_could_never_be_written_is_refused_before_it_is_counted_or_kept()
    {
        PayloadStanza stanza = Stanza(1, "QU<JD");

        Assert.That(() => _manager.Write(stanza), Throws.ArgumentException);
        stanza.Release(); // not taken: still the caller's

        Assert.Multiple(() =>
        {
            Assert.That(_manager.UnacknowledgedCount, Is.Zero, "nothing counted, so the server's h stays in step");
            Assert.That(_connection.OutboundMessages, Is.Empty);
        });
    }

    [Test]
    public void A_stanza_larger_than_the_queue_can_ever_hold_is_refused_as_too_large_not_as_queue_full()
    {
        PayloadStanza stanza = Stanza(1, new string('A', 1000));

        Exception? refused = _manager.Write(stanza);

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.InstanceOf<ArgumentException>().With.Message.Contains("larger than the unacknowledged queue"));
            Assert.That(stanza.ReferenceCount, Is.Zero, "a refused stanza is released");
            Assert.That(_manager.UnacknowledgedCount, Is.Zero);
        });
    }

    [Test]
    public void While_the_connection_is_down_it_waits_in_the_queue_and_goes_out_again_with_the_resumption()
    {
        _manager.Attach(null);
        PayloadStanza stanza = Stanza(1, "QUJD");

        Assert.That(_manager.Write(stanza), Is.Null);
        Assert.That(stanza.ReferenceCount, Is.EqualTo(1), "the queue's only");

        var next = new EmbeddedChannel();
        _manager.OnResumed(new XElement(XName.Get("resumed", XmppNamespaces.StreamManagement), new XAttribute("previd", "s1"), new XAttribute("h", "0")), next);

        Assert.That(next.ReadOutbound<object>(), Is.SameAs(stanza));
        Assert.That(stanza.ReferenceCount, Is.EqualTo(2));
        stanza.Release();
        next.Finish();
        ReleaseOutbound(next);
        _manager.OnAck(new XElement(XName.Get("a", XmppNamespaces.StreamManagement), new XAttribute("h", "1")));
        Assert.That(stanza.ReferenceCount, Is.Zero);
    }

    [Test]
    public void A_session_that_ends_hands_back_the_whole_stanza_and_releases_the_payload()
    {
        PayloadStanza stanza = Stanza(1, "QUJD");
        _manager.Write(stanza);
        _manager.Flush();
        ReleaseOutbound(_connection);

        XElement[] unacknowledged = _manager.TakeUnacknowledged();

        Assert.That(unacknowledged.Single().Element(PayloadFixtures.ChunkName)!.Value, Is.EqualTo("QUJD"));
        Assert.That(stanza.ReferenceCount, Is.Zero);
    }

    [Test]
    public void A_payload_stanza_that_is_not_counted_is_released_when_there_is_no_connection()
    {
        _manager.Attach(null);
        var chunk = new XElement(PayloadFixtures.ChunkName);
        var other = new XElement(XName.Get("x", "urn:other"), chunk);
        var stanza = new PayloadStanza(other, chunk, _allocator.Buffer(4).WriteBytes(Encoding.ASCII.GetBytes("QUJD")));

        Assert.That(_manager.Write(stanza), Is.InstanceOf<DotNetty.Transport.Channels.ClosedChannelException>());
        Assert.That(stanza.ReferenceCount, Is.Zero);
    }

    [Test]
    public void The_session_channel_gives_the_connection_its_own_reference_and_the_buffer_releases_its_own()
    {
        var session = new XmppDotNet.Xtls.Host.Pipeline.SessionChannel(_manager.Write, _manager.Flush, () => { });
        _connection.EventLoop.RegisterAsync(session).Wait();
        PayloadStanza stanza = Stanza(1, "QUJD");

        session.WriteAndFlushAsync(stanza).Wait();

        Assert.That(stanza.ReferenceCount, Is.EqualTo(2), "the connection's and the queue's");
        ReleaseOutbound(_connection);
        _manager.OnAck(new XElement(XName.Get("a", XmppNamespaces.StreamManagement), new XAttribute("h", "1")));
        Assert.That(stanza.ReferenceCount, Is.Zero);
        session.CloseAsync().Wait();
    }

    [Test]
    public void The_session_channel_releases_a_payload_stanza_the_connection_refuses()
    {
        var session = new XmppDotNet.Xtls.Host.Pipeline.SessionChannel(_manager.Write, _manager.Flush, () => { });
        _connection.EventLoop.RegisterAsync(session).Wait();
        for (int i = 0; i < 4; i++)
        {
            session.WriteAndFlushAsync(Stanza(i, "QUJD")).Wait();
        }

        PayloadStanza refused = Stanza(5, "QUJD");
        Task write = session.WriteAndFlushAsync(refused);

        Assert.That(write.IsFaulted, Is.True);
        Assert.That(refused.ReferenceCount, Is.Zero);
        ReleaseOutbound(_connection);
        _manager.OnAck(new XElement(XName.Get("a", XmppNamespaces.StreamManagement), new XAttribute("h", "4")));
        session.CloseAsync().Wait();
    }

    private static void ReleaseOutbound(EmbeddedChannel channel)
    {
        while (channel.ReadOutbound<object>() is { } message)
        {
            DotNetty.Common.Utilities.ReferenceCountUtil.Release(message);
        }
    }

    private PayloadStanza Stanza(int n, string text)
    {
        var chunk = new XElement(PayloadFixtures.ChunkName);
        var iq = new XElement(XName.Get("iq", XmppNamespaces.Client), new XAttribute("type", "set"), new XAttribute("id", $"d{n}"), chunk);
        IByteBuffer payload = _allocator.Buffer(text.Length + 1);
        payload.WriteBytes(Encoding.ASCII.GetBytes(text));
        return new PayloadStanza(iq, chunk, payload);
    }
}
