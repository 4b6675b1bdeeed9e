using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tests.Pipeline;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// A peer that floods start requests: the requests waiting for the application's decision stay bounded,
/// the excess is refused on the wire with the defined condition, a decision withdrawn by a newer
/// request is cancelled for the application, and no decision is ever applied to a request it was not made for.
/// </summary>
public class StartFloodTests
{
    private DecisionPolicy _policy = null!;
    private XtlsPair _pair = null!;

    [SetUp]
    public async Task SetUp() => _pair = await XtlsPair.StartAsync(
        romeoOptions: o =>
        {
            _policy = new DecisionPolicy();
            o.AcceptIncoming = _policy.AskAsync;
            o.Tunnels.MaxPendingIncoming = 3;
            o.Tunnels.MaxTunnelsPerBareJid = 4;
        },
        configureRouter: r =>
        {
            r.AddAccount("nurse", "n-pass");
            r.AddAccount("tybalt", "t-pass");
        });

    [TearDown]
    public async Task TearDown() => await _pair.DisposeAsync();

    [Test]
    public async Task Starts_flooded_from_one_full_jid_leave_one_request_pending_and_withdraw_every_older_question()
    {
        const int starts = 50;
        await using XmppClient nurse = await PlainClients.ConnectAsync(_pair.Router, "nurse", "n-pass", "kitchen");

        Task<XElement>[] answers = [.. Enumerable.Range(0, starts).Select(_ => nurse.SendIqAsync(Start(nurse)))];
        for (int i = 0; i < starts - 1; i++)
        {
            XmppStanzaException? refused = await Assert.ThrowsAsync<XmppStanzaException>(async () => await answers[i].WaitAsync(XtlsPair.Bound));
            Assert.That(refused!.Error.Condition, Is.EqualTo(StanzaErrorConditions.Conflict), "start " + i);
        }

        List<DecisionPolicy.Question> questions = [];
        for (int i = 0; i < starts; i++)
        {
            questions.Add(await _policy.NextAsync());
        }

        Assert.Multiple(() =>
        {
            Assert.That(questions.Take(starts - 1).Select(q => q.Withdrawn.IsCancellationRequested), Has.All.True, "every superseded question is withdrawn");
            Assert.That(questions[^1].Withdrawn.IsCancellationRequested, Is.False);
            Assert.That(answers[^1].IsCompleted, Is.False, "the newest request waits for its decision");
            Assert.That(_pair.RomeoXtls.OpenTunnels, Is.Empty);
        });

        // A late yes to a withdrawn question must not accept the request that replaced it.
        questions[0].Answer.SetResult(true);
        questions[^1].Answer.SetResult(false);
        XmppStanzaException? last = await Assert.ThrowsAsync<XmppStanzaException>(async () => await answers[^1].WaitAsync(XtlsPair.Bound));
        Assert.That(last!.Error.Condition, Is.EqualTo(StanzaErrorConditions.NotAcceptable));
    }

    [Test]
    public async Task Starts_from_more_peers_than_may_wait_are_refused_with_resource_constraint()
    {
        XmppClient[] peers = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => PlainClients.ConnectAsync(_pair.Router, "tybalt", "t-pass", "r" + i)));
        try
        {
            Task<XElement>[] answers = [.. peers.Select(p => p.SendIqAsync(Start(p)))];
            XmppStanzaException[] refused = await RefusalsAsync(answers, expected: 2);

            Assert.That(refused.Select(e => e.Error.Condition), Has.All.EqualTo(StanzaErrorConditions.ResourceConstraint));
            Assert.That(refused.Select(e => e.Error.Type), Has.All.EqualTo(StanzaErrorType.Wait));
            Assert.That(answers.Count(a => !a.IsCompleted), Is.EqualTo(3), "MaxPendingIncoming requests wait");
            Assert.That(await CountQuestionsAsync(3), Is.EqualTo(3), "the refused requests never reach the application");
        }
        finally
        {
            await Task.WhenAll(peers.Select(p => p.DisposeAsync().AsTask()));
        }
    }

    [Test]
    public async Task Starts_beyond_the_bound_per_bare_jid_are_refused_with_resource_constraint()
    {
        XmppClient[] peers = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => PlainClients.ConnectAsync(_pair.Router, "tybalt", "t-pass", "r" + i)));
        try
        {
            // Two accepted and waiting for the handshake, then three more from the same bare JID.
            Task<XElement> first = peers[0].SendIqAsync(Start(peers[0]));
            (await _policy.NextAsync()).Answer.SetResult(true);
            Task<XElement> second = peers[1].SendIqAsync(Start(peers[1]));
            (await _policy.NextAsync()).Answer.SetResult(true);
            await Task.WhenAll(first, second).WaitAsync(XtlsPair.Bound);
            await using XmppClient third = await PlainClients.ConnectAsync(_pair.Router, "tybalt", "t-pass", "r3");
            await using XmppClient fourth = await PlainClients.ConnectAsync(_pair.Router, "tybalt", "t-pass", "r4");
            Task<XElement>[] answers = [peers[2].SendIqAsync(Start(peers[2])), third.SendIqAsync(Start(third)), fourth.SendIqAsync(Start(fourth))];
            XmppStanzaException[] refused = await RefusalsAsync(answers, expected: 1);

            Assert.That(refused.Single().Error.Condition, Is.EqualTo(StanzaErrorConditions.ResourceConstraint));
            Assert.That(refused.Single().Error.Text, Does.Contain("TunnelsPerBareJid"));
        }
        finally
        {
            await Task.WhenAll(peers.Select(p => p.DisposeAsync().AsTask()));
        }
    }

    private XElement Start(XmppClient from) => Stanza.Iq("set", from.NextId(), _pair.Romeo.Jid, XtlsElements.Start());

    /// <summary>Waits for the given number of refusals among the answers.</summary>
    private static async Task<XmppStanzaException[]> RefusalsAsync(Task<XElement>[] answers, int expected)
    {
        List<XmppStanzaException> refused = [];
        List<Task<XElement>> open = [.. answers];
        while (refused.Count < expected)
        {
            Task<XElement> done = await Task.WhenAny(open).WaitAsync(XtlsPair.Bound);
            open.Remove(done);
            XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(async () => await done);
            refused.Add(error!);
        }

        return [.. refused];
    }

    /// <summary>Reads the questions expected, then checks that no more are queued.</summary>
    private async Task<int> CountQuestionsAsync(int expected)
    {
        for (int i = 0; i < expected; i++)
        {
            await _policy.NextAsync();
        }

        await Watch.EventLoopSettled(_pair.Romeo);
        return expected + (_policy.Questions.Reader.TryRead(out _) ? 1 : 0);
    }
}
