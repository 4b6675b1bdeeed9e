using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.Testing.Prosody;
using XmppDotNet.Xtls.Tunnels;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Host;

/// <summary>The host client, and tunnels through it, when the server goes away under it, and comes back.</summary>
[TestFixture]
public sealed class ServerShutdownTests : ProsodyClientFixture
{
    [SetUp]
    public async Task StartServerIfStopped()
    {
        if (!Server.IsRunning)
        {
            await Server.StartAsync();
        }
    }

    [TearDown]
    public async Task ThawServer()
    {
        if (Server.IsRunning)
        {
            await Server.ThawAsync(); // a test that failed while the server was frozen must not stall the next one
        }
    }

    [Test]
    public async Task A_graceful_server_stop_ends_the_session_with_the_system_shutdown_stream_error()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        await a.ConnectAsync().WaitAsync(Bound);
        using var end = new SessionEnd(a);

        await Server.StopProcessAsync(ShutdownMode.Graceful);
        SessionClosedEventArgs closed = await end.Task;

        // DotNetty's TlsHandler disposes its SslStream when the connection closes, so records still
        // being decrypted at that moment are lost: on a busy machine Prosody's last words (the stream
        // error right before its FIN) can vanish and the session ends as a lost connection. Either
        // way it ends; when the error arrives it must be the server's system-shutdown.
        Assert.That(closed.Reason, Is.AnyOf(SessionCloseReason.StreamError, SessionCloseReason.ConnectionLost));
        Assert.That(a.State, Is.EqualTo(SessionState.Closed));
        if (closed.Reason == SessionCloseReason.StreamError)
        {
            Assert.That(closed.Error, Is.InstanceOf<XmppStreamErrorException>());
            var error = (XmppStreamErrorException)closed.Error!;
            Assert.That(error.Condition, Is.EqualTo("system-shutdown"));
            Assert.That(error.SentByPeer, Is.True);
        }
        else
        {
            Assert.That(closed.Error, Is.Null);
        }
    }

    [Test]
    public async Task A_killed_server_is_a_lost_connection_and_the_client_connects_again_after_a_restart()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        await a.ConnectAsync().WaitAsync(Bound);
        using var end = new SessionEnd(a);

        await Server.StopProcessAsync(ShutdownMode.Kill);
        SessionClosedEventArgs closed = await end.Task;
        Assert.That(closed.Reason, Is.EqualTo(SessionCloseReason.ConnectionLost));
        Assert.That(a.State, Is.EqualTo(SessionState.Closed));

        await Server.StartAsync();
        await a.ConnectAsync().WaitAsync(Bound);
        XElement pong = await a.SendIqAsync(Stanza.Iq("get", a.NextId(), new Jid(null, Server.Domain), new XElement(XName.Get("ping", XmppNamespaces.Ping)))).WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(a.State, Is.EqualTo(SessionState.Online));
            Assert.That(a.Jid, Is.EqualTo(alice.Jid.WithResource("desk")));
            Assert.That(Stanza.GetType(pong), Is.EqualTo("result"));
        });
    }

    [Test]
    public async Task Stanzas_in_a_tunnel_when_the_server_dies_all_fail_with_session_ended_and_none_is_lost_silently()
    {
        const int Count = 50;
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClient romeo = Clients.Add(Builder(Server, romeoAccount, "orchard").UseXtls());
        XmppClient juliet = Clients.Add(Builder(Server, julietAccount, "balcony").UseXtls());
        using var julietInbox = new Inbox(juliet);
        using var romeoTunnels = new TunnelWatch(romeo.GetXtls());
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        await romeo.SendAsync(ChatMessage(juliet.Jid, "before")).WaitAsync(Bound);
        Assert.That(Body(await julietInbox.NextMessageAsync()), Is.EqualTo("before"));
        using var romeoEnd = new SessionEnd(romeo);

        // A frozen server takes the data but never forwards it: nothing can be acknowledged.
        await Server.FreezeAsync();
        Task[] sends = [.. Enumerable.Range(0, Count).Select(i => romeo.SendAsync(ChatMessage(juliet.Jid, "lost " + i)))];
        await romeo.Channel!.EventLoop.SubmitAsync(() => true).WaitAsync(Bound); // every write above has reached the tunnel
        await Server.StopProcessAsync(ShutdownMode.Kill);
        Assert.That((await romeoEnd.Task).Reason, Is.EqualTo(SessionCloseReason.ConnectionLost));
        await Task.WhenAny(Task.WhenAll(sends)).WaitAsync(Bound); // settled, whatever the outcome
        XtlsTunnelClosedEventArgs tunnelEnd = await romeoTunnels.NextClosedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(sends.Select(s => s.Status), Is.All.EqualTo(TaskStatus.Faulted));
            Assert.That(
                sends.Select(s => s.Exception?.InnerException),
                Is.All.InstanceOf<XtlsTunnelException>().With.Property(nameof(XtlsTunnelException.Reason)).EqualTo(TunnelCloseReason.SessionEnded));
            Assert.That(tunnelEnd.Reason, Is.EqualTo(TunnelCloseReason.SessionEnded));
            Assert.That(tunnelEnd.WasOpen, Is.True);
            Assert.That(tunnelEnd.UndeliveredStanzas, Is.EqualTo(Count));
            Assert.That(julietInbox.TakeMessagesReceivedSoFar(), Is.Empty);
        });
    }

    [Test]
    public async Task Stanzas_in_a_tunnel_wait_out_a_stalled_server_and_all_arrive_in_order()
    {
        const int Count = 50;
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClient romeo = Clients.Add(Builder(Server, romeoAccount, "orchard").UseXtls());
        XmppClient juliet = Clients.Add(Builder(Server, julietAccount, "balcony").UseXtls());
        using var julietInbox = new Inbox(juliet);
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);

        Task[] sends;
        await Server.FreezeAsync();
        try
        {
            sends = [.. Enumerable.Range(0, Count).Select(i => romeo.SendAsync(ChatMessage(juliet.Jid, "held " + i)))];
            await romeo.Channel!.EventLoop.SubmitAsync(() => true).WaitAsync(Bound); // every write above has reached the tunnel
            Assert.That(sends.Count(s => s.IsCompleted), Is.Zero, "nothing is acknowledged while the server stands still");
        }
        finally
        {
            await Server.ThawAsync();
        }

        await Task.WhenAll(sends).WaitAsync(Bound);
        var bodies = new List<string?>();
        for (int i = 0; i < Count; i++)
        {
            bodies.Add(Body(await julietInbox.NextMessageAsync()));
        }

        Assert.That(bodies, Is.EqualTo(Enumerable.Range(0, Count).Select(i => "held " + i)));
    }

    [Test]
    public async Task After_a_graceful_restart_the_same_client_connects_again_and_exchanges_messages()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        TestAccount bob = await TestAccount.RegisterAsync(Server, "bob");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        XmppClient b = Clients.Add(Builder(Server, bob, "phone"));
        using var bobInbox = new Inbox(b);
        await a.ConnectAsync().WaitAsync(Bound);
        using (var end = new SessionEnd(a))
        {
            await Server.RestartAsync(ShutdownMode.Graceful);
            Assert.That((await end.Task).Reason, Is.EqualTo(SessionCloseReason.StreamError));
        }

        await a.ConnectAsync().WaitAsync(Bound);
        await b.ConnectAsync().WaitAsync(Bound);
        await a.SendAsync(ChatMessage(b.Jid, "still here")).WaitAsync(Bound);
        XElement message = await bobInbox.NextMessageAsync();

        Assert.That(Body(message), Is.EqualTo("still here"));
        Assert.That(Stanza.GetFrom(message), Is.EqualTo(a.Jid));
    }
}
