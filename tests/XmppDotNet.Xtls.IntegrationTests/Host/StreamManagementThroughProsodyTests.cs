using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.StreamManagement;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.Testing.Prosody;
using XmppDotNet.Xtls.Tunnels;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Host;

/// <summary>
/// Stream management (XEP-0198) through Prosody's mod_smacks: a client's TCP connection is reset under it
/// (a loopback proxy cuts both sides) while stanzas flow, and the session resumes without losing or
/// repeating anything, XTLS tunnels included; a restarted server cannot resume, and says so.
/// </summary>
[TestFixture]
public sealed class StreamManagementThroughProsodyTests : ProsodyClientFixture
{
    private CuttableTcpProxy _proxy = null!;

    protected override ProsodyServerOptions ServerOptions => new()
    {
        AdditionalGlobalSettings = """
            modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "smacks" }
            network_settings = { nagle = false }
            """,
    };

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

        TestContext.Progress.WriteLine($"Resumed through Prosody after {args.Duration.TotalMilliseconds:F0} ms, attempt {args.Attempts}, {args.Resent} stanzas sent again.");
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

        var clock = System.Diagnostics.Stopwatch.StartNew();
        SessionResumedEventArgs args = await resumed.Task.WaitAsync(Bound);
        TimeSpan toResumed = clock.Elapsed;
        IReadOnlyList<XElement> atJuliet = await ReceiveAsync(julietInbox, Count);
        TimeSpan toReceived = clock.Elapsed;
        await Task.WhenAll(sends).WaitAsync(Bound);
        TestContext.Progress.WriteLine($"Tunnel: resumed after {args.Duration.TotalMilliseconds:F0} ms ({args.Resent} sent again); seen {toResumed.TotalMilliseconds:F0} ms, all received {toReceived.TotalMilliseconds:F0} ms, all acknowledged {clock.Elapsed.TotalMilliseconds:F0} ms after the cut.");

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
    public async Task After_a_server_restart_the_resumption_fails_and_is_reported_with_what_was_not_acknowledged()
    {
        TestAccount account = await TestAccount.RegisterAsync(Server, "romeo");
        XmppClient romeo = Clients.Add(ThroughProxy(account, "orchard").WithStreamManagement(o =>
        {
            o.MaxResumeAttempts = 20;
            o.MaxReconnectDelay = TimeSpan.FromMilliseconds(500);
        }));
        await romeo.ConnectAsync().WaitAsync(Bound);
        var failed = new TaskCompletionSource<ResumptionFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        romeo.ResumptionFailed += (_, e) => failed.TrySetResult(e);
        using var end = new SessionEnd(romeo);
        await PingAsync(romeo);

        await Server.StopProcessAsync(ShutdownMode.Kill);
        await Server.StartAsync();

        ResumptionFailedEventArgs args = await failed.Task.WaitAsync(Bound);
        SessionClosedEventArgs closed = await end.Task;
        Assert.Multiple(() =>
        {
            Assert.That(args.Failure.InnerException, Is.InstanceOf<XmppResumptionFailedException>(), "the restarted server refused: " + args.Failure.Message);
            Assert.That(closed.Reason, Is.EqualTo(SessionCloseReason.ConnectionLost));
            Assert.That(romeo.State, Is.EqualTo(SessionState.Closed));
        });

        // A new session works.
        await romeo.ConnectAsync().WaitAsync(Bound);
        await PingAsync(romeo);
    }

    private XmppClientBuilder ThroughProxy(TestAccount account, string resource) =>
        Builder(Server, account, resource).WithTcpServer(Server.Host, _proxy.Port);

    private async Task<(XmppClient Romeo, XmppClient Juliet)> ConnectPairAsync(bool xtls)
    {
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClientBuilder romeoBuilder = ThroughProxy(romeoAccount, "orchard");
        XmppClientBuilder julietBuilder = Builder(Server, julietAccount, "balcony");
        if (xtls)
        {
            romeoBuilder.UseXtls();
            julietBuilder.UseXtls();
        }

        XmppClient romeo = Clients.Add(romeoBuilder);
        XmppClient juliet = Clients.Add(julietBuilder);
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        return (romeo, juliet);
    }

    private static async Task PingAsync(XmppClient client) =>
        await client.SendIqAsync(new XElement(
            XName.Get("iq", XmppNamespaces.Client),
            new XAttribute("type", "get"),
            new XAttribute("to", client.Jid.Domain),
            new XElement(XName.Get("ping", XmppNamespaces.Ping)))).WaitAsync(Bound);

    private static TaskCompletionSource<SessionResumedEventArgs> Resumed(XmppClient client)
    {
        var resumed = new TaskCompletionSource<SessionResumedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Resumed += (_, e) => resumed.TrySetResult(e);
        return resumed;
    }

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
}
