using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.StreamManagement;

namespace XmppDotNet.Xtls.Host.Tests.StreamManagement;

/// <summary>XEP-0198 between the client and a scripted server: enable, acks, resumption and its failures.</summary>
[TestFixture]
public sealed class ResumptionTests
{
    private static readonly TimeSpan Bound = ScriptedSmServer.Bound;

    [Test]
    public async Task Stream_management_is_enabled_after_binding_and_ack_requests_are_answered_with_the_handled_count()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var received = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StanzaReceived += (_, e) => received.TrySetResult(e.Stanza);
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "the client enabled stream management");
        XElement enable = server.Management.Single();
        Assert.That((string?)enable.Attribute("resume"), Is.EqualTo("true"));

        await server.SendAsync(Message("romeo@sm.test/orchard", "one"));
        await received.Task.WaitAsync(Bound);
        await server.SendAsync(new XElement(XName.Get("r", XmppNamespaces.StreamManagement)));

        await Waits.UntilAsync(() => server.Management.Any(e => e.Name.LocalName == "a"), "the client answered r");
        Assert.That((string?)server.Management.Single(e => e.Name.LocalName == "a").Attribute("h"), Is.EqualTo("1"));
    }

    [Test]
    public async Task With_stream_management_off_nothing_is_sent_and_a_lost_connection_ends_the_session()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build(b => b.WithStreamManagement(o => o.Enabled = false));
        var closed = Closed(client);
        await client.ConnectAsync().WaitAsync(Bound);
        await client.SendAsync(Message("juliet@sm.test", "plain"));
        await server.WaitForReceivedAsync(1);

        await server.CutAsync();

        Assert.That((await closed.Task.WaitAsync(Bound)).Reason, Is.EqualTo(SessionCloseReason.ConnectionLost));
        Assert.That(server.Management, Is.Empty);
        Assert.That(server.Connections, Is.EqualTo(1));
    }

    [Test]
    public async Task After_a_cut_exactly_the_unacknowledged_stanzas_are_sent_again_in_order_and_nothing_twice()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var resumed = Resumed(client);
        var closed = Closed(client);
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        await client.SendAsync(Message("juliet@sm.test", "1"));
        await client.SendAsync(Message("juliet@sm.test", "2"));
        await server.WaitForReceivedAsync(2);

        server.LoseInbound = true;
        await client.SendAsync(Message("juliet@sm.test", "3"));
        await client.SendAsync(Message("juliet@sm.test", "4"));
        await Waits.UntilAsync(() => Volatile.Read(ref server.Lost) == 2, "two stanzas were lost");
        server.LoseInbound = false;
        await server.CutAsync();

        SessionResumedEventArgs args = await resumed.Task.WaitAsync(Bound);
        await server.WaitForReceivedAsync(4);
        Assert.Multiple(() =>
        {
            Assert.That(args.Resent, Is.EqualTo(2));
            Assert.That(Bodies(server), Is.EqualTo(Seq("1", "2", "3", "4")));
            Assert.That(client.State, Is.EqualTo(SessionState.Online));
            Assert.That(server.Connections, Is.EqualTo(2));
            Assert.That(closed.Task.IsCompleted, Is.False, "a resumed session did not end");
            Assert.That(client.Channel!.Active, Is.True, "the same session channel");
        });
    }

    [Test]
    public async Task Stanzas_sent_while_the_connection_is_down_wait_for_the_resumption_and_follow_the_resent_ones()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectionLost += (_, _) => lost.TrySetResult();
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        server.LoseInbound = true;
        await client.SendAsync(Message("juliet@sm.test", "in flight"));
        await Waits.UntilAsync(() => Volatile.Read(ref server.Lost) == 1, "the stanza was lost");
        server.LoseInbound = false;
        server.HoldResume();
        await server.CutAsync();
        await lost.Task.WaitAsync(Bound);
        Assert.That(client.State, Is.EqualTo(SessionState.Resuming));

        Task first = client.SendAsync(Message("juliet@sm.test", "during 1"));
        Task second = client.SendAsync(Message("juliet@sm.test", "during 2"));
        await Waits.UntilAsync(() => Volatile.Read(ref server.Connections) == 2, "the client reconnected");
        Assert.Multiple(() =>
        {
            Assert.That(first.IsCompleted, Is.False);
            Assert.That(second.IsCompleted, Is.False);
            Assert.That(server.Received, Is.Empty);
        });

        server.ReleaseResume();
        await Task.WhenAll(first, second).WaitAsync(Bound);
        await server.WaitForReceivedAsync(3);
        Assert.That(Bodies(server), Is.EqualTo(Seq("in flight", "during 1", "during 2")));
    }

    [Test]
    public async Task A_pending_iq_stays_pending_across_a_resumption_and_gets_its_answer_after_it()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var resumed = Resumed(client);
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        var ping = new XElement(XName.Get("iq", XmppNamespaces.Client), new XAttribute("type", "get"), new XAttribute("to", "sm.test"), new XElement(XName.Get("ping", XmppNamespaces.Ping)));
        Task<XElement> answer = client.SendIqAsync(ping);
        await server.WaitForReceivedAsync(1);
        string id = (string)server.Received.Single().Attribute("id")!;

        await server.CutAsync();
        await resumed.Task.WaitAsync(Bound);
        Assert.That(answer.IsCompleted, Is.False);
        await server.SendAsync(new XElement(XName.Get("iq", XmppNamespaces.Client), new XAttribute("type", "result"), new XAttribute("id", id), new XAttribute("from", "sm.test")));

        XElement result = await answer.WaitAsync(Bound);
        Assert.That((string?)result.Attribute("id"), Is.EqualTo(id));
    }

    [Test]
    public async Task A_refused_resumption_reports_the_unacknowledged_stanzas_fails_waiting_sends_and_pending_iqs_and_closes_once()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var failed = new TaskCompletionSource<ResumptionFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ResumptionFailed += (_, e) => failed.TrySetResult(e);
        int closedCount = 0;
        var closed = Closed(client);
        client.Closed += (_, _) => Interlocked.Increment(ref closedCount);
        server.ResumeAnswer = _ => new XElement(XName.Get("failed", XmppNamespaces.StreamManagement), new XElement(XName.Get("item-not-found", "urn:ietf:params:xml:ns:xmpp-stanzas")));
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        server.LoseInbound = true;
        await client.SendAsync(Message("juliet@sm.test", "never acknowledged"));
        Task<XElement> iq = client.SendIqAsync(new XElement(XName.Get("iq", XmppNamespaces.Client), new XAttribute("type", "get"), new XAttribute("to", "sm.test"), new XElement(XName.Get("ping", XmppNamespaces.Ping))));
        await Waits.UntilAsync(() => Volatile.Read(ref server.Lost) == 2, "both stanzas were lost");
        server.HoldResume();
        await server.CutAsync();
        await Waits.UntilAsync(() => client.State == SessionState.Resuming, "the client is resuming");
        Task waiting = client.SendAsync(Message("juliet@sm.test", "during"));
        server.ReleaseResume();

        ResumptionFailedEventArgs args = await failed.Task.WaitAsync(Bound);
        SessionClosedEventArgs end = await closed.Task.WaitAsync(Bound);
        Assert.Multiple(() =>
        {
            Assert.That(args.Unacknowledged.Select(s => s.Name.LocalName == "message" ? s.Value : "iq"), Is.EqualTo(Seq("never acknowledged", "iq", "during")));
            Assert.That(args.Failure.Message, Does.Contain("item-not-found"));
            Assert.That(end.Reason, Is.EqualTo(SessionCloseReason.ConnectionLost));
            Assert.That(client.State, Is.EqualTo(SessionState.Closed));
        });
        await Assert.ThrowsAsync<XmppResumptionFailedException>(async () => await waiting.WaitAsync(Bound));
        await Assert.ThrowsAsync<XmppConnectionException>(async () => await iq.WaitAsync(Bound));
        Assert.That(closedCount, Is.EqualTo(1));
        Assert.That(server.Received, Is.Empty);
    }

    [Test]
    public async Task A_refused_resumption_is_followed_by_a_new_session_when_asked_for()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build(b => b.WithStreamManagement(o => o.NewSessionAfterFailedResumption = true));
        var failed = new TaskCompletionSource<ResumptionFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ResumptionFailed += (_, e) => failed.TrySetResult(e);
        var closed = Closed(client);
        server.ResumeAnswer = _ => new XElement(XName.Get("failed", XmppNamespaces.StreamManagement), new XElement(XName.Get("item-not-found", "urn:ietf:params:xml:ns:xmpp-stanzas")));
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        server.Enabled = false;

        await server.CutAsync();

        Assert.That((await failed.Task.WaitAsync(Bound)).StartsNewSession, Is.True);
        await closed.Task.WaitAsync(Bound);
        await Waits.UntilAsync(() => client.State == SessionState.Online && server.Enabled, "a new session is online");
        await client.SendAsync(Message("juliet@sm.test", "new session"));
        await server.WaitForReceivedAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(Volatile.Read(ref server.Connections), Is.EqualTo(3), "the first, the refused resumption, the new session");
            Assert.That(Bodies(server), Is.EqualTo(Seq("new session")));
        });
    }

    [Test]
    public async Task Disconnecting_while_resuming_ends_the_session_locally_and_fails_the_waiting_sends()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var closed = Closed(client);
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        server.HoldResume();
        await server.CutAsync();
        await Waits.UntilAsync(() => client.State == SessionState.Resuming, "the client is resuming");
        Task waiting = client.SendAsync(Message("juliet@sm.test", "during"));

        await client.DisconnectAsync().WaitAsync(Bound);
        server.ReleaseResume();

        Assert.That((await closed.Task.WaitAsync(Bound)).Reason, Is.EqualTo(SessionCloseReason.ClosedLocally));
        await Assert.ThrowsAsync<XmppConnectionException>(async () => await waiting.WaitAsync(Bound));
        Assert.That(client.State, Is.EqualTo(SessionState.Closed));
        Assert.That(server.Received, Is.Empty);
    }

    [Test]
    public async Task When_every_reconnection_fails_the_resumption_gives_up_after_the_configured_attempts()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build(b => b.WithStreamManagement(o => o.MaxResumeAttempts = 3));
        var failed = new TaskCompletionSource<ResumptionFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ResumptionFailed += (_, e) => failed.TrySetResult(e);
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        server.CutOnResume = true;

        await server.CutAsync();

        ResumptionFailedEventArgs args = await failed.Task.WaitAsync(Bound);
        Assert.Multiple(() =>
        {
            Assert.That(Volatile.Read(ref server.Resumptions), Is.EqualTo(3));
            Assert.That(args.Failure.InnerException, Is.Not.Null);
            Assert.That(client.State, Is.EqualTo(SessionState.Closed));
        });
    }

    [Test]
    public async Task An_ack_for_more_than_was_sent_ends_the_stream_with_undefined_condition()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var closed = Closed(client);
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        await client.SendAsync(Message("juliet@sm.test", "one"));
        await server.WaitForReceivedAsync(1);

        await server.SendAsync(new XElement(XName.Get("a", XmppNamespaces.StreamManagement), new XAttribute("h", "5")));

        SessionClosedEventArgs end = await closed.Task.WaitAsync(Bound);
        await Waits.UntilAsync(() => !server.StreamErrors.IsEmpty, "the client sent a stream error");
        XElement error = server.StreamErrors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(end.Reason, Is.EqualTo(SessionCloseReason.StreamError));
            Assert.That(end.Error, Is.InstanceOf<XmppStreamErrorException>());
            Assert.That(error.Element(XName.Get("undefined-condition", XmppNamespaces.StreamErrors)), Is.Not.Null);
            Assert.That(error.Value, Does.Contain("h beyond sent"));
            Assert.That(server.Connections, Is.EqualTo(1), "a protocol violation is not resumed");
        });
    }

    [Test]
    public async Task A_forged_resumed_with_an_h_beyond_what_was_sent_fails_the_resumption_and_delivers_nothing_twice()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var failed = new TaskCompletionSource<ResumptionFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ResumptionFailed += (_, e) => failed.TrySetResult(e);
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        await client.SendAsync(Message("juliet@sm.test", "one"));
        await server.WaitForReceivedAsync(1);
        server.ResumeAnswer = _ => new XElement(XName.Get("resumed", XmppNamespaces.StreamManagement), new XAttribute("previd", server.ResumeId), new XAttribute("h", "40"));

        await server.CutAsync();

        ResumptionFailedEventArgs args = await failed.Task.WaitAsync(Bound);
        Assert.Multiple(() =>
        {
            Assert.That(args.Failure.InnerException, Is.InstanceOf<XmppStreamErrorException>());
            Assert.That(((XmppStreamErrorException)args.Failure.InnerException!).Text, Does.Contain("h beyond sent"));
            Assert.That(Bodies(server), Is.EqualTo(Seq("one")));
            Assert.That(client.State, Is.EqualTo(SessionState.Closed));
        });
    }

    [Test]
    public async Task A_full_unacknowledged_queue_fails_the_next_send_with_a_typed_exception_and_sends_nothing()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build(b => b.WithStreamManagement(o => o.MaxUnacknowledgedStanzas = 3));
        server.IgnoreAckRequests = true;
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        for (int i = 1; i <= 3; i++)
        {
            await client.SendAsync(Message("juliet@sm.test", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await Assert.ThrowsAsync<XmppUnacknowledgedQueueFullException>(async () => await client.SendAsync(Message("juliet@sm.test", "4")).WaitAsync(Bound));
        await server.WaitForReceivedAsync(3);
        await client.Channel!.EventLoop.SubmitAsync(() => true).WaitAsync(Bound);
        Assert.That(Bodies(server), Is.EqualTo(Seq("1", "2", "3")));

        // Once the server acknowledges, there is room again.
        server.IgnoreAckRequests = false;
        await server.SendAsync(new XElement(XName.Get("a", XmppNamespaces.StreamManagement), new XAttribute("h", "3")));
        await Waits.UntilAsync(() => TrySend(client, Message("juliet@sm.test", "5")), "the queue has room again");
        await server.WaitForReceivedAsync(4);
        Assert.That(Bodies(server).Last(), Is.EqualTo("5"));
    }

    private static bool TrySend(XmppClient client, XElement stanza)
    {
        try
        {
            client.SendAsync(stanza).Wait(Bound);
            return true;
        }
        catch (AggregateException e) when (e.InnerException is XmppUnacknowledgedQueueFullException)
        {
            return false;
        }
    }

    private static string[] Bodies(ScriptedSmServer server) => [.. server.Received.Select(s => s.Value)];

    private static string[] Seq(params string[] items) => items;

    private static XElement Message(string to, string body) =>
        new(XName.Get("message", XmppNamespaces.Client), new XAttribute("to", to), new XAttribute("type", "chat"), new XElement(XName.Get("body", XmppNamespaces.Client), body));

    private static TaskCompletionSource<SessionClosedEventArgs> Closed(XmppClient client)
    {
        var closed = new TaskCompletionSource<SessionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Closed += (_, e) => closed.TrySetResult(e);
        return closed;
    }

    private static TaskCompletionSource<SessionResumedEventArgs> Resumed(XmppClient client)
    {
        var resumed = new TaskCompletionSource<SessionResumedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Resumed += (_, e) => resumed.TrySetResult(e);
        return resumed;
    }
}
