using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// XTLS IQs out of their place in a tunnel's life (data after close, data before acceptance, start on
/// an open tunnel, a duplicated start, answers nobody asked for) and Base64 that is unusual but valid.
/// </summary>
public class LifecycleAbuseTests
{
    private const string Marker = "marker";

    [Test]
    public async Task Base64_wrapped_with_line_breaks_and_spaces_is_accepted_and_delivered()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq => [DataIq.WithText(iq, Wrapped(Convert.ToBase64String(DataIq.Payload(iq))))]);

        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "wrapped")).WaitAsync(XtlsPair.Bound);
        XElement delivered = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(delivered.Value, Is.EqualTo("wrapped"));
        Assert.That(delivered.IsFromXtlsTunnel(), Is.True);
    }

    [TestCase("")]
    [TestCase(" \n\t ")]
    public async Task An_empty_chunk_is_acknowledged_and_changes_nothing(string text)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var mitm = new ServerInTheMiddle(pair.Router);
        var wire = new Wire(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq => [DataIq.WithId(DataIq.WithText(iq, text), "empty-1"), iq]);

        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "after the empty chunk")).WaitAsync(XtlsPair.Bound);
        XElement answer = await wire.AnswerAsync(pair.Juliet.Jid, "empty-1");
        XElement delivered = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(Stanza.GetType(answer), Is.EqualTo("result"));
        Assert.That(delivered.Value, Is.EqualTo("after the empty chunk"));
        Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False);
        Assert.That(pair.JulietXtls.GetTunnel(pair.Romeo.Jid), Is.Not.Null);
    }

    [Test]
    public async Task Data_replayed_after_the_tunnel_closed_is_answered_item_not_found_and_not_delivered()
    {
        // The marker after the close goes in the clear on purpose.
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.DefaultContactPolicy = ContactPolicy.Off);
        var mitm = new ServerInTheMiddle(pair.Router);
        var wire = new Wire(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "said once")).WaitAsync(XtlsPair.Bound);
        Assert.That((await XtlsPair.NextMessageAsync(pair.JulietInbox)).Value, Is.EqualTo("said once"));
        XElement recorded = mitm.DataSent.Last(d => d.From == pair.Romeo.Jid).Iq;
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        // The server slips the old chunk in ahead of the next (clear) message.
        XElement replay = DataIq.WithId(recorded, "replayed-after-close");
        _ = mitm.Once(e => e.From == pair.Romeo.Jid && e.Stanza.Name == Stanza.MessageName, message => [replay, message]);
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, Marker)).WaitAsync(XtlsPair.Bound);
        XElement answer = await wire.AnswerAsync(pair.Juliet.Jid, "replayed-after-close");
        XElement next = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(Wire.Condition(answer), Is.EqualTo(StanzaErrorConditions.ItemNotFound));
        Assert.That(next.Value, Is.EqualTo(Marker), "nothing of the replay is delivered");
        Assert.That(next.IsFromXtlsTunnel(), Is.False);
        Assert.That(pair.JulietXtls.OpenTunnels, Is.Empty);
    }

    [Test]
    public async Task Data_before_the_request_is_accepted_is_answered_unexpected_request_and_the_request_is_refused()
    {
        var policy = new DecisionPolicy();
        await using XtlsPair pair = await XtlsPair.StartAsync(romeoOptions: o => o.AcceptIncoming = policy.AskAsync, configureRouter: r => r.AddAccount("nurse", "n-pass"));
        await using XmppClient nurse = await PlainClients.ConnectAsync(pair.Router, "nurse", "n-pass", "kitchen");

        Task<XElement> start = nurse.SendIqAsync(Stanza.Iq("set", nurse.NextId(), pair.Romeo.Jid, XtlsElements.Start()));
        DecisionPolicy.Question question = await policy.NextAsync();
        XmppStanzaException? dataError = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await nurse.SendIqAsync(DataIq.Data(nurse.NextId(), pair.Romeo.Jid, "FwMDAAEA")).WaitAsync(XtlsPair.Bound));
        XmppStanzaException? startError = await Assert.ThrowsAsync<XmppStanzaException>(async () => await start.WaitAsync(XtlsPair.Bound));
        question.Answer.SetResult(true);
        await Watch.EventLoopSettled(pair.Romeo);

        Assert.That(dataError!.Error.Condition, Is.EqualTo(StanzaErrorConditions.UnexpectedRequest));
        Assert.That(dataError.Error.Type, Is.EqualTo(StanzaErrorType.Cancel));
        Assert.That(startError!.Error.Condition, Is.EqualTo(StanzaErrorConditions.NotAcceptable));
        Assert.That(question.Withdrawn.IsCancellationRequested, Is.True, "the application's question is withdrawn");
        Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
    }

    [Test]
    public async Task A_request_the_application_leaves_undecided_is_refused_at_the_decision_timeout_and_its_question_withdrawn()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var policy = new DecisionPolicy();
        TimeSpan timeout = TimeSpan.FromSeconds(30);
        await using XtlsPair pair = await XtlsPair.StartAsync(
            romeoOptions: o =>
            {
                o.AcceptIncoming = policy.AskAsync;
                o.Tunnels.IncomingDecisionTimeout = timeout;
            },
            configureRouter: r => r.AddAccount("nurse", "n-pass"),
            romeoClock: clock);
        await using XmppClient nurse = await PlainClients.ConnectAsync(pair.Router, "nurse", "n-pass", "kitchen");
        Task<XtlsTunnelClosedEventArgs> closed = Watch.NextClosed(pair.RomeoXtls);

        Task<XElement> start = nurse.SendIqAsync(Stanza.Iq("set", nurse.NextId(), pair.Romeo.Jid, XtlsElements.Start()));
        DecisionPolicy.Question question = await policy.NextAsync();
        await Watch.EventLoopSettled(pair.Romeo);
        clock.Advance(timeout);
        XmppStanzaException? refused = await Assert.ThrowsAsync<XmppStanzaException>(async () => await start.WaitAsync(XtlsPair.Bound));
        XtlsTunnelClosedEventArgs ended = await closed;
        question.Answer.SetResult(true);
        await Watch.EventLoopSettled(pair.Romeo);

        Assert.That(refused!.Error.Condition, Is.EqualTo(StanzaErrorConditions.NotAcceptable));
        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.DecisionTimeout));
        Assert.That(question.Withdrawn.IsCancellationRequested, Is.True);
        Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
    }

    [Test]
    public async Task A_start_slipped_in_while_a_tunnel_is_open_replaces_the_tunnel_and_nothing_is_delivered_through_the_stale_one()
    {
        // Juliet accepts the real start at once and leaves the forged one undecided.
        int asked = 0;
        var never = new TaskCompletionSource<bool>();
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => o.AcceptIncoming = (_, _) =>
            Interlocked.Increment(ref asked) == 1 ? ValueTask.FromResult(true) : new ValueTask<bool>(never.Task));
        var mitm = new ServerInTheMiddle(pair.Router);
        var wire = new Wire(pair.Router);
        await OpenTunnel.SettledAsync(pair);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(pair.RomeoXtls);

        // The server slips a start "from Romeo" in ahead of his next chunk.
        _ = mitm.Once(ServerInTheMiddle.DataFrom(pair.Romeo.Jid), iq => [Stanza.Iq("set", "forged-start", pair.Juliet.Jid, XtlsElements.Start(), pair.Romeo.Jid), iq]);
        Task sent = pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "into the replaced tunnel"));
        XtlsTunnelClosedEventArgs atJuliet = await julietClosed;
        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await sent.WaitAsync(XtlsPair.Bound));
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;
        XElement startAnswer = await wire.FirstAsync(e => e.From == pair.Juliet.Jid && Stanza.GetId(e.Stanza) == "forged-start");

        Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.Replaced));
        Assert.That(atJuliet.WasOpen, Is.True);
        Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.PeerError));
        Assert.That(atRomeo.Detail, Does.Contain(StanzaErrorConditions.UnexpectedRequest), "the chunk met the new request, still undecided");
        Assert.That(Wire.Condition(startAnswer), Is.EqualTo(StanzaErrorConditions.NotAcceptable), "the forged request is refused when the data breaks it");
        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.PeerError));
        Assert.That(pair.JulietInbox.Reader.TryRead(out _), Is.False);
    }

    [Test]
    public async Task A_start_duplicated_in_transit_is_asked_and_answered_once_and_the_tunnel_opens()
    {
        var policy = new DecisionPolicy();
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => o.AcceptIncoming = policy.AskAsync);
        var wire = new Wire(pair.Router);
        var mitm = new ServerInTheMiddle(pair.Router);
        _ = mitm.Once(e => e.From == pair.Romeo.Jid && Wire.IsRequest(e.Stanza, XtlsElements.StartName), iq => [iq, iq]);

        Task<XtlsTunnel> open = pair.RomeoXtls.OpenAsync(pair.Juliet.Jid);
        DecisionPolicy.Question question = await policy.NextAsync();
        await Watch.EventLoopSettled(pair.Juliet);
        question.Answer.SetResult(true);
        XtlsTunnel tunnel = await open.WaitAsync(XtlsPair.Bound);
        await Watch.EventLoopSettled(pair.Juliet);

        Assert.That(policy.Questions.Reader.TryRead(out _), Is.False, "the copy is not a second request");
        Assert.That(question.Withdrawn.IsCancellationRequested, Is.False);
        Assert.That(tunnel.Peer, Is.EqualTo(pair.Juliet.Jid));
        Assert.That(pair.JulietXtls.OpenTunnels, Has.Count.EqualTo(1));
        XElement start = await wire.FirstAsync(e => e.From == pair.Romeo.Jid && Wire.IsRequest(e.Stanza, XtlsElements.StartName));
        string? startId = Stanza.GetId(start);
        Assert.That(
            wire.Sent(pair.Juliet.Jid, pair.Romeo.Jid).Count(s => Stanza.IsIqResponse(s) && Stanza.GetId(s) == startId),
            Is.EqualTo(1),
            "the start is answered once");
    }

    [TestCase("result", "proceed")]
    [TestCase("result", "closed")]
    [TestCase("error", "proceed")]
    public async Task An_answer_to_an_iq_never_sent_is_consumed_silently_and_never_reaches_the_application(string type, string element)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(configureRouter: r => r.AddAccount("nurse", "n-pass"));
        var wire = new Wire(pair.Router);
        await using XmppClient nurse = await PlainClients.ConnectAsync(pair.Router, "nurse", "n-pass", "kitchen");
        var unsolicited = Stanza.Iq(type, "never-sent", pair.Romeo.Jid, new XElement(XName.Get(element, XtlsNamespaces.Xtls)));
        if (type == "error")
        {
            unsolicited.Add(StanzaError.Of(StanzaErrorConditions.Conflict).ToXElement());
        }

        await nurse.SendAsync(unsolicited).WaitAsync(XtlsPair.Bound);
        await nurse.SendAsync(XtlsPair.Chat(pair.Romeo.Jid, Marker)).WaitAsync(XtlsPair.Bound);
        XElement first = await NextStanzaAsync(pair);
        await Watch.EventLoopSettled(pair.Romeo);

        Assert.That(first.Value, Is.EqualTo(Marker), "the unsolicited answer is not handed to the application");
        Assert.That(wire.Sent(pair.Romeo.Jid, nurse.Jid), Is.Empty, "an answer is never answered");
        Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
    }

    [Test]
    public async Task Proceed_sent_as_a_request_is_answered_feature_not_implemented()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(configureRouter: r => r.AddAccount("nurse", "n-pass"));
        await using XmppClient nurse = await PlainClients.ConnectAsync(pair.Router, "nurse", "n-pass", "kitchen");

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await nurse.SendIqAsync(Stanza.Iq("set", nurse.NextId(), pair.Romeo.Jid, XtlsElements.Proceed())).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.FeatureNotImplemented));
        Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
    }

    private static async Task<XElement> NextStanzaAsync(XtlsPair pair)
    {
        using var timeout = new CancellationTokenSource(XtlsPair.Bound);
        return await pair.RomeoInbox.Reader.ReadAsync(timeout.Token);
    }

    private static string Wrapped(string base64)
    {
        var wrapped = new StringBuilder("\n  ");
        for (int i = 0; i < base64.Length; i += 16)
        {
            wrapped.Append(base64.AsSpan(i, Math.Min(16, base64.Length - i))).Append(i % 32 == 0 ? "\r\n" : " \t");
        }

        return wrapped.ToString();
    }
}
