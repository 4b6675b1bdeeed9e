using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.StreamManagement;

namespace XmppDotNet.Xtls.Host.Tests.StreamManagement;

/// <summary>
/// A server that lies in XEP-0198 (forged resumptions, impossible counts, missing ids) cannot make the client lose
/// or repeat a stanza silently: the resumption fails with a stream error, or the loss is reported; and what the
/// protocol cannot detect is bounded by the IQ timeout. Rows of the hostile-input catalogue (stream management).
/// </summary>
[TestFixture]
public sealed class HostileServerTests
{
    private static readonly TimeSpan Bound = ScriptedSmServer.Bound;
    private static readonly XName FailedName = XName.Get("failed", XmppNamespaces.StreamManagement);
    private static readonly XName ResumedName = XName.Get("resumed", XmppNamespaces.StreamManagement);

    [Test]
    public async Task A_refused_resumption_with_h_reports_only_what_the_server_did_not_get()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var failed = Failed(client);
        server.IgnoreAckRequests = true;
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        await client.SendAsync(Message("one"));
        await client.SendAsync(Message("two"));
        await server.WaitForReceivedAsync(2);
        server.LoseInbound = true;
        await client.SendAsync(Message("three"));
        await Waits.UntilAsync(() => Volatile.Read(ref server.Lost) == 1, "the third stanza was lost");
        server.ResumeAnswer = _ => new XElement(FailedName, new XAttribute("h", server.Handled.ToString(CultureInfo.InvariantCulture)), new XElement(XName.Get("item-not-found", "urn:ietf:params:xml:ns:xmpp-stanzas")));

        await server.CutAsync();

        ResumptionFailedEventArgs args = await failed.Task.WaitAsync(Bound);
        Assert.That(args.Unacknowledged.Select(s => s.Value), Is.EqualTo(Seq("three")), "the server's h=2 covered one and two");
    }

    [Test]
    public async Task A_forged_resumed_for_another_session_fails_the_resumption_with_a_stream_error()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var failed = Failed(client);
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        await client.SendAsync(Message("one"));
        await server.WaitForReceivedAsync(1);
        server.ResumeAnswer = _ => new XElement(ResumedName, new XAttribute("previd", "someone-else"), new XAttribute("h", server.Handled.ToString(CultureInfo.InvariantCulture)));

        await server.CutAsync();

        ResumptionFailedEventArgs args = await failed.Task.WaitAsync(Bound);
        await Waits.UntilAsync(() => !server.StreamErrors.IsEmpty, "the client sent a stream error");
        Assert.Multiple(() =>
        {
            Assert.That(args.Failure.InnerException, Is.InstanceOf<XmppStreamErrorException>());
            Assert.That(args.Failure.InnerException!.Message, Does.Contain("previd"));
            Assert.That(server.StreamErrors.Single().Element(XName.Get("undefined-condition", XmppNamespaces.StreamErrors)), Is.Not.Null);
            Assert.That(server.Received.Select(s => s.Value), Is.EqualTo(Seq("one")), "nothing was sent again into a stream the client did not ask for");
            Assert.That(client.State, Is.EqualTo(SessionState.Closed));
        });
    }

    [Test]
    public async Task A_resumed_that_acknowledges_stanzas_sent_during_the_outage_fails_the_resumption_and_the_waiting_send()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var failed = Failed(client);
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        server.HoldResume();
        await server.CutAsync();
        await Waits.UntilAsync(() => client.State == SessionState.Resuming, "the client is resuming");
        Task during = client.SendAsync(Message("during"));
        await client.Channel!.EventLoop.SubmitAsync(() => true).WaitAsync(Bound); // the write reached the queue

        // The server claims to have handled the stanza the client has not written to any connection yet.
        server.ResumeAnswer = _ => new XElement(ResumedName, new XAttribute("previd", server.ResumeId), new XAttribute("h", "1"));
        server.ReleaseResume();

        ResumptionFailedEventArgs args = await failed.Task.WaitAsync(Bound);
        Assert.Multiple(() =>
        {
            Assert.That(args.Failure.InnerException!.Message, Does.Contain("never written"));
            Assert.That(args.Unacknowledged.Select(s => s.Value), Is.EqualTo(Seq("during")), "reported, not dropped");
            Assert.That(server.Received, Is.Empty);
        });
        Assert.That(async () => await during.WaitAsync(Bound), Throws.InstanceOf<XmppResumptionFailedException>());
    }

    [Test]
    public async Task Enabled_without_an_id_grants_no_resumption_and_a_cut_ends_the_session_reporting_what_was_not_acknowledged()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        server.EnabledAnswer = () => new XElement(XName.Get("enabled", XmppNamespaces.StreamManagement), new XAttribute("resume", "true"));
        XmppClient client = server.Build();
        var failed = Failed(client);
        var closed = new TaskCompletionSource<SessionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Closed += (_, e) => closed.TrySetResult(e);
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        server.LoseInbound = true;
        await client.SendAsync(Message("lost with the connection"));
        await Waits.UntilAsync(() => Volatile.Read(ref server.Lost) == 1, "the stanza was lost");

        await server.CutAsync();

        SessionClosedEventArgs end = await closed.Task.WaitAsync(Bound);
        Assert.Multiple(() =>
        {
            Assert.That(end.Reason, Is.EqualTo(SessionCloseReason.ConnectionLost));
            Assert.That(end.Unacknowledged.Select(s => s.Value), Is.EqualTo(Seq("lost with the connection")), "not dropped silently");
            Assert.That(server.Connections, Is.EqualTo(1), "no resumption without an id to resume");
            Assert.That(server.Management.Count(e => e.Name.LocalName == "resume"), Is.Zero);
            Assert.That(failed.Task.IsCompleted, Is.False, "nothing was tried, so nothing failed");
        });
    }

    [Test]
    public async Task A_second_enabled_cannot_change_the_id_the_session_is_resumed_with()
    {
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build();
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Resumed += (_, _) => resumed.TrySetResult();
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        await server.SendAsync(new XElement(XName.Get("enabled", XmppNamespaces.StreamManagement), new XAttribute("id", "hijacked"), new XAttribute("resume", "true")));
        await client.SendAsync(Message("after the second enabled"));
        await server.WaitForReceivedAsync(1);

        await server.CutAsync();

        await resumed.Task.WaitAsync(Bound);
        XElement resume = server.Management.Single(e => e.Name.LocalName == "resume");
        Assert.That((string?)resume.Attribute("previd"), Is.EqualTo(server.ResumeId));
    }

    [Test]
    public async Task Iq_timeouts_keep_running_while_the_session_is_resuming()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build(b => b.Configure(o => o.TimeProvider = clock));
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Resumed += (_, _) => resumed.TrySetResult();
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        server.LoseInbound = true;
        Task<XElement> iq = client.SendIqAsync(Ping(), TimeSpan.FromSeconds(10));
        await Waits.UntilAsync(() => Volatile.Read(ref server.Lost) == 1, "the IQ was lost");
        server.LoseInbound = false;
        server.HoldResume();
        await server.CutAsync();
        await Waits.UntilAsync(() => client.State == SessionState.Resuming, "the client is resuming");

        clock.Advance(TimeSpan.FromSeconds(11));

        Assert.That(async () => await iq.WaitAsync(Bound), Throws.InstanceOf<XmppIqTimeoutException>(), "the caller's bound holds through an outage");
        Assert.That(client.State, Is.EqualTo(SessionState.Resuming));
        server.ReleaseResume();
        await resumed.Task.WaitAsync(Bound);
    }

    [Test]
    public async Task An_ack_for_a_stanza_the_server_never_got_cannot_be_detected_but_an_iq_still_ends_with_its_timeout()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using ScriptedSmServer server = await ScriptedSmServer.StartAsync();
        XmppClient client = server.Build(b => b.Configure(o => o.TimeProvider = clock));
        server.IgnoreAckRequests = true;
        await client.ConnectAsync().WaitAsync(Bound);
        await Waits.UntilAsync(() => server.Enabled, "enabled");
        server.LoseInbound = true;
        Task<XElement> iq = client.SendIqAsync(Ping(), TimeSpan.FromSeconds(10));
        await Waits.UntilAsync(() => Volatile.Read(ref server.Lost) == 1, "the IQ was lost");

        await server.SendAsync(new XElement(XName.Get("a", XmppNamespaces.StreamManagement), new XAttribute("h", "1")));
        await client.Channel!.EventLoop.SubmitAsync(() => true).WaitAsync(Bound);
        clock.Advance(TimeSpan.FromSeconds(11));

        Assert.That(async () => await iq.WaitAsync(Bound), Throws.InstanceOf<XmppIqTimeoutException>());
        Assert.That(client.State, Is.EqualTo(SessionState.Online));
    }

    private static TaskCompletionSource<ResumptionFailedEventArgs> Failed(XmppClient client)
    {
        var failed = new TaskCompletionSource<ResumptionFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ResumptionFailed += (_, e) => failed.TrySetResult(e);
        return failed;
    }

    private static string[] Seq(params string[] items) => items;

    private static XElement Ping() =>
        new(XName.Get("iq", XmppNamespaces.Client), new XAttribute("type", "get"), new XAttribute("to", ScriptedSmServer.Domain), new XElement(XName.Get("ping", XmppNamespaces.Ping)));

    private static XElement Message(string body) =>
        new(XName.Get("message", XmppNamespaces.Client), new XAttribute("to", "juliet@sm.test"), new XAttribute("type", "chat"), new XElement(XName.Get("body", XmppNamespaces.Client), body));
}
