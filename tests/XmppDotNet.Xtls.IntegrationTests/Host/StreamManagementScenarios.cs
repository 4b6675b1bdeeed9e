using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.StreamManagement;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.Testing.Prosody;
using XmppDotNet.Xtls.Tunnels;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Host;

/// <summary>
/// Stream management (XEP-0198) through a real server, the same scenarios for each server: a client's TCP
/// connection is reset under it (a loopback proxy cuts both sides) while stanzas flow, and the session resumes
/// without losing or repeating anything, XTLS tunnels included; a restarted server cannot resume, says so, and
/// new sessions start, with new tunnels.
/// </summary>
/// <typeparam name="TServer">The server the scenarios run through.</typeparam>
public abstract class StreamManagementScenarios<TServer> : ServerClientFixture<TServer>
    where TServer : class, ITestXmppServer
{
    private CuttableTcpProxy _proxy = null!;

    /// <summary>The proxy between the clients that go through it and the server.</summary>
    private protected CuttableTcpProxy Proxy => _proxy;

    [SetUp]
    public async Task StartProxy()
    {
        if (!Server.IsRunning)
        {
            await Server.StartAsync();
        }

        _proxy = new CuttableTcpProxy(() => Server.Port);
    }

    [TearDown]
    public async Task StopProxy() => await _proxy.DisposeAsync();

    [Test]
    public async Task A_cut_connection_resumes_and_every_message_each_way_arrives_once_and_in_order()
    {
        const int Count = 60;
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync(xtls: false);
        using var julietInbox = new Inbox(juliet);
        using var romeoInbox = new Inbox(romeo);
        var resumed = Resumed(romeo);

        // The first half is delivered (and partly acknowledged) before the cut; the second half is in flight around it.
        var sends = new List<Task>();
        IReadOnlyList<XElement> firstHalf = [];
        for (int i = 0; i < Count; i++)
        {
            if (i == Count / 2)
            {
                await Task.WhenAll(sends).WaitAsync(Bound);
                firstHalf = await ReceiveAsync(julietInbox, Count / 2);
            }

            if (i == Count / 2 + 5)
            {
                Assert.That(_proxy.CutAll(), Is.EqualTo(1));
            }

            sends.Add(romeo.SendAsync(ChatMessage(juliet.Jid, "r" + i.ToString(CultureInfo.InvariantCulture))));
        }

        // Juliet writes to romeo while his connection is down: the server holds it in the hibernating session.
        Task[] fromJuliet = [.. Numbered("j", 10).Select(body => juliet.SendAsync(ChatMessage(romeo.Jid, body)))];

        SessionResumedEventArgs args = await resumed.Task.WaitAsync(Bound);
        await Task.WhenAll(sends).WaitAsync(Bound);
        await Task.WhenAll(fromJuliet).WaitAsync(Bound);
        IReadOnlyList<XElement> atJuliet = await ReceiveAsync(julietInbox, Count - (Count / 2));
        IReadOnlyList<XElement> atRomeo = await ReceiveAsync(romeoInbox, 10);
        await PingAsync(romeo);
        await PingAsync(juliet);

        TestContext.Progress.WriteLine($"Resumed through {Server.Product} after {args.Duration.TotalMilliseconds:F0} ms, attempt {args.Attempts}, {args.Resent} stanzas sent again.");
        Assert.Multiple(() =>
        {
            Assert.That(firstHalf.Concat(atJuliet).Select(Body), Is.EqualTo(Numbered("r", Count)), "complete, in order, no duplicates");
            Assert.That(args.Resent, Is.LessThan(Count), "what the server had acknowledged was not sent again");
            Assert.That(atRomeo.Select(Body), Is.EqualTo(Numbered("j", 10)), "held by the server and delivered after the resumption");
            Assert.That(julietInbox.TakeMessagesReceivedSoFar(), Is.Empty, "nothing arrived twice");
            Assert.That(romeoInbox.TakeMessagesReceivedSoFar(), Is.Empty, "nothing arrived twice");
            Assert.That(romeo.State, Is.EqualTo(SessionState.Online));
            Assert.That(_proxy.Accepted, Is.EqualTo(2), "one reconnection");
        });
    }

    [Test]
    public async Task An_xtls_tunnel_through_the_server_carries_messages_both_ways()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync(xtls: true);
        using var julietInbox = new Inbox(juliet);
        using var romeoInbox = new Inbox(romeo);
        XtlsTunnel tunnel = await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);

        await romeo.SendAsync(ChatMessage(juliet.Jid, "to juliet")).WaitAsync(Bound);
        XElement atJuliet = await julietInbox.NextMessageAsync();
        await juliet.SendAsync(ChatMessage(romeo.Jid, "to romeo")).WaitAsync(Bound);
        XElement atRomeo = await romeoInbox.NextMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(tunnel.Peer, Is.EqualTo(juliet.Jid));
            Assert.That(Body(atJuliet), Is.EqualTo("to juliet"));
            Assert.That(atJuliet.IsFromXtlsTunnel(out XtlsTunnel? inbound) && inbound.Peer == romeo.Jid, Is.True, "through the tunnel");
            Assert.That(Body(atRomeo), Is.EqualTo("to romeo"));
            Assert.That(atRomeo.IsFromXtlsTunnel(out XtlsTunnel? back) && back.Peer == juliet.Jid, Is.True, "through the tunnel");
        });
    }

    [Test]
    public async Task An_xtls_tunnel_carries_on_across_a_cut_without_a_new_handshake()
    {
        const int Count = 40;
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync(xtls: true);
        using var julietInbox = new Inbox(juliet);
        int romeoOpened = 0;
        int julietOpened = 0;
        int closed = 0;
        romeo.GetXtls().TunnelOpened += (_, _) => Interlocked.Increment(ref romeoOpened);
        juliet.GetXtls().TunnelOpened += (_, _) => Interlocked.Increment(ref julietOpened);
        romeo.GetXtls().TunnelClosed += (_, _) => Interlocked.Increment(ref closed);
        juliet.GetXtls().TunnelClosed += (_, _) => Interlocked.Increment(ref closed);
        var resumed = Resumed(romeo);
        XtlsTunnel tunnel = await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);

        var sends = new List<Task>();
        for (int i = 0; i < Count; i++)
        {
            if (i == Count / 2)
            {
                _proxy.CutAll();
            }

            sends.Add(romeo.SendAsync(ChatMessage(juliet.Jid, "t" + i.ToString(CultureInfo.InvariantCulture))));
        }

        var clock = Stopwatch.StartNew();
        SessionResumedEventArgs args = await resumed.Task.WaitAsync(Bound);
        TimeSpan toResumed = clock.Elapsed;
        IReadOnlyList<XElement> atJuliet = await ReceiveAsync(julietInbox, Count);
        TimeSpan toReceived = clock.Elapsed;
        await Task.WhenAll(sends).WaitAsync(Bound);
        TestContext.Progress.WriteLine($"Tunnel through {Server.Product}: resumed after {args.Duration.TotalMilliseconds:F0} ms ({args.Resent} sent again); seen {toResumed.TotalMilliseconds:F0} ms, all received {toReceived.TotalMilliseconds:F0} ms, all acknowledged {clock.Elapsed.TotalMilliseconds:F0} ms after the cut.");

        Assert.Multiple(() =>
        {
            Assert.That(atJuliet.Select(Body), Is.EqualTo(Numbered("t", Count)), "complete, in order, no duplicates");
            Assert.That(atJuliet.All(m => m.IsFromXtlsTunnel(out XtlsTunnel? t) && t.Peer == romeo.Jid), Is.True, "all through the tunnel");
            Assert.That(romeo.GetXtls().GetTunnel(juliet.Jid), Is.SameAs(tunnel), "the same tunnel");
            Assert.That(Volatile.Read(ref romeoOpened), Is.EqualTo(1), "no new handshake");
            Assert.That(Volatile.Read(ref julietOpened), Is.EqualTo(1), "no new handshake");
            Assert.That(Volatile.Read(ref closed), Is.Zero);
            Assert.That(julietInbox.TakeMessagesReceivedSoFar(), Is.Empty, "nothing arrived twice");
        });
    }

    [Test]
    public async Task A_tunnel_asked_for_while_the_session_is_resuming_opens_once_it_is_resumed()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync(xtls: true);
        using var julietInbox = new Inbox(juliet);
        var opening = new TaskCompletionSource<Task<XtlsTunnel>>(TaskCreationOptions.RunContinuationsAsynchronously);
        romeo.ConnectionLost += (_, _) =>
        {
            // Raised while the session is Resuming: the open must wait, not throw.
            opening.TrySetResult(romeo.GetXtls().OpenAsync(juliet.Jid));
        };

        _proxy.CutAll();
        Task<XtlsTunnel> open = await opening.Task.WaitAsync(Bound);
        XtlsTunnel tunnel = await open.WaitAsync(Bound);
        await romeo.SendAsync(ChatMessage(juliet.Jid, "opened after the resumption")).WaitAsync(Bound);
        XElement message = await julietInbox.NextMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(tunnel.Peer, Is.EqualTo(juliet.Jid));
            Assert.That(romeo.State, Is.EqualTo(SessionState.Online));
            Assert.That(_proxy.Accepted, Is.EqualTo(2), "resumed on a second connection");
            Assert.That(message.IsFromXtlsTunnel(out XtlsTunnel? t) && t.Peer == romeo.Jid, Is.True);
        });
    }

    [Test]
    public async Task After_a_server_restart_the_resumption_fails_and_is_reported_with_what_was_not_acknowledged()
    {
        TestAccount account = await TestAccount.RegisterAsync(Server, "romeo");
        XmppClient romeo = Clients.Add(ThroughProxy(account, "orchard").WithStreamManagement(o =>
        {
            o.MaxResumeAttempts = 20;
            o.MaxReconnectDelay = TimeSpan.FromMilliseconds(500);
        }));
        await romeo.ConnectAsync().WaitAsync(Bound);
        var failed = Failed(romeo);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        romeo.ConnectionLost += (_, _) => lost.TrySetResult();
        using var end = new SessionEnd(romeo);
        await PingAsync(romeo);

        await Server.StopProcessAsync(ShutdownMode.Kill);
        await lost.Task.WaitAsync(Bound);
        Jid nobody = Server.UserJid("nobody");
        Task[] inOutage = [.. Numbered("lost", 3).Select(body => romeo.SendAsync(ChatMessage(nobody, body)))];
        await Server.StartAsync();

        ResumptionFailedEventArgs args = await failed.Task.WaitAsync(Bound);
        SessionClosedEventArgs closed = await end.Task;
        foreach (Task send in inOutage)
        {
            Assert.That(async () => await send.WaitAsync(Bound), Throws.InstanceOf<XmppResumptionFailedException>(), "each send written in the outage fails");
        }

        Assert.Multiple(() =>
        {
            Assert.That(args.Failure.InnerException, Is.InstanceOf<XmppResumptionFailedException>(), "the restarted server refused: " + args.Failure.Message);
            Assert.That(args.Unacknowledged.Where(Stanza.IsMessage).Select(Body), Is.EqualTo(Numbered("lost", 3)), "what the server never acknowledged is reported, in order");
            Assert.That(args.StartsNewSession, Is.False);
            Assert.That(closed.Reason, Is.EqualTo(SessionCloseReason.ConnectionLost));
            Assert.That(romeo.State, Is.EqualTo(SessionState.Closed));
        });

        // A new session works.
        await romeo.ConnectAsync().WaitAsync(Bound);
        await PingAsync(romeo);
    }

    [Test]
    public async Task After_a_server_restart_both_sessions_start_anew_sends_in_the_outage_are_reported_and_the_tunnel_opens_again()
    {
        (XmppClient romeo, XmppClient juliet) = await ConnectPairAsync(xtls: true, newSessionAfterFailure: true);
        using var julietInbox = new Inbox(juliet);
        using var romeoTunnels = new TunnelWatch(romeo.GetXtls());
        XtlsTunnel before = await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        await romeoTunnels.NextOpenedAsync();
        await romeo.SendAsync(ChatMessage(juliet.Jid, "before")).WaitAsync(Bound);
        Assert.That(Body(await julietInbox.NextMessageAsync()), Is.EqualTo("before"));

        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        romeo.ConnectionLost += (_, _) => lost.TrySetResult();
        var romeoFailed = Failed(romeo);
        var julietFailed = Failed(juliet);
        await Server.StopProcessAsync(ShutdownMode.Kill);
        await lost.Task.WaitAsync(Bound);

        // Written while the server is gone: kept for the resumption, which cannot succeed.
        Task[] inOutage = [.. Numbered("lost", 3).Select(body => romeo.SendAsync(ChatMessage(juliet.Jid, body)))];
        await Server.StartAsync();

        ResumptionFailedEventArgs romeoArgs = await romeoFailed.Task.WaitAsync(Bound);
        ResumptionFailedEventArgs julietArgs = await julietFailed.Task.WaitAsync(Bound);
        XtlsTunnelClosedEventArgs oldEnded = await romeoTunnels.NextClosedAsync();
        foreach (Task send in inOutage)
        {
            // Through the tunnel, a send fails with the tunnel that ended with the session.
            Assert.That(
                async () => await send.WaitAsync(Bound),
                Throws.InstanceOf<XtlsTunnelException>().With.Property(nameof(XtlsTunnelException.Reason)).EqualTo(TunnelCloseReason.SessionEnded));
        }

        await WaitOnlineAsync(romeo);
        await WaitOnlineAsync(juliet);
        XtlsTunnel after = await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        await romeo.SendAsync(ChatMessage(juliet.Jid, "after")).WaitAsync(Bound);
        XElement afterMessage = await julietInbox.NextMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(romeoArgs.StartsNewSession && julietArgs.StartsNewSession, Is.True);
            Assert.That(
                romeoArgs.Unacknowledged,
                Has.Some.Matches<XElement>(e => e != null && Stanza.IsIqRequest(e) && (string?)e.Attribute("to") == juliet.Jid.ToString()),
                "the tunnel's data IQs the server never acknowledged are reported");
            Assert.That(oldEnded.Peer, Is.EqualTo(juliet.Jid), "the old tunnel ended with the old session");
            Assert.That(oldEnded.Reason, Is.EqualTo(TunnelCloseReason.SessionEnded));
            Assert.That(oldEnded.UndeliveredStanzas, Is.EqualTo(3), "the tunnel reports what it could not deliver");
            Assert.That(after, Is.Not.SameAs(before), "a new tunnel");
            AssertReopened(before, after);
            Assert.That(Body(afterMessage), Is.EqualTo("after"));
            Assert.That(afterMessage.IsFromXtlsTunnel(out XtlsTunnel? t) && t.Peer == romeo.Jid, Is.True, "through the new tunnel");
            Assert.That(julietInbox.TakeMessagesReceivedSoFar().Select(Body), Has.None.StartsWith("lost"), "nothing reported as failed arrived after all");
        });
    }

    /// <summary>
    /// How the tunnel opened again after a new session: the same peer, authenticated the same way and by the
    /// same certificate as before, re-opened with the secret the previous tunnel left (no full handshake).
    /// </summary>
    private static void AssertReopened(XtlsTunnel before, XtlsTunnel after)
    {
        Assert.That(after.Peer, Is.EqualTo(before.Peer));
        Assert.That(after.Method, Is.EqualTo(before.Method));
        Assert.That(after.PeerFingerprint, Is.EqualTo(before.PeerFingerprint), "the same peer identity");
        Assert.That(after.Opened, Is.GreaterThanOrEqualTo(before.Opened));
        Assert.That(before.Reopened, Is.False, "the first tunnel needed a full handshake");
        Assert.That(after.Reopened, Is.True, "the new tunnel used the previous tunnel's secret instead of a full handshake");
    }

    private protected XmppClientBuilder ThroughProxy(TestAccount account, string resource) =>
        Builder(Server, account, resource).WithTcpServer(Server.Host, _proxy.Port);

    private protected async Task<(XmppClient Romeo, XmppClient Juliet)> ConnectPairAsync(bool xtls, bool newSessionAfterFailure = false)
    {
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClientBuilder romeoBuilder = ThroughProxy(romeoAccount, "orchard");
        XmppClientBuilder julietBuilder = Builder(Server, julietAccount, "balcony");
        foreach (XmppClientBuilder builder in new[] { romeoBuilder, julietBuilder })
        {
            if (xtls)
            {
                builder.UseXtls();
            }

            if (newSessionAfterFailure)
            {
                builder.WithStreamManagement(o =>
                {
                    o.NewSessionAfterFailedResumption = true;
                    o.MaxResumeAttempts = 20;
                    o.MaxReconnectDelay = TimeSpan.FromMilliseconds(500);
                });
            }
        }

        XmppClient romeo = Clients.Add(romeoBuilder);
        XmppClient juliet = Clients.Add(julietBuilder);
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        return (romeo, juliet);
    }

    private protected static async Task PingAsync(XmppClient client) =>
        await client.SendIqAsync(new XElement(
            XName.Get("iq", XmppNamespaces.Client),
            new XAttribute("type", "get"),
            new XAttribute("to", client.Jid.Domain),
            new XElement(XName.Get("ping", XmppNamespaces.Ping)))).WaitAsync(Bound);

    private protected static TaskCompletionSource<SessionResumedEventArgs> Resumed(XmppClient client)
    {
        var resumed = new TaskCompletionSource<SessionResumedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Resumed += (_, e) => resumed.TrySetResult(e);
        return resumed;
    }

    private protected static TaskCompletionSource<ResumptionFailedEventArgs> Failed(XmppClient client)
    {
        var failed = new TaskCompletionSource<ResumptionFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ResumptionFailed += (_, e) => failed.TrySetResult(e);
        return failed;
    }

    /// <summary>Waits (bounded) until a client that starts a new session by itself is online again.</summary>
    private protected static async Task WaitOnlineAsync(XmppClient client)
    {
        var waited = Stopwatch.StartNew();
        while (client.State != SessionState.Online)
        {
            if (waited.Elapsed > Bound)
            {
                throw new TimeoutException($"{client.Jid} was not online again within {Bound}; it is {client.State}.");
            }

            await Task.Delay(20);
        }
    }

    private protected static IEnumerable<string> Numbered(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture));

    private protected static async Task<IReadOnlyList<XElement>> ReceiveAsync(Inbox inbox, int count)
    {
        var messages = new List<XElement>(count);
        while (messages.Count < count)
        {
            messages.Add(await inbox.NextMessageAsync());
        }

        return messages;
    }
}
