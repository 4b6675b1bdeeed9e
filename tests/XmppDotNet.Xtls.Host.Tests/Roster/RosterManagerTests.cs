using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Roster;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Tests.Support;

namespace XmppDotNet.Xtls.Host.Tests.Roster;

public class RosterManagerTests
{
    private static readonly string[] Friends = ["Friends"];
    private static readonly string[] FriendsAndFamily = ["Friends", "Family"];
    private static readonly string[] AAndB = ["a", "b"];
    private static readonly string[] JulietAndMallory = ["juliet", "mallory"];
    private static readonly string[] LastThreeBots = ["bot2", "bot3", "bot4"];

    private FakeSession _session = null!;
    private RosterManager _roster = null!;
    private List<RosterChangedEventArgs> _changes = null!;
    private List<SubscriptionRequestedEventArgs> _requests = null!;
    private List<SubscriptionChangedEventArgs> _answers = null!;

    [SetUp]
    public void SetUp()
    {
        _session = new FakeSession("romeo@montague.lit/orchard");
        _roster = RosterManager.Register(_session);
        _changes = [];
        _requests = [];
        _answers = [];
        _roster.Changed += (_, e) => _changes.Add(e);
        _roster.SubscriptionRequested += (_, e) => _requests.Add(e);
        _roster.SubscriptionChanged += (_, e) => _answers.Add(e);
    }

    [Test]
    public async Task Refresh_reads_the_items_and_a_second_refresh_reports_the_differences()
    {
        _session.IqResponder = iq => Task.FromResult(RosterResult(iq, Item("juliet@capulet.lit", "both", name: "Juliet", groups: Friends), Item("nurse@capulet.lit", "none", ask: true), Item("benvolio@montague.lit", "to")));

        await _roster.RefreshAsync();

        Assert.That(_roster.Items, Has.Count.EqualTo(3));
        Assert.That(_roster.Find(Jid.Parse("juliet@capulet.lit/balcony")), Is.EqualTo(new RosterItem(Jid.Parse("juliet@capulet.lit"), "Juliet", RosterSubscription.Both, false, Friends)));
        Assert.That(_roster.Find(Jid.Parse("nurse@capulet.lit"))!.AskSubscribe, Is.True);
        Assert.That(_changes.Select(c => c.Kind), Is.All.EqualTo(RosterChangeKind.Added));
        XElement request = _session.Sent.Single();
        Assert.That(Stanza.GetType(request), Is.EqualTo("get"));
        Assert.That(request.Attribute("to"), Is.Null, "asked of the account's own server");

        _changes.Clear();
        _session.IqResponder = iq => Task.FromResult(RosterResult(iq, Item("juliet@capulet.lit", "both", name: "Juliet", groups: FriendsAndFamily), Item("benvolio@montague.lit", "to")));
        await _roster.RefreshAsync();

        Assert.That(_changes.Select(c => (c.Kind, c.Item.Jid.ToString())), Is.EquivalentTo(new[] { (RosterChangeKind.Updated, "juliet@capulet.lit"), (RosterChangeKind.Removed, "nurse@capulet.lit") }));
    }

    [Test]
    public async Task A_login_whose_roster_get_fails_goes_on_with_an_empty_roster()
    {
        _session.IqResponder = iq => Task.FromResult(RosterResult(iq, Item("juliet@capulet.lit", "both")));
        await _roster.RefreshAsync();
        _session.IqResponder = iq => Task.FromResult(Stanza.ErrorFor(iq, StanzaError.Of(StanzaErrorConditions.ServiceUnavailable)));

        await _roster.LoadAtLoginAsync();

        Assert.That(_roster.Items, Is.Empty);
        Assert.That(_changes[^1].Kind, Is.EqualTo(RosterChangeKind.Removed));
    }

    [TestCase(null)]
    [TestCase("romeo@montague.lit")]
    public async Task A_push_from_the_own_server_is_applied_and_answered(string? from)
    {
        bool consumed = await _session.ReceiveAsync(Push(from, "p1", Item("juliet@capulet.lit", "to", name: "Juliet")));

        Assert.That(consumed, Is.True);
        Assert.That(_roster.Find(Jid.Parse("juliet@capulet.lit"))!.Subscription, Is.EqualTo(RosterSubscription.To));
        Assert.That(_changes.Single().Kind, Is.EqualTo(RosterChangeKind.Added));
        XElement answer = _session.Sent.Single();
        Assert.That(Stanza.GetType(answer), Is.EqualTo("result"));
        Assert.That(Stanza.GetId(answer), Is.EqualTo("p1"));
        Assert.That(answer.HasElements, Is.False);

        await _session.ReceiveAsync(Push(from, "p2", Item("juliet@capulet.lit", "remove")));

        Assert.That(_roster.Items, Is.Empty);
        Assert.That(_changes[^1].Kind, Is.EqualTo(RosterChangeKind.Removed));
    }

    [TestCase("juliet@capulet.lit")]
    [TestCase("juliet@capulet.lit/balcony")]
    [TestCase("romeo@montague.lit/other-device")]
    [TestCase("montague.lit")]
    public async Task A_push_from_anyone_else_is_ignored_with_service_unavailable_and_counted(string from)
    {
        await _session.ReceiveAsync(Push(from, "evil", Item("mallory@evil.example", "both")));

        Assert.That(_roster.Items, Is.Empty);
        Assert.That(_changes, Is.Empty);
        Assert.That(_roster.RejectedPushes, Is.EqualTo(1));
        XElement answer = _session.Sent.Single();
        Assert.That(StanzaError.FromStanza(answer)!.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
        Assert.That((string?)answer.Attribute("to"), Is.EqualTo(from));
    }

    [Test]
    public async Task A_push_without_exactly_one_valid_item_is_refused_with_bad_request()
    {
        await _session.ReceiveAsync(Push(null, "none"));
        await _session.ReceiveAsync(Push(null, "two", Item("juliet@capulet.lit", "both"), Item("nurse@capulet.lit", "both")));
        await _session.ReceiveAsync(Push(null, "odd", Item("juliet@capulet.lit", "sometimes")));
        await _session.ReceiveAsync(Push(null, "full", Item("juliet@capulet.lit/balcony", "both")));

        Assert.That(_roster.Items, Is.Empty);
        Assert.That(_session.Sent.Select(s => StanzaError.FromStanza(s)?.Condition), Is.All.EqualTo(StanzaErrorConditions.BadRequest));
        Assert.That(_session.Sent, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task Items_beyond_the_bound_are_not_kept_but_counted()
    {
        _roster.MaxItems = 2;
        _session.IqResponder = iq => Task.FromResult(RosterResult(iq, Item("a@x.example", "both"), Item("b@x.example", "both"), Item("c@x.example", "both")));
        await _roster.RefreshAsync();

        await _session.ReceiveAsync(Push(null, "p", Item("d@x.example", "both")));
        await _session.ReceiveAsync(Push(null, "q", Item("a@x.example", "to")));

        Assert.That(_roster.Items.Select(i => i.Jid.Local), Is.EquivalentTo(AAndB));
        Assert.That(_roster.Find(Jid.Parse("a@x.example"))!.Subscription, Is.EqualTo(RosterSubscription.To), "known items still update");
        Assert.That(_roster.DroppedItems, Is.EqualTo(2));
        Assert.That(Stanza.GetType(_session.Sent.ToArray()[^2]), Is.EqualTo("result"), "the push is still answered");
    }

    [Test]
    public async Task A_subscription_request_is_kept_pending_reported_once_and_nothing_is_approved()
    {
        bool consumed = await _session.ReceiveAsync(Subscription("juliet@capulet.lit/balcony", "subscribe", status: "It is the east"));
        await _session.ReceiveAsync(Subscription("juliet@capulet.lit", "subscribe"));

        Assert.That(consumed, Is.False, "the application still gets the presence");
        Assert.That(_requests, Has.Count.EqualTo(1));
        Assert.That(_requests[0].From, Is.EqualTo(Jid.Parse("juliet@capulet.lit")));
        Assert.That(_requests[0].Status, Is.EqualTo("It is the east"));
        Assert.That(_requests[0].AutoApproved, Is.False);
        Assert.That(_roster.PendingRequests, Is.EqualTo(new[] { Jid.Parse("juliet@capulet.lit") }));
        Assert.That(_session.Sent, Is.Empty, "nothing is sent without the application's word");
    }

    [Test]
    public async Task Approve_deny_request_and_cancel_send_the_right_presence_to_the_bare_jid()
    {
        await _session.ReceiveAsync(Subscription("juliet@capulet.lit/balcony", "subscribe"));
        await _session.ReceiveAsync(Subscription("nurse@capulet.lit/kitchen", "subscribe"));

        await _roster.ApproveAsync(Jid.Parse("juliet@capulet.lit/balcony"));
        await _roster.DenyAsync(Jid.Parse("nurse@capulet.lit"));
        await _roster.RequestSubscriptionAsync(Jid.Parse("juliet@capulet.lit"));
        await _roster.CancelSubscriptionAsync(Jid.Parse("juliet@capulet.lit"));

        Assert.That(
            _session.Sent.Select(s => ((string?)s.Attribute("to"), Stanza.GetType(s))),
            Is.EqualTo(new (string?, string?)[]
            {
                ("juliet@capulet.lit", "subscribed"),
                ("nurse@capulet.lit", "unsubscribed"),
                ("juliet@capulet.lit", "subscribe"),
                ("juliet@capulet.lit", "unsubscribe"),
            }));
        Assert.That(_roster.PendingRequests, Is.Empty);
    }

    [Test]
    public async Task Auto_approve_approves_only_what_it_accepts_and_a_failing_callback_approves_nothing()
    {
        _roster.AutoApprove = jid => jid.Domain == "montague.lit" ? true : jid.Local == "mallory" ? throw new InvalidOperationException("broken") : false;

        await _session.ReceiveAsync(Subscription("benvolio@montague.lit/street", "subscribe"));
        await _session.ReceiveAsync(Subscription("juliet@capulet.lit/balcony", "subscribe"));
        await _session.ReceiveAsync(Subscription("mallory@evil.example/x", "subscribe"));

        Assert.That(_session.Sent.Select(s => ((string?)s.Attribute("to"), Stanza.GetType(s))), Is.EqualTo(new (string?, string?)[] { ("benvolio@montague.lit", "subscribed") }));
        Assert.That(_requests.Select(r => (r.From.Local, r.AutoApproved)), Is.EqualTo(new (string?, bool)[] { ("benvolio", true), ("juliet", false), ("mallory", false) }));
        Assert.That(_roster.PendingRequests.Select(j => j.Local), Is.EqualTo(JulietAndMallory));
    }

    [Test]
    public async Task Pending_requests_are_bounded_dropping_the_oldest()
    {
        _roster.MaxPendingRequests = 3;
        for (int i = 0; i < 5; i++)
        {
            await _session.ReceiveAsync(Subscription($"bot{i}@evil.example/r", "subscribe"));
        }

        Assert.That(_roster.PendingRequests.Select(j => j.Local), Is.EqualTo(LastThreeBots));
        Assert.That(_roster.DroppedRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task The_contacts_answers_are_reported_and_a_withdrawn_request_is_no_longer_pending()
    {
        await _session.ReceiveAsync(Subscription("juliet@capulet.lit/balcony", "subscribe"));

        await _session.ReceiveAsync(Subscription("juliet@capulet.lit", "subscribed"));
        await _session.ReceiveAsync(Subscription("nurse@capulet.lit", "unsubscribed"));
        await _session.ReceiveAsync(Subscription("juliet@capulet.lit/balcony", "unsubscribe"));

        Assert.That(
            _answers.Select(a => (a.Contact.ToString(), a.Kind)),
            Is.EqualTo(new[] { ("juliet@capulet.lit", SubscriptionChangeKind.Subscribed), ("nurse@capulet.lit", SubscriptionChangeKind.Unsubscribed), ("juliet@capulet.lit", SubscriptionChangeKind.Unsubscribe) }));
        Assert.That(_roster.PendingRequests, Is.Empty);
    }

    [Test]
    public async Task A_push_showing_the_contact_already_approved_clears_its_pending_request()
    {
        await _session.ReceiveAsync(Subscription("juliet@capulet.lit/balcony", "subscribe"));

        await _session.ReceiveAsync(Push(null, "p", Item("juliet@capulet.lit", "from")));

        Assert.That(_roster.PendingRequests, Is.Empty);
    }

    [Test]
    public async Task Add_and_remove_send_roster_sets_to_the_own_server()
    {
        _session.IqResponder = iq => Task.FromResult(Stanza.ResultFor(iq));

        await _roster.AddAsync(Jid.Parse("juliet@capulet.lit/balcony"), "Juliet", FriendsAndFamily);
        await _roster.RemoveAsync(Jid.Parse("juliet@capulet.lit"));

        XElement[] sent = [.. _session.Sent];
        XElement added = sent[0].Element(XName.Get("query", XmppNamespaces.Roster))!.Element(XName.Get("item", XmppNamespaces.Roster))!;
        XElement removed = sent[1].Element(XName.Get("query", XmppNamespaces.Roster))!.Element(XName.Get("item", XmppNamespaces.Roster))!;
        Assert.Multiple(() =>
        {
            Assert.That(sent.Select(Stanza.GetType), Is.All.EqualTo("set"));
            Assert.That(sent.Select(s => s.Attribute("to")), Is.All.Null);
            Assert.That((string?)added.Attribute("jid"), Is.EqualTo("juliet@capulet.lit"));
            Assert.That((string?)added.Attribute("name"), Is.EqualTo("Juliet"));
            Assert.That(added.Elements().Select(g => g.Value), Is.EqualTo(FriendsAndFamily));
            Assert.That((string?)removed.Attribute("subscription"), Is.EqualTo("remove"));
        });
    }

    [Test]
    public void The_extension_finds_the_roster()
    {
        Assert.That(_session.GetRoster(), Is.SameAs(_roster));
        Assert.That(() => new FakeSession().GetRoster(), Throws.InvalidOperationException);
    }

    private static XElement Item(string jid, string subscription, string? name = null, bool ask = false, string[]? groups = null)
    {
        var item = new XElement(XName.Get("item", XmppNamespaces.Roster), new XAttribute("jid", jid), new XAttribute("subscription", subscription));
        if (name is not null)
        {
            item.SetAttributeValue("name", name);
        }

        if (ask)
        {
            item.SetAttributeValue("ask", "subscribe");
        }

        item.Add((groups ?? []).Select(g => new XElement(XName.Get("group", XmppNamespaces.Roster), g)));
        return item;
    }

    private static XElement RosterResult(XElement iq, params XElement[] items) =>
        Stanza.ResultFor(iq, new XElement(XName.Get("query", XmppNamespaces.Roster), items));

    private static XElement Push(string? from, string id, params XElement[] items)
    {
        var push = new XElement(Stanza.IqName, new XAttribute("type", "set"), new XAttribute("id", id), new XAttribute("to", "romeo@montague.lit/orchard"), new XElement(XName.Get("query", XmppNamespaces.Roster), items));
        if (from is not null)
        {
            push.SetAttributeValue("from", from);
        }

        return push;
    }

    private static XElement Subscription(string from, string type, string? status = null)
    {
        XElement presence = Presences.OfType(from, type);
        if (status is not null)
        {
            presence.Add(new XElement(XName.Get("status", XmppNamespaces.Client), status));
        }

        return presence;
    }
}
