using System.Threading.Channels;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Tests.Faults;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>A peer that closes TLS with close_notify and never sends the close IQ: the honest side ends the tunnel itself, on its own clock.</summary>
public class UnfinishedCloseTests
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private FakeTimeProvider _clock = null!;
    private XtlsPair _pair = null!;
    private HostilePeer _mallory = null!;

    [SetUp]
    public async Task SetUp()
    {
        // Certificates are checked against this clock too: start it now, not in 2000.
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _pair = await XtlsPair.StartAsync(
            julietOptions: o => o.Tunnels.CloseTimeout = CloseTimeout,
            configureRouter: r => r.AddAccount("mallory", "m-pass"),
            julietClock: _clock);
        _mallory = await HostilePeer.ConnectAsync(_pair.Router, "mallory", "m-pass", "lair");
        Task<XtlsTunnel> opened = Watch.NextOpened(_pair.JulietXtls);
        await _mallory.OpenAsync(_pair.Juliet.Jid);
        await opened;
    }

    [TearDown]
    public async Task TearDown()
    {
        await _mallory.DisposeAsync();
        await _pair.DisposeAsync();
    }

    [Test]
    public async Task A_peer_that_sends_close_notify_but_never_close_loses_the_tunnel_at_the_close_timeout_as_an_orderly_close()
    {
        Task<XtlsTunnelClosedEventArgs> closed = Watch.NextClosed(_pair.JulietXtls);
        int endings = 0;
        _pair.JulietXtls.TunnelClosed += (_, _) => Interlocked.Increment(ref endings);

        await _mallory.CloseTlsOnlyAsync(_pair.Juliet.Jid);
        // Juliet's close_notify in reply reached Mallory: Juliet has seen Mallory's and armed the deadline.
        await _mallory.AnsweredAfterTlsClose.Task.WaitAsync(XtlsPair.Bound);
        await Watch.EventLoopSettled(_pair.Juliet);

        _clock.Advance(CloseTimeout - TimeSpan.FromSeconds(1));
        await Watch.EventLoopSettled(_pair.Juliet);
        Assert.That(Volatile.Read(ref endings), Is.Zero, "one second before the timeout the peer's close may still come");
        Assert.That(_pair.JulietXtls.OpenTunnels, Has.Count.EqualTo(1));

        _clock.Advance(TimeSpan.FromSeconds(1));
        XtlsTunnelClosedEventArgs ended = await closed.WaitAsync(XtlsPair.Bound);
        TunnelEnded atMallory = await _mallory.Ended.Task.WaitAsync(XtlsPair.Bound);
        await Watch.EventLoopSettled(_pair.Juliet);

        Assert.Multiple(() =>
        {
            Assert.That(ended.Peer, Is.EqualTo(_mallory.Jid));
            Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
            Assert.That(ended.WasOpen, Is.True);
            Assert.That(atMallory.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer), "Juliet's own close told the peer");
            Assert.That(_pair.JulietXtls.OpenTunnels, Is.Empty);
            Assert.That(Drive.Tunnels(_pair.Juliet).TunnelCount, Is.Zero);
            Assert.That(Drive.Tunnels(_pair.Juliet).PendingIqCount, Is.Zero, "the close sent at the timeout is not awaited");
            Assert.That(Drive.Tls(_pair.Juliet).EndpointCount, Is.Zero);
            Assert.That(_pair.JulietXtls.RefusesClearText(_mallory.Jid, out _), Is.False, "the close was orderly: close_notify is authenticated");
        });
        Assert.That(Volatile.Read(ref endings), Is.EqualTo(1));

        Channel<XElement> malloryInbox = Watch.Messages(_mallory.Client);
        await _pair.Juliet.SendAsync(XtlsPair.Chat(_mallory.Jid, "after the orderly close")).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(malloryInbox);
        Assert.That(received.Value, Is.EqualTo("after the orderly close"), "sent in the clear, not refused");
    }
}
