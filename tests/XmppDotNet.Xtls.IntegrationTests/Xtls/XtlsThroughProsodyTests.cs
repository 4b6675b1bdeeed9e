using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.Testing.Prosody;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Tunnels;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Xtls;

/// <summary>XTLS tunnels between two clients of a real Prosody: bulk traffic, SRP, peers that leave and come back.</summary>
[TestFixture]
public sealed class XtlsThroughProsodyTests : ProsodyClientFixture
{
    [Test]
    public async Task A_thousand_stanzas_each_way_arrive_complete_in_order_and_acknowledged_then_the_tunnel_closes_on_both_sides()
    {
        const int Count = 1000;
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync();
        using var romeoInbox = new Inbox(romeo);
        using var julietInbox = new Inbox(juliet);
        using var romeoTunnels = new TunnelWatch(romeo.GetXtls());
        using var julietTunnels = new TunnelWatch(juliet.GetXtls());

        Assert.That(await romeo.GetXtls().IsSupportedAsync(juliet.Jid).WaitAsync(Bound), Is.True, "Juliet announces XTLS in disco#info");
        XtlsTunnel tunnel = await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        XtlsTunnel atJuliet = await julietTunnels.NextOpenedAsync();

        Task<Task[]> romeoSending = Task.Run(() => SendNumbered(romeo, juliet.Jid, "r", Count));
        Task<Task[]> julietSending = Task.Run(() => SendNumbered(juliet, romeo.Jid, "j", Count));
        Task[] sends = [.. await romeoSending, .. await julietSending];
        Task<IReadOnlyList<XElement>> atJulietReceiving = ReceiveAsync(julietInbox, Count);
        Task<IReadOnlyList<XElement>> atRomeoReceiving = ReceiveAsync(romeoInbox, Count);
        await Task.WhenAll(sends).WaitAsync(Bound);
        IReadOnlyList<XElement> receivedByJuliet = await atJulietReceiving;
        IReadOnlyList<XElement> receivedByRomeo = await atRomeoReceiving;

        Assert.Multiple(() =>
        {
            Assert.That(tunnel.Method, Is.EqualTo(XtlsMethod.X509));
            Assert.That(tunnel.ProtocolVersion, Is.EqualTo("TLSv1.3"));
            Assert.That(tunnel.PeerFingerprint, Is.EqualTo(juliet.GetXtls().Identity.Fingerprint));
            Assert.That(atJuliet.PeerFingerprint, Is.EqualTo(romeo.GetXtls().Identity.Fingerprint));
            Assert.That(sends.All(send => send.IsCompletedSuccessfully), Is.True, "every send was acknowledged by the peer");
            Assert.That(receivedByJuliet.Select(Body), Is.EqualTo(Numbered("r", Count)), "complete, in order, no duplicates");
            Assert.That(receivedByRomeo.Select(Body), Is.EqualTo(Numbered("j", Count)), "complete, in order, no duplicates");
            Assert.That(receivedByJuliet.All(m => m.IsFromXtlsTunnel(out XtlsTunnel? t) && t.Peer == romeo.Jid), Is.True);
            Assert.That(receivedByRomeo.All(m => m.IsFromXtlsTunnel(out XtlsTunnel? t) && t.Peer == juliet.Jid), Is.True);
            Assert.That(receivedByJuliet.All(m => Stanza.GetFrom(m) == romeo.Jid && Stanza.GetTo(m) == juliet.Jid), Is.True);
            Assert.That(receivedByRomeo.All(m => Stanza.GetFrom(m) == juliet.Jid && Stanza.GetTo(m) == romeo.Jid), Is.True);
        });

        await romeo.GetXtls().CloseAsync(juliet.Jid).WaitAsync(Bound);
        XtlsTunnelClosedEventArgs romeoEnd = await romeoTunnels.NextClosedAsync();
        XtlsTunnelClosedEventArgs julietEnd = await julietTunnels.NextClosedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(romeoEnd.Reason, Is.EqualTo(TunnelCloseReason.ClosedLocally));
            Assert.That(romeoEnd.WasOpen, Is.True);
            Assert.That(romeoEnd.UndeliveredStanzas, Is.Zero);
            Assert.That(julietEnd.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
            Assert.That(julietEnd.Peer, Is.EqualTo(romeo.Jid));
            Assert.That(julietEnd.UndeliveredStanzas, Is.Zero);
            Assert.That(romeo.GetXtls().OpenTunnels, Is.Empty);
            Assert.That(juliet.GetXtls().OpenTunnels, Is.Empty);
            Assert.That(julietInbox.TakeMessagesReceivedSoFar(), Is.Empty, "nothing arrived twice");
            Assert.That(romeoInbox.TakeMessagesReceivedSoFar(), Is.Empty, "nothing arrived twice");
        });
    }

    [Test]
    public async Task Both_sides_opening_at_once_get_one_tunnel()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync();
        using var julietInbox = new Inbox(juliet);

        Task<XtlsTunnel> romeoOpening = romeo.GetXtls().OpenAsync(juliet.Jid);
        Task<XtlsTunnel> julietOpening = juliet.GetXtls().OpenAsync(romeo.Jid);
        XtlsTunnel atRomeo = await romeoOpening.WaitAsync(Bound);
        XtlsTunnel atJuliet = await julietOpening.WaitAsync(Bound);
        await romeo.SendAsync(ChatMessage(juliet.Jid, "one of us asked first")).WaitAsync(Bound);
        XElement received = await julietInbox.NextMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(atRomeo.Initiator, Is.Not.EqualTo(atJuliet.Initiator), "one initiator, one responder");
            Assert.That(atRomeo.PeerFingerprint, Is.EqualTo(atJuliet.LocalFingerprint));
            Assert.That(atJuliet.PeerFingerprint, Is.EqualTo(atRomeo.LocalFingerprint));
            Assert.That(romeo.GetXtls().OpenTunnels, Has.Count.EqualTo(1));
            Assert.That(juliet.GetXtls().OpenTunnels, Has.Count.EqualTo(1));
            Assert.That(received.IsFromXtlsTunnel(out XtlsTunnel? inbound) && inbound == atJuliet, Is.True);
        });
    }

    [Test]
    public async Task A_200_KB_stanza_crosses_in_chunks_small_enough_for_the_server()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync();
        using var julietInbox = new Inbox(juliet);
        await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        string big = string.Concat(Enumerable.Range(0, 20_000).Select(i => (i % 10_000).ToString("D4", CultureInfo.InvariantCulture) + "|.....")); // 200,000 characters

        await romeo.SendAsync(ChatMessage(juliet.Jid, big)).WaitAsync(Bound);
        XElement received = await julietInbox.NextMessageAsync();

        Assert.That(Body(received), Is.EqualTo(big));
        Assert.That(received.IsFromXtlsTunnel(), Is.True);
        Assert.That(romeo.State, Is.EqualTo(SessionState.Online), "no stanza on the wire exceeded the server's limit");
    }

    [Test]
    public async Task A_peer_without_xtls_and_an_offline_resource_both_come_back_as_not_supported()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync();
        TestAccount nurseAccount = await TestAccount.RegisterAsync(Server, "nurse");
        XmppClient nurse = Clients.Add(Builder(Server, nurseAccount, "kitchen"));
        await nurse.ConnectAsync().WaitAsync(Bound);
        Jid offline = juliet.Jid.Bare.WithResource("elsewhere");

        XtlsTunnelException? toNurse = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await romeo.GetXtls().OpenAsync(nurse.Jid).WaitAsync(Bound));
        XtlsTunnelException? toOffline = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await romeo.GetXtls().OpenAsync(offline).WaitAsync(Bound));

        // Prosody answers for an offline resource with the same condition a client without XTLS uses;
        // disco#info (or presence) is how an application tells them apart.
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(toNurse!.Reason, Is.EqualTo(TunnelCloseReason.NotSupported));
            Assert.That(toOffline!.Reason, Is.EqualTo(TunnelCloseReason.NotSupported));
            Assert.That(await romeo.GetXtls().IsSupportedAsync(nurse.Jid).WaitAsync(Bound), Is.False);
            Assert.That(await romeo.GetXtls().IsSupportedAsync(offline).WaitAsync(Bound), Is.False);
            Assert.That(await romeo.GetXtls().IsSupportedAsync(juliet.Jid).WaitAsync(Bound), Is.True);
            Assert.That(romeo.GetXtls().OpenTunnels, Is.Empty);
        });
    }

    [Test]
    public async Task An_srp_tunnel_carries_a_message()
    {
        static char[]? SharedPassword(Jid peer) => "correct horse battery staple".ToCharArray();
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync(o => o.SrpPassword = SharedPassword, o => o.SrpPassword = SharedPassword);
        using var julietInbox = new Inbox(juliet);

        XtlsTunnel tunnel = await romeo.GetXtls().OpenAsync(juliet.Jid, XtlsMethod.Srp).WaitAsync(Bound);
        await romeo.SendAsync(ChatMessage(juliet.Jid, "by a password we share")).WaitAsync(Bound);
        XElement received = await julietInbox.NextMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(tunnel.Method, Is.EqualTo(XtlsMethod.Srp));
            Assert.That(tunnel.ProtocolVersion, Is.EqualTo("TLSv1.2"));
            Assert.That(tunnel.CipherSuite, Does.Contain("SRP"));
            Assert.That(tunnel.PeerFingerprint, Is.Null);
            Assert.That(Body(received), Is.EqualTo("by a password we share"));
            Assert.That(received.IsFromXtlsTunnel(out XtlsTunnel? inbound) && inbound.Method == XtlsMethod.Srp, Is.True);
        });
    }

    [Test]
    public async Task A_peer_that_logs_out_closes_its_tunnels_in_order_and_a_new_login_gets_a_fresh_tunnel()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync();
        using var julietInbox = new Inbox(juliet);
        using var romeoTunnels = new TunnelWatch(romeo.GetXtls());
        using var julietTunnels = new TunnelWatch(juliet.GetXtls());
        XtlsTunnel first = await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        await julietTunnels.NextOpenedAsync();

        await juliet.DisconnectAsync().WaitAsync(Bound);
        XtlsTunnelClosedEventArgs atRomeo = await romeoTunnels.NextClosedAsync();
        XtlsTunnelClosedEventArgs atJuliet = await julietTunnels.NextClosedAsync();

        // The session's closing work closes every tunnel before the stream ends.
        Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
        Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.ClosedLocally));

        await juliet.ConnectAsync().WaitAsync(Bound);
        await AssertFreshTunnelAsync(romeo, juliet, julietInbox, first);
    }

    [Test]
    public async Task A_peer_whose_connection_drops_after_directed_presence_ends_the_tunnel_as_peer_gone()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync();
        using var romeoInbox = new Inbox(romeo);
        using var julietInbox = new Inbox(juliet);
        using var romeoTunnels = new TunnelWatch(romeo.GetXtls());

        // Directed presence makes Prosody tell Romeo when Juliet's session ends (no roster needed).
        await juliet.SendAsync(DirectedPresence(romeo.Jid)).WaitAsync(Bound);
        await romeoInbox.NextAsync(p => Stanza.IsPresence(p) && Stanza.GetFrom(p) == juliet.Jid, "directed presence");
        XtlsTunnel first = await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);

        await DropConnectionAsync(juliet);
        XtlsTunnelClosedEventArgs atRomeo = await romeoTunnels.NextClosedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.PeerGone));
            Assert.That(atRomeo.Peer, Is.EqualTo(juliet.Jid));
            Assert.That(atRomeo.WasOpen, Is.True);
            Assert.That(romeo.GetXtls().OpenTunnels, Is.Empty);
        });

        await juliet.ConnectAsync().WaitAsync(Bound);
        await AssertFreshTunnelAsync(romeo, juliet, julietInbox, first);
    }

    [Test]
    public async Task A_peer_whose_connection_drops_silently_is_found_gone_by_the_next_send()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync();
        using var romeoTunnels = new TunnelWatch(romeo.GetXtls());
        await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);

        await DropConnectionAndWaitUntilTheServerNoticesAsync(juliet);
        XtlsTunnelException? failure = await Assert.ThrowsAsync<XtlsTunnelException>(
            async () => await romeo.SendAsync(ChatMessage(juliet.Jid, "are you there?")).WaitAsync(Bound));
        XtlsTunnelClosedEventArgs atRomeo = await romeoTunnels.NextClosedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Reason, Is.EqualTo(TunnelCloseReason.PeerGone));
            Assert.That(failure.Detail, Does.Contain(StanzaErrorConditions.ServiceUnavailable));
            Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.PeerGone));
            Assert.That(atRomeo.UndeliveredStanzas, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Logging_out_with_a_tunnel_to_a_vanished_peer_ends_it_as_peer_gone_from_the_servers_answer()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync();
        using var romeoTunnels = new TunnelWatch(romeo.GetXtls());
        using var romeoEnd = new SessionEnd(romeo);
        await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        await DropConnectionAndWaitUntilTheServerNoticesAsync(juliet);

        await romeo.DisconnectAsync().WaitAsync(Bound);
        XtlsTunnelClosedEventArgs atRomeo = await romeoTunnels.NextClosedAsync();

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.PeerGone), atRomeo.Detail);
            Assert.That(atRomeo.Detail, Does.Contain(StanzaErrorConditions.ServiceUnavailable));
            Assert.That((await romeoEnd.Task).Reason, Is.EqualTo(SessionCloseReason.ClosedLocally));
        });
    }

    [Test]
    public async Task A_peer_that_logs_in_again_and_opens_a_tunnel_replaces_the_stale_one()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync();
        using var romeoInbox = new Inbox(romeo);
        using var romeoTunnels = new TunnelWatch(romeo.GetXtls());
        XtlsTunnel stale = await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        Assert.That(await romeoTunnels.NextOpenedAsync(), Is.EqualTo(stale));

        await DropConnectionAndWaitUntilTheServerNoticesAsync(juliet);
        await juliet.ConnectAsync().WaitAsync(Bound);
        XtlsTunnel fresh = await juliet.GetXtls().OpenAsync(romeo.Jid).WaitAsync(Bound);
        XtlsTunnelClosedEventArgs staleEnd = await romeoTunnels.NextClosedAsync();
        XtlsTunnel atRomeo = await romeoTunnels.NextOpenedAsync();
        await juliet.SendAsync(ChatMessage(romeo.Jid, "it is me again")).WaitAsync(Bound);
        XElement received = await romeoInbox.NextMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(staleEnd.Reason, Is.EqualTo(TunnelCloseReason.Replaced));
            Assert.That(staleEnd.Peer, Is.EqualTo(juliet.Jid));
            Assert.That(atRomeo.Initiator, Is.False);
            Assert.That(atRomeo, Is.Not.EqualTo(stale));
            Assert.That(fresh.Initiator, Is.True);
            Assert.That(romeo.GetXtls().GetTunnel(juliet.Jid), Is.EqualTo(atRomeo));
            Assert.That(received.IsFromXtlsTunnel(out XtlsTunnel? inbound) && inbound == atRomeo, Is.True);
        });
    }

    private static Task[] SendNumbered(XmppClient from, Jid to, string prefix, int count) =>
        [.. Numbered(prefix, count).Select(body => from.SendAsync(ChatMessage(to, body)))];

    private static IEnumerable<string> Numbered(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture));

    private static async Task<IReadOnlyList<XElement>> ReceiveAsync(Inbox inbox, int count)
    {
        var messages = new List<XElement>(count);
        while (messages.Count < count)
        {
            messages.Add(await inbox.NextMessageAsync());
        }

        return messages;
    }

    private static XElement DirectedPresence(Jid to) => new(Stanza.PresenceName, new XAttribute("to", to.ToString()));

    // The old tunnel ended; the new session of the same resource gets a new one, end to end.
    private static async Task AssertFreshTunnelAsync(XmppClient romeo, XmppClient juliet, Inbox julietInbox, XtlsTunnel old)
    {
        XtlsTunnel fresh = await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        await romeo.SendAsync(ChatMessage(juliet.Jid, "a fresh start")).WaitAsync(Bound);
        XElement received = await julietInbox.NextMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(fresh, Is.Not.SameAs(old));
            Assert.That(fresh.Peer, Is.EqualTo(old.Peer), "the same full JID");
            Assert.That(Body(received), Is.EqualTo("a fresh start"));
            Assert.That(received.IsFromXtlsTunnel(out XtlsTunnel? inbound) && inbound.Peer == romeo.Jid, Is.True);
        });
    }

    private async Task<(XmppClient Romeo, XmppClient Juliet)> ConnectPairAsync(Action<XtlsOptions>? romeoOptions = null, Action<XtlsOptions>? julietOptions = null)
    {
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClient romeo = Clients.Add(Builder(Server, romeoAccount, "orchard").UseXtls(romeoOptions));
        XmppClient juliet = Clients.Add(Builder(Server, julietAccount, "balcony").UseXtls(julietOptions));
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        return (romeo, juliet);
    }

    // Closes the TCP connection as a crash would: no tunnel close, no stream footer. Returns once the
    // client itself has seen its session end, so that it may connect again.
    private static async Task DropConnectionAsync(XmppClient client)
    {
        using var end = new SessionEnd(client);
        await client.Channel!.CloseAsync().WaitAsync(Bound);
        Assert.That((await end.Task).Reason, Is.EqualTo(SessionCloseReason.ConnectionLost));
    }

    // Drops the TCP connection without a stream footer or tunnel close, then waits until Prosody has
    // ended the session: a watcher that received directed presence from it gets the unavailable one.
    private async Task DropConnectionAndWaitUntilTheServerNoticesAsync(XmppClient leaving)
    {
        TestAccount watcherAccount = await TestAccount.RegisterAsync(Server, "watcher");
        XmppClient watcher = Clients.Add(Builder(Server, watcherAccount, "window"));
        using var watcherInbox = new Inbox(watcher);
        await watcher.ConnectAsync().WaitAsync(Bound);
        Jid leavingJid = leaving.Jid;
        await leaving.SendAsync(DirectedPresence(watcher.Jid).SendInClear()).WaitAsync(Bound);
        await watcherInbox.NextAsync(p => Stanza.IsPresence(p) && Stanza.GetFrom(p) == leavingJid && Stanza.GetType(p) is null, "available presence");

        await DropConnectionAsync(leaving);
        await watcherInbox.NextAsync(p => Stanza.IsPresence(p) && Stanza.GetFrom(p) == leavingJid && Stanza.GetType(p) == "unavailable", "unavailable presence");
    }
}
