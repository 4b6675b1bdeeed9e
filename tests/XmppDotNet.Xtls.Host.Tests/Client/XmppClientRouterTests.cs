using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Tests.Client;

public class XmppClientRouterTests
{
    private static readonly string[] ObserverOrder = ["observer", "async observer", "consumer", "observer", "async observer"];

    private RouterFixture _fixture = null!;

    [SetUp]
    public async Task SetUp() => _fixture = await RouterFixture.StartAsync();

    [TearDown]
    public async Task TearDown() => await _fixture.DisposeAsync();

    [Test]
    public async Task Two_clients_log_in_and_exchange_a_message()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony");
        var received = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        juliet.StanzaReceived += (_, e) =>
        {
            if (e.Stanza.Name.LocalName == "message")
            {
                received.TrySetResult(e.Stanza);
            }
        };

        await romeo.SendAsync(RouterFixture.Message(juliet.Jid.ToString(), "Wherefore art thou?"));
        XElement message = await received.Task.WaitAsync(RouterFixture.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(romeo.Jid.ToString(), Is.EqualTo("romeo@capulet.lit/orchard"));
            Assert.That(romeo.State, Is.EqualTo(SessionState.Online));
            Assert.That((string?)message.Attribute("from"), Is.EqualTo("romeo@capulet.lit/orchard"));
            Assert.That(message.Element(XName.Get("body", XmppNamespaces.Client))?.Value, Is.EqualTo("Wherefore art thou?"));
        });
    }

    [Test]
    public async Task An_iq_between_full_jids_is_answered_through_a_registered_handler()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony");
        XName query = XName.Get("query", "urn:example:time");
        juliet.AddStanzaHandler(
            s => Stanza.IsIqRequest(s) && s.Element(query) is not null,
            async s =>
            {
                await juliet.SendAsync(Stanza.ResultFor(s, new XElement(query, "midnight")));
                return true;
            });

        XElement result = await romeo.SendIqAsync(Stanza.Iq("get", romeo.NextId(), juliet.Jid, new XElement(query))).WaitAsync(RouterFixture.Bound);

        Assert.That(result.Element(query)?.Value, Is.EqualTo("midnight"));
        Assert.That(Stanza.GetFrom(result), Is.EqualTo(juliet.Jid));
    }

    [Test]
    public async Task An_iq_nobody_handles_is_answered_with_service_unavailable()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony");

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await romeo.SendIqAsync(Stanza.Iq("get", romeo.NextId(), juliet.Jid, new XElement(XName.Get("query", "urn:example:unknown")))).WaitAsync(RouterFixture.Bound));

        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
    }

    [Test]
    public async Task An_iq_to_an_offline_full_jid_comes_back_as_service_unavailable()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await romeo.QueryFeaturesAsync(Jid.Parse("juliet@capulet.lit/nowhere")).WaitAsync(RouterFixture.Bound));

        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
    }

    [Test]
    public async Task Disco_info_lists_the_session_features_including_those_plugins_add()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony", b => b.WithSessionInitializer(s => s.Features.Add("urn:example:plugin")));

        IReadOnlySet<string> features = await romeo.QueryFeaturesAsync(juliet.Jid).WaitAsync(RouterFixture.Bound);

        Assert.That(features, Is.SupersetOf(new[] { XmppNamespaces.DiscoInfo, XmppNamespaces.Ping, "urn:example:plugin" }));
    }

    [Test]
    public async Task A_wrong_password_fails_with_a_typed_authentication_error()
    {
        XmppClient romeo = _fixture.Build("romeo", "wrong", "orchard");

        XmppAuthenticationException? error = await Assert.ThrowsAsync<XmppAuthenticationException>(async () => await romeo.ConnectAsync().WaitAsync(RouterFixture.Bound));

        Assert.That(error!.Condition, Is.EqualTo("not-authorized"));
        Assert.That(romeo.State, Is.EqualTo(SessionState.Closed));
    }

    [Test]
    public async Task An_unknown_user_fails_like_a_wrong_password()
    {
        XmppClient mallory = _fixture.Build("mallory", "whatever", "x");

        XmppAuthenticationException? error = await Assert.ThrowsAsync<XmppAuthenticationException>(async () => await mallory.ConnectAsync().WaitAsync(RouterFixture.Bound));

        Assert.That(error!.Condition, Is.EqualTo("not-authorized"));
    }

    [Test]
    public async Task The_server_ending_the_stream_closes_the_session_with_the_reason()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        var closed = new TaskCompletionSource<SessionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        romeo.Closed += (_, e) => closed.TrySetResult(e);

        Assert.That(_fixture.Router.Disconnect(romeo.Jid), Is.True);
        SessionClosedEventArgs args = await closed.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(args.Reason, Is.EqualTo(SessionCloseReason.StreamError));
        Assert.That(args.Error, Is.TypeOf<XmppStreamErrorException>().With.Property(nameof(XmppStreamErrorException.Condition)).EqualTo("system-shutdown"));
        Assert.That(romeo.State, Is.EqualTo(SessionState.Closed));
        Assert.That(() => romeo.SendAsync(RouterFixture.Message("juliet@capulet.lit", "hello?")), Throws.InvalidOperationException);
    }

    [Test]
    public async Task A_new_login_of_the_same_resource_replaces_the_old_session()
    {
        XmppClient first = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        var closed = new TaskCompletionSource<SessionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Closed += (_, e) => closed.TrySetResult(e);

        XmppClient second = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        SessionClosedEventArgs args = await closed.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(args.Error, Is.TypeOf<XmppStreamErrorException>().With.Property(nameof(XmppStreamErrorException.Condition)).EqualTo("conflict"));
        Assert.That(second.State, Is.EqualTo(SessionState.Online));
    }

    [Test]
    public async Task Unavailable_presence_reaches_the_others_when_a_session_ends()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony");
        var gone = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        romeo.StanzaReceived += (_, e) =>
        {
            if (e.Stanza.Name.LocalName == "presence" && Stanza.GetType(e.Stanza) == "unavailable")
            {
                gone.TrySetResult(e.Stanza);
            }
        };

        await juliet.DisconnectAsync().WaitAsync(RouterFixture.Bound);
        XElement presence = await gone.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(Stanza.GetFrom(presence), Is.EqualTo(Jid.Parse("juliet@capulet.lit/balcony")));
        Assert.That(juliet.State, Is.EqualTo(SessionState.Closed));
    }

    [Test]
    public async Task A_closed_client_can_connect_again()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        await romeo.DisconnectAsync().WaitAsync(RouterFixture.Bound);
        Assert.That(romeo.State, Is.EqualTo(SessionState.Closed));

        await romeo.ConnectAsync().WaitAsync(RouterFixture.Bound);

        Assert.That(romeo.State, Is.EqualTo(SessionState.Online));
    }

    [Test]
    public async Task A_throwing_router_observer_does_not_break_routing()
    {
        _fixture.Router.StanzaRouted += (_, _) => throw new InvalidOperationException("observer bug");
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony");
        var received = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        juliet.StanzaReceived += (_, e) =>
        {
            if (e.Stanza.Name.LocalName == "message")
            {
                received.TrySetResult(e.Stanza);
            }
        };

        await romeo.SendAsync(RouterFixture.Message(juliet.Jid.ToString(), "still here"));

        Assert.That((await received.Task.WaitAsync(RouterFixture.Bound)).Value, Is.EqualTo("still here"));
        Assert.That(romeo.State, Is.EqualTo(SessionState.Online));
    }

    [Test]
    public async Task Handlers_that_decline_a_stanza_leave_it_to_the_next_handler_and_the_application()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony");
        var seenBy = new List<string>();
        var delivered = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        static bool IsMessage(XElement s) => s.Name.LocalName == "message";
        juliet.AddStanzaHandler(IsMessage, _ =>
        {
            seenBy.Add("observer");
            return ValueTask.FromResult(false);
        });
        juliet.AddStanzaHandler(IsMessage, async s =>
        {
            await Task.Yield();
            seenBy.Add("async observer");
            return false;
        });
        juliet.AddStanzaHandler(s => IsMessage(s) && s.Value == "take me", _ =>
        {
            seenBy.Add("consumer");
            consumed.TrySetResult();
            return ValueTask.FromResult(true);
        });
        juliet.StanzaReceived += (_, e) =>
        {
            if (IsMessage(e.Stanza))
            {
                delivered.TrySetResult(e.Stanza);
            }
        };

        await romeo.SendAsync(RouterFixture.Message(juliet.Jid.ToString(), "take me"));
        await consumed.Task.WaitAsync(RouterFixture.Bound);
        await romeo.SendAsync(RouterFixture.Message(juliet.Jid.ToString(), "leave me"));
        XElement reached = await delivered.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(reached.Value, Is.EqualTo("leave me"), "the consumed message never reached the application");
        Assert.That(seenBy, Is.EqualTo(ObserverOrder));
    }
}
