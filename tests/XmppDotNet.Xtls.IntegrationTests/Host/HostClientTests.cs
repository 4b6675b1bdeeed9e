using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.Testing.Prosody;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Host;

/// <summary>The host client against a real Prosody: logging in, stanzas between two users, errors, closing.</summary>
[TestFixture]
public sealed class HostClientTests : ProsodyClientFixture
{
    private static readonly XName EchoQuery = XName.Get("query", "urn:xmppdotnet:test:echo");

    [Test]
    public async Task Two_users_exchange_a_message_an_iq_and_disco_info_between_full_jids()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        TestAccount bob = await TestAccount.RegisterAsync(Server, "bob");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        XmppClient b = Clients.Add(Builder(Server, bob, "phone").WithServerCertificateValidation(Server.ValidateServerCertificate));
        using var bobInbox = new Inbox(b);
        var echoRequests = new List<XElement>();
        using IDisposable echo = b.AddStanzaHandler(
            stanza => Stanza.IsIqRequest(stanza) && stanza.Element(EchoQuery) is not null,
            request =>
            {
                echoRequests.Add(request);
                _ = b.SendAsync(Stanza.ResultFor(request, new XElement(EchoQuery, "echo: " + request.Element(EchoQuery)!.Value)));
                return ValueTask.FromResult(true);
            });

        await a.ConnectAsync().WaitAsync(Bound);
        await b.ConnectAsync().WaitAsync(Bound);
        await a.SendAsync(ChatMessage(b.Jid, "hello from alice")).WaitAsync(Bound);
        XElement message = await bobInbox.NextMessageAsync();
        XElement answer = await a.SendIqAsync(Stanza.Iq("get", a.NextId(), b.Jid, new XElement(EchoQuery, "marco"))).WaitAsync(Bound);
        IReadOnlySet<string> bobFeatures = await a.QueryFeaturesAsync(b.Jid).WaitAsync(Bound);
        IReadOnlySet<string> aliceFeatures = await b.QueryFeaturesAsync(a.Jid).WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(a.State, Is.EqualTo(SessionState.Online));
            Assert.That(a.Jid, Is.EqualTo(alice.Jid.WithResource("desk")));
            Assert.That(b.Jid, Is.EqualTo(bob.Jid.WithResource("phone")));
            Assert.That(Body(message), Is.EqualTo("hello from alice"));
            Assert.That(Stanza.GetFrom(message), Is.EqualTo(a.Jid), "the server stamps the sender's full JID");
            Assert.That(Stanza.GetTo(message), Is.EqualTo(b.Jid));
            Assert.That(echoRequests.Select(Stanza.GetFrom), Is.EqualTo(new[] { a.Jid }));
            Assert.That(Stanza.GetType(answer), Is.EqualTo("result"));
            Assert.That(Stanza.GetFrom(answer), Is.EqualTo(b.Jid));
            Assert.That(answer.Element(EchoQuery)?.Value, Is.EqualTo("echo: marco"));
            Assert.That(bobFeatures, Is.SupersetOf(new[] { XmppNamespaces.DiscoInfo, XmppNamespaces.Ping }));
            Assert.That(aliceFeatures, Is.SupersetOf(new[] { XmppNamespaces.DiscoInfo, XmppNamespaces.Ping }));
        });
    }

    [Test]
    public async Task An_iq_to_an_offline_full_jid_is_answered_service_unavailable_by_the_server()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        TestAccount bob = await TestAccount.RegisterAsync(Server, "bob");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        await a.ConnectAsync().WaitAsync(Bound);
        Jid nobody = bob.Jid.WithResource("never-logged-in");

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(async () => await a.QueryFeaturesAsync(nobody).WaitAsync(Bound));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
            Assert.That(error.Error.Type, Is.EqualTo(StanzaErrorType.Cancel));
            Assert.That(Stanza.GetFrom(error.Stanza!), Is.EqualTo(nobody));
            Assert.That(a.State, Is.EqualTo(SessionState.Online), "a stanza error does not end the session");
        });
    }

    [Test]
    public async Task An_iq_no_handler_takes_is_answered_service_unavailable_by_the_client_itself()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        TestAccount bob = await TestAccount.RegisterAsync(Server, "bob");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        XmppClient b = Clients.Add(Builder(Server, bob, "phone"));
        using var bobInbox = new Inbox(b);
        await a.ConnectAsync().WaitAsync(Bound);
        await b.ConnectAsync().WaitAsync(Bound);
        var unknown = new XElement(XName.Get("query", "urn:xmppdotnet:test:nobody-handles-this"));

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await a.SendIqAsync(Stanza.Iq("get", a.NextId(), b.Jid, unknown)).WaitAsync(Bound));
        await a.SendAsync(ChatMessage(b.Jid, "after the iq")).WaitAsync(Bound);
        XElement next = await bobInbox.NextAsync(stanza => !Stanza.IsPresence(stanza), "message or iq");

        Assert.Multiple(() =>
        {
            Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
            Assert.That(error.Error.Type, Is.EqualTo(StanzaErrorType.Cancel));
            Assert.That(Stanza.GetFrom(error.Stanza!), Is.EqualTo(b.Jid), "answered by the online client, not by the server");
            Assert.That(Body(next), Is.EqualTo("after the iq"), "the IQ request never reached the application");
        });
    }

    [Test]
    public async Task A_wrong_password_fails_with_not_authorized()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        XmppClient a = Clients.Add(Builder(Server, alice with { Password = "not " + alice.Password }, "desk"));

        XmppAuthenticationException? error = await Assert.ThrowsAsync<XmppAuthenticationException>(async () => await a.ConnectAsync().WaitAsync(Bound));

        Assert.That(error!.Condition, Is.EqualTo("not-authorized"));
        Assert.That(a.State, Is.EqualTo(SessionState.Closed));
    }

    [Test]
    public async Task The_default_certificate_validation_refuses_the_self_signed_server()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        XmppClient a = Clients.Add(new XmppClientBuilder()
            .WithJid(alice.Jid)
            .WithPassword(alice.Password)
            .WithTcpServer(Server.Host, Server.Port));

        await Assert.ThrowsAsync<XmppConnectionException>(async () => await a.ConnectAsync().WaitAsync(Bound));

        Assert.That(a.State, Is.EqualTo(SessionState.Closed));
    }

    [Test]
    public async Task A_stanza_over_the_server_limit_ends_the_session_with_policy_violation()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        TestAccount bob = await TestAccount.RegisterAsync(Server, "bob");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        await a.ConnectAsync().WaitAsync(Bound);
        using var end = new SessionEnd(a);

        // Prosody's c2s_stanza_size_limit is 256 KiB by default. The server may close before the
        // write has finished, so the send may succeed or fail; the session's end is what counts.
        Task sending = a.SendAsync(ChatMessage(bob.Jid, new string('x', 300_000)));
        SessionClosedEventArgs closed = await end.Task;
        await Task.WhenAny(sending).WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(closed.Reason, Is.EqualTo(SessionCloseReason.StreamError));
            Assert.That(closed.Error, Is.InstanceOf<XmppStreamErrorException>().With.Property(nameof(XmppStreamErrorException.Condition)).EqualTo("policy-violation"));
            Assert.That(a.State, Is.EqualTo(SessionState.Closed));
        });
    }

    [Test]
    public async Task DisconnectAsync_closes_the_stream_gracefully()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        await a.ConnectAsync().WaitAsync(Bound);
        using var end = new SessionEnd(a);

        await a.DisconnectAsync().WaitAsync(Bound);
        SessionClosedEventArgs closed = await end.Task;

        Assert.Multiple(() =>
        {
            Assert.That(a.State, Is.EqualTo(SessionState.Closed));
            Assert.That(closed.Reason, Is.EqualTo(SessionCloseReason.ClosedLocally));
            Assert.That(closed.Error, Is.Null);
            Assert.That(a.Channel?.Active, Is.Not.True);
        });
    }
}
