using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>A peer that accepts a tunnel and then never speaks TLS: the honest side gives up at the handshake timeout, on its own clock.</summary>
public class StalledHandshakeTests
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(20);

    private FakeTimeProvider _clock = null!;
    private XtlsPair _pair = null!;
    private HostilePeer _mallory = null!;

    [SetUp]
    public async Task SetUp()
    {
        // Certificates are checked against this clock too: start it now, not in 2000.
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _pair = await XtlsPair.StartAsync(
            romeoOptions: o => o.Tunnels.HandshakeTimeout = HandshakeTimeout,
            configureRouter: r => r.AddAccount("mallory", "m-pass"),
            romeoClock: _clock);
        _mallory = await HostilePeer.ConnectAsync(_pair.Router, "mallory", "m-pass", "lair", speaksTls: false);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _mallory.DisposeAsync();
        await _pair.DisposeAsync();
    }

    [Test]
    public async Task An_initiator_whose_peer_never_answers_the_client_hello_fails_with_handshake_timeout_and_so_do_the_stanzas_queued_for_it()
    {
        Task<XtlsTunnelClosedEventArgs> closed = Watch.NextClosed(_pair.RomeoXtls);
        int endings = 0;
        _pair.RomeoXtls.TunnelClosed += (_, _) => Interlocked.Increment(ref endings);
        Task<XtlsTunnel> opening = _pair.RomeoXtls.OpenAsync(_mallory.Jid);
        await _mallory.CiphertextReceived.Task.WaitAsync(XtlsPair.Bound); // the ClientHello: the handshake clock runs
        Task[] queued = [.. Enumerable.Range(0, 3).Select(i => _pair.Romeo.SendAsync(XtlsPair.Chat(_mallory.Jid, "waiting " + i)))];
        await Watch.EventLoopSettled(_pair.Romeo);

        _clock.Advance(HandshakeTimeout - TimeSpan.FromSeconds(1));
        await Watch.EventLoopSettled(_pair.Romeo);
        Assert.That(Volatile.Read(ref endings), Is.Zero, "one second before the timeout the handshake may still complete");

        _clock.Advance(TimeSpan.FromSeconds(1));
        XtlsTunnelClosedEventArgs ended = await closed;
        XtlsTunnelException? openError = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await opening.WaitAsync(XtlsPair.Bound));
        TunnelEnded atMallory = await _mallory.Ended.Task.WaitAsync(XtlsPair.Bound);

        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.HandshakeTimeout));
        Assert.That(ended.WasOpen, Is.False);
        Assert.That(openError!.Reason, Is.EqualTo(TunnelCloseReason.HandshakeTimeout));
        Assert.That(openError.Peer, Is.EqualTo(_mallory.Jid));
        foreach (Task stanza in queued)
        {
            XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await stanza.WaitAsync(XtlsPair.Bound));
            Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.HandshakeTimeout));
        }

        Assert.That(atMallory.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer), "the honest side tells the peer with close");
        Assert.That(_pair.Routed.Any(s => s.Contains("waiting", StringComparison.Ordinal)), Is.False, "nothing queued for the tunnel went out in the clear");
        Assert.That(_pair.RomeoXtls.OpenTunnels, Is.Empty);
    }

    [Test]
    public async Task A_responder_whose_initiator_never_sends_the_client_hello_ends_the_tunnel_with_handshake_timeout()
    {
        Task<XtlsTunnelClosedEventArgs> closed = Watch.NextClosed(_pair.RomeoXtls);
        await _mallory.StartOnlyAsync(_pair.Romeo.Jid);
        await _mallory.ProceedReceived.Task.WaitAsync(XtlsPair.Bound);
        await Watch.EventLoopSettled(_pair.Romeo);

        _clock.Advance(HandshakeTimeout);
        XtlsTunnelClosedEventArgs ended = await closed;
        TunnelEnded atMallory = await _mallory.Ended.Task.WaitAsync(XtlsPair.Bound);

        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.HandshakeTimeout));
        Assert.That(ended.Peer, Is.EqualTo(_mallory.Jid));
        Assert.That(ended.WasOpen, Is.False);
        Assert.That(atMallory.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
    }
}
