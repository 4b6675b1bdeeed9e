using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.IntegrationTests.Prosody;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Host;

/// <summary>The host client when the server goes away under it, and comes back.</summary>
[TestFixture]
public sealed class ServerShutdownTests
{
    private ProsodyServer _server = null!;
    private ClientSet _clients = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await ProsodyServer.StartNewAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public async Task SetUp()
    {
        _clients = new ClientSet();
        if (!_server.IsRunning)
        {
            await _server.StartAsync();
        }
    }

    [TearDown]
    public async Task TearDown()
    {
        ProsodyTestReport.ReportIfTestFailed(_server);
        await _clients.DisposeAsync();
    }

    [Test]
    public async Task A_graceful_server_stop_ends_the_session_with_the_system_shutdown_stream_error()
    {
        TestAccount alice = await TestAccount.RegisterAsync(_server, "alice");
        XmppClient a = _clients.Add(Builder(_server, alice, "desk"));
        await a.ConnectAsync().WaitAsync(Bound);
        using var end = new SessionEnd(a);

        await _server.StopProcessAsync(ShutdownMode.Graceful);
        SessionClosedEventArgs closed = await end.Task;

        Assert.Multiple(() =>
        {
            Assert.That(closed.Reason, Is.EqualTo(SessionCloseReason.StreamError));
            Assert.That(closed.Error, Is.InstanceOf<XmppStreamErrorException>());
            var error = (XmppStreamErrorException)closed.Error!;
            Assert.That(error.Condition, Is.EqualTo("system-shutdown"));
            Assert.That(error.SentByPeer, Is.True);
            Assert.That(a.State, Is.EqualTo(SessionState.Closed));
        });
    }

    [Test]
    public async Task A_killed_server_is_a_lost_connection_and_the_client_connects_again_after_a_restart()
    {
        TestAccount alice = await TestAccount.RegisterAsync(_server, "alice");
        XmppClient a = _clients.Add(Builder(_server, alice, "desk"));
        await a.ConnectAsync().WaitAsync(Bound);
        using var end = new SessionEnd(a);

        await _server.StopProcessAsync(ShutdownMode.Kill);
        SessionClosedEventArgs closed = await end.Task;
        Assert.That(closed.Reason, Is.EqualTo(SessionCloseReason.ConnectionLost));
        Assert.That(a.State, Is.EqualTo(SessionState.Closed));

        await _server.StartAsync();
        await a.ConnectAsync().WaitAsync(Bound);
        XElement pong = await a.SendIqAsync(Stanza.Iq("get", a.NextId(), new Jid(null, _server.Domain), new XElement(XName.Get("ping", XmppNamespaces.Ping)))).WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(a.State, Is.EqualTo(SessionState.Online));
            Assert.That(a.Jid, Is.EqualTo(alice.Jid.WithResource("desk")));
            Assert.That(Stanza.GetType(pong), Is.EqualTo("result"));
        });
    }

    [Test]
    public async Task After_a_graceful_restart_the_same_client_connects_again_and_exchanges_messages()
    {
        TestAccount alice = await TestAccount.RegisterAsync(_server, "alice");
        TestAccount bob = await TestAccount.RegisterAsync(_server, "bob");
        XmppClient a = _clients.Add(Builder(_server, alice, "desk"));
        XmppClient b = _clients.Add(Builder(_server, bob, "phone"));
        using var bobInbox = new Inbox(b);
        await a.ConnectAsync().WaitAsync(Bound);
        using (var end = new SessionEnd(a))
        {
            await _server.RestartAsync(ShutdownMode.Graceful);
            Assert.That((await end.Task).Reason, Is.EqualTo(SessionCloseReason.StreamError));
        }

        await a.ConnectAsync().WaitAsync(Bound);
        await b.ConnectAsync().WaitAsync(Bound);
        await a.SendAsync(Chat(b.Jid, "still here")).WaitAsync(Bound);
        XElement message = await bobInbox.NextMessageAsync();

        Assert.That(Body(message), Is.EqualTo("still here"));
        Assert.That(Stanza.GetFrom(message), Is.EqualTo(a.Jid));
    }
}
