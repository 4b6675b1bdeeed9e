using System.Xml.Linq;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Pipeline;

public class XtlsTunnelPipelineTests
{
    [Test]
    public async Task An_x509_tunnel_opens_and_carries_a_message_the_router_cannot_read()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();

        XtlsTunnel tunnel = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "It is my lady, O, it is my love!")).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.Multiple(() =>
        {
            Assert.That(tunnel.Method, Is.EqualTo(XtlsMethod.X509));
            Assert.That(tunnel.ProtocolVersion, Is.EqualTo("TLSv1.3"));
            Assert.That(tunnel.PeerFingerprint, Is.EqualTo(pair.JulietXtls.Identity.Fingerprint));
            Assert.That(tunnel.LocalFingerprint, Is.EqualTo(pair.RomeoXtls.Identity.Fingerprint));
            Assert.That(received.Element(XName.Get("body", XmppNamespaces.Client))?.Value, Is.EqualTo("It is my lady, O, it is my love!"));
            Assert.That(Stanza.GetFrom(received), Is.EqualTo(pair.Romeo.Jid));
            Assert.That(Stanza.GetTo(received), Is.EqualTo(pair.Juliet.Jid));
            Assert.That(received.IsFromXtlsTunnel(out XtlsTunnel? inbound), Is.True);
            Assert.That(inbound!.PeerFingerprint, Is.EqualTo(pair.RomeoXtls.Identity.Fingerprint));
            Assert.That(pair.Routed.Any(s => s.Contains("my lady", StringComparison.Ordinal)), Is.False);
            Assert.That(pair.Routed.Any(s => s.Contains(XtlsNamespaces.Xtls, StringComparison.Ordinal)), Is.True);
        });
    }

    [Test]
    public async Task Both_sides_see_the_tunnel_and_stanzas_flow_both_ways()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var julietOpened = new TaskCompletionSource<XtlsTunnel>(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.JulietXtls.TunnelOpened += (_, e) => julietOpened.TrySetResult(e.Tunnel);

        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        XtlsTunnel responder = await julietOpened.Task.WaitAsync(XtlsPair.Bound);
        await pair.Juliet.SendAsync(XtlsPair.Chat(pair.Romeo.Jid, "Romeo, Romeo")).WaitAsync(XtlsPair.Bound);
        XElement atRomeo = await XtlsPair.NextMessageAsync(pair.RomeoInbox);

        Assert.That(responder.Initiator, Is.False);
        Assert.That(responder.PeerFingerprint, Is.EqualTo(pair.RomeoXtls.Identity.Fingerprint));
        Assert.That(atRomeo.IsFromXtlsTunnel(), Is.True);
        Assert.That(Stanza.GetFrom(atRomeo), Is.EqualTo(pair.Juliet.Jid));
    }

    [Test]
    public async Task An_iq_request_and_its_response_travel_through_the_tunnel()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        IReadOnlySet<string> features = await Host.Services.DiscoInfoClient.QueryFeaturesAsync(pair.Romeo, pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        Assert.That(features, Does.Contain(XtlsNamespaces.Xtls));
        Assert.That(pair.Routed.Any(s => s.Contains(XmppNamespaces.DiscoInfo, StringComparison.Ordinal)), Is.False, "the disco query went through the tunnel");
    }

    [Test]
    public async Task The_support_question_goes_in_the_clear_even_with_a_tunnel_open()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        Assert.That(await pair.RomeoXtls.IsSupportedAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound), Is.True);
        Assert.That(pair.Routed.Any(s => s.Contains(XmppNamespaces.DiscoInfo, StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task A_100_KB_stanza_crosses_in_many_chunks_and_many_small_ones_arrive_in_order()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        string big = new('x', 100_000);

        Task bigSent = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, big));
        Task[] small = [.. Enumerable.Range(0, 200).Select(i => pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "m" + i)))];
        await Task.WhenAll([bigSent, .. small]).WaitAsync(XtlsPair.Bound);

        XElement first = await XtlsPair.NextMessageAsync(pair.JulietInbox);
        Assert.That(first.Value, Has.Length.EqualTo(100_000));
        for (int i = 0; i < 200; i++)
        {
            XElement next = await XtlsPair.NextMessageAsync(pair.JulietInbox);
            Assert.That(next.Value, Is.EqualTo("m" + i));
        }

        // The router announces its stanza limit: at most a whole TLS record per data IQ.
        Assert.That(pair.Routed.Count(s => s.Contains("<data", StringComparison.Ordinal)), Is.GreaterThan(100_000 / TunnelManagerOptions.WholeRecordChunkSize));
    }

    [Test]
    public async Task Stanzas_sent_before_the_handshake_completes_wait_and_then_go_through_the_tunnel()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();

        Task<XtlsTunnel> opening = pair.RomeoXtls.OpenAsync(pair.Juliet.Jid);
        Task sent = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "early words"));
        await opening.WaitAsync(XtlsPair.Bound);
        await sent.WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(received.IsFromXtlsTunnel(), Is.True);
        Assert.That(pair.Routed.Any(s => s.Contains("early words", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task Sending_in_the_clear_to_a_peer_with_a_tunnel_is_an_explicit_choice()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "in plain sight").SendInClear()).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(received.IsFromXtlsTunnel(), Is.False);
        Assert.That(pair.Routed.Any(s => s.Contains("in plain sight", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task An_srp_tunnel_opens_with_a_shared_password()
    {
        static char[]? Password(Jid _) => "correct horse battery staple".ToCharArray();
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.SrpPassword = Password, o => o.SrpPassword = Password);

        XtlsTunnel tunnel = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, XtlsMethod.Srp).WaitAsync(XtlsPair.Bound);
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "by password")).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(tunnel.Method, Is.EqualTo(XtlsMethod.Srp));
        Assert.That(tunnel.ProtocolVersion, Is.EqualTo("TLSv1.2"));
        Assert.That(tunnel.CipherSuite, Does.Contain("SRP"));
        Assert.That(received.IsFromXtlsTunnel(), Is.True);
    }

    [Test]
    public async Task A_wrong_srp_password_fails_the_tunnel_and_nothing_is_delivered()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.SrpPassword = _ => "one".ToCharArray(), o => o.SrpPassword = _ => "another".ToCharArray());

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, XtlsMethod.Srp).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
    }

    [Test]
    public async Task A_changed_fingerprint_is_refused_by_trust_on_first_use()
    {
        var julietKnows = new InMemoryTrustStore(TrustOnFirstUse.Enabled);
        await julietKnows.PinAsync(Jid.Parse("romeo@capulet.lit"), Identity.XtlsIdentity.Generate().Fingerprint);
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => o.TrustStore = julietKnows);
        var closed = new TaskCompletionSource<XtlsTunnelClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var romeoClosed = new TaskCompletionSource<XtlsTunnelClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.JulietXtls.TunnelClosed += (_, e) => closed.TrySetResult(e);
        pair.RomeoXtls.TunnelClosed += (_, e) => romeoClosed.TrySetResult(e);

        // The initiator finishes its TLS 1.3 handshake before the responder has judged its
        // certificate; it waits for the responder to accept its Finished, so the open fails.
        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound));
        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        XtlsTunnelClosedEventArgs atJuliet = await closed.Task.WaitAsync(XtlsPair.Bound);
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed.Task.WaitAsync(XtlsPair.Bound);

        Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(atJuliet.WasOpen, Is.False);
        Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(atRomeo.Detail, Does.Contain("bad_certificate"));
        Assert.That(pair.JulietXtls.OpenTunnels, Is.Empty);
        Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
    }

    [Test]
    public async Task A_peer_that_refuses_gives_a_typed_refusal()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => o.AcceptIncoming = (_, _) => ValueTask.FromResult(false));

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.Refused));
    }

    [Test]
    public async Task A_peer_without_xtls_is_reported_as_not_supported()
    {
        await using var router = new Host.Router.InMemoryRouter("capulet.lit");
        router.AddAccount("romeo", "r-pass");
        router.AddAccount("nurse", "n-pass");
        await router.StartAsync();
        await using Host.Client.XmppClient romeo = XtlsPair.Build(router, "romeo", "r-pass", "orchard", null);
        await using Host.Client.XmppClient nurse = new Host.Client.XmppClientBuilder()
            .WithJid("nurse@capulet.lit").WithPassword("n-pass").WithResource("kitchen").WithInMemoryRouter(router).Build();
        await romeo.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await nurse.ConnectAsync().WaitAsync(XtlsPair.Bound);

        Assert.That(await romeo.GetXtls().IsSupportedAsync(nurse.Jid).WaitAsync(XtlsPair.Bound), Is.False);
        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await romeo.GetXtls().OpenAsync(nurse.Jid).WaitAsync(XtlsPair.Bound));
        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.NotSupported));
    }

    [Test]
    public async Task Closing_ends_the_tunnel_on_both_sides_and_later_stanzas_go_in_the_clear()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Off);
        var julietClosed = new TaskCompletionSource<XtlsTunnelClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.JulietXtls.TunnelClosed += (_, e) => julietClosed.TrySetResult(e);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        XtlsTunnelClosedEventArgs atJuliet = await julietClosed.Task.WaitAsync(XtlsPair.Bound);

        Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
        Assert.That(atJuliet.WasOpen, Is.True);
        Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
        Assert.That(pair.JulietXtls.OpenTunnels, Is.Empty);

        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "after the close")).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);
        Assert.That(received.IsFromXtlsTunnel(), Is.False);

        XtlsTunnel again = await pair.JulietXtls.OpenAsync(pair.Romeo.Jid).WaitAsync(XtlsPair.Bound);
        Assert.That(again.Initiator, Is.True);
    }

    [Test]
    public async Task A_peer_that_vanishes_ends_the_tunnel_and_a_new_login_gets_a_fresh_one()
    {
        Identity.XtlsIdentity julietIdentity = Identity.XtlsIdentity.Generate();
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => o.Identity = julietIdentity);
        var romeoClosed = new TaskCompletionSource<XtlsTunnelClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.RomeoXtls.TunnelClosed += (_, e) => romeoClosed.TrySetResult(e);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.Juliet.SendAsync(new XElement(Stanza.PresenceName)).WaitAsync(XtlsPair.Bound);

        pair.Router.Disconnect(pair.Juliet.Jid);
        XtlsTunnelClosedEventArgs ended = await romeoClosed.Task.WaitAsync(XtlsPair.Bound);
        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.PeerGone));

        await using Host.Client.XmppClient juliet2 = XtlsPair.Build(pair.Router, "juliet", "j-pass", "balcony", o => o.Identity = julietIdentity);
        await juliet2.ConnectAsync().WaitAsync(XtlsPair.Bound);
        XtlsTunnel fresh = await pair.RomeoXtls.OpenAsync(juliet2.Jid).WaitAsync(XtlsPair.Bound);
        Assert.That(fresh.PeerFingerprint, Is.EqualTo(juliet2.GetXtls().Identity.Fingerprint));
    }

    [Test]
    public async Task Simultaneous_starts_end_in_one_tunnel()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();

        Task<XtlsTunnel> fromRomeo = pair.RomeoXtls.OpenAsync(pair.Juliet.Jid);
        Task<XtlsTunnel> fromJuliet = pair.JulietXtls.OpenAsync(pair.Romeo.Jid);
        XtlsTunnel[] both = await Task.WhenAll(fromRomeo, fromJuliet).WaitAsync(XtlsPair.Bound);

        Assert.That(both[0].Initiator, Is.Not.EqualTo(both[1].Initiator), "one side initiated, the other responded");
        Assert.That(pair.RomeoXtls.OpenTunnels, Has.Count.EqualTo(1));
        Assert.That(pair.JulietXtls.OpenTunnels, Has.Count.EqualTo(1));
    }
}
