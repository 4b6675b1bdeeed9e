using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Roster;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Tests.Client;

namespace XmppDotNet.Xtls.Host.Tests.Roster;

public class RosterRouterTests
{
    private RouterFixture _fixture = null!;
    private XmppClient _romeo = null!;
    private XmppClient _juliet = null!;
    private Jid _romeoBare = null!;
    private Jid _julietBare = null!;

    [SetUp]
    public async Task SetUp()
    {
        _fixture = await RouterFixture.StartAsync();
        _romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        _juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony");
        _romeoBare = _romeo.Jid.Bare;
        _julietBare = _juliet.Jid.Bare;
    }

    [TearDown]
    public async Task TearDown() => await _fixture.DisposeAsync();

    [Test]
    public async Task A_request_reaches_the_contact_and_nothing_is_approved_by_itself()
    {
        Task<SubscriptionRequestedEventArgs> requested = Next<SubscriptionRequestedEventArgs>(h => _juliet.GetRoster().SubscriptionRequested += h);
        Task<RosterChangedEventArgs> asked = Next<RosterChangedEventArgs>(h => _romeo.GetRoster().Changed += h);

        await _romeo.GetRoster().RequestSubscriptionAsync(_julietBare);
        SubscriptionRequestedEventArgs request = await requested.WaitAsync(RouterFixture.Bound);
        RosterChangedEventArgs pushed = await asked.WaitAsync(RouterFixture.Bound);

        Assert.That(request.From, Is.EqualTo(_romeoBare));
        Assert.That(request.AutoApproved, Is.False);
        Assert.That(_juliet.GetRoster().PendingRequests, Is.EqualTo(new[] { _romeoBare }));
        Assert.That(pushed.Item, Is.EqualTo(new RosterItem(_julietBare, null, RosterSubscription.None, true, [])));

        // Everything juliet's client sent before this IQ has been routed once its answer is back.
        await SyncAsync(_juliet);
        Assert.That(_fixture.Router.Rosters.ItemsOf(_romeoBare).Single().Subscription, Is.EqualTo(RosterSubscription.None));
        Assert.That(_fixture.Router.Rosters.ItemsOf(_julietBare), Is.Empty);
    }

    [Test]
    public async Task Approving_both_ways_gives_both_and_the_subscriber_gets_the_contacts_presence()
    {
        await SubscribeAsync(_romeo, _juliet);

        Assert.That(_romeo.GetRoster().Find(_julietBare)!.Subscription, Is.EqualTo(RosterSubscription.To));
        Assert.That(_juliet.GetRoster().Find(_romeoBare)!.Subscription, Is.EqualTo(RosterSubscription.From));

        await SubscribeAsync(_juliet, _romeo);

        Assert.That(_romeo.GetRoster().Find(_julietBare), Is.EqualTo(new RosterItem(_julietBare, null, RosterSubscription.Both, false, [])));
        Assert.That(_juliet.GetRoster().Find(_romeoBare), Is.EqualTo(new RosterItem(_romeoBare, null, RosterSubscription.Both, false, [])));
        Assert.That(_juliet.GetRoster().PendingRequests, Is.Empty);
        Assert.That(_romeo.GetRoster().PendingRequests, Is.Empty);

        // A later login gets the roster before its initial presence.
        await _romeo.DisconnectAsync();
        await _romeo.ConnectAsync().WaitAsync(RouterFixture.Bound);
        Assert.That(_romeo.GetRoster().Find(_julietBare)!.Subscription, Is.EqualTo(RosterSubscription.Both));
    }

    [Test]
    public async Task The_new_subscriber_is_sent_the_contacts_available_presence()
    {
        // This resource logs in after juliet's initial presence, so only the approval can tell it she is online.
        XmppClient phone = await _fixture.OnlineAsync("romeo", "r-pass", "phone");
        PresenceBook book = phone.GetPresenceBook();
        Assert.That(book.Find(_juliet.Jid), Is.Null);
        Task<ResourceAvailableEventArgs> seen = NextMatching<ResourceAvailableEventArgs>(h => book.ResourceAvailable += h, e => e.Presence.Jid == _juliet.Jid);

        await SubscribeAsync(phone, _juliet);

        Assert.That((await seen.WaitAsync(RouterFixture.Bound)).Presence.Caps, Is.Not.Null);
    }

    [Test]
    public async Task A_denied_request_leaves_no_subscription_and_tells_the_requester()
    {
        Task<SubscriptionRequestedEventArgs> requested = Next<SubscriptionRequestedEventArgs>(h => _juliet.GetRoster().SubscriptionRequested += h);
        Task<SubscriptionChangedEventArgs> answered = Next<SubscriptionChangedEventArgs>(h => _romeo.GetRoster().SubscriptionChanged += h);
        Task<RosterChangedEventArgs> cleared = NextMatching<RosterChangedEventArgs>(h => _romeo.GetRoster().Changed += h, e => !e.Item.AskSubscribe);

        await _romeo.GetRoster().RequestSubscriptionAsync(_julietBare);
        await requested.WaitAsync(RouterFixture.Bound);
        await _juliet.GetRoster().DenyAsync(_romeoBare);

        Assert.That((await answered.WaitAsync(RouterFixture.Bound)).Kind, Is.EqualTo(SubscriptionChangeKind.Unsubscribed));
        Assert.That((await cleared.WaitAsync(RouterFixture.Bound)).Item, Is.EqualTo(new RosterItem(_julietBare, null, RosterSubscription.None, false, [])));
        Assert.That(_juliet.GetRoster().PendingRequests, Is.Empty);
    }

    [Test]
    public async Task Cancelling_a_subscription_updates_both_rosters_and_the_contact_goes_unavailable_for_the_canceller()
    {
        await SubscribeAsync(_romeo, _juliet);
        await SubscribeAsync(_juliet, _romeo);
        PresenceBook book = _romeo.GetPresenceBook();
        Assert.That(book.Find(_juliet.Jid), Is.Not.Null);
        Task<ResourceUnavailableEventArgs> gone = Next<ResourceUnavailableEventArgs>(h => book.ResourceUnavailable += h);
        Task<SubscriptionChangedEventArgs> told = Next<SubscriptionChangedEventArgs>(h => _juliet.GetRoster().SubscriptionChanged += h);
        Task<RosterChangedEventArgs> romeoUpdated = NextMatching<RosterChangedEventArgs>(h => _romeo.GetRoster().Changed += h, e => e.Item.Subscription == RosterSubscription.From);
        Task<RosterChangedEventArgs> julietUpdated = NextMatching<RosterChangedEventArgs>(h => _juliet.GetRoster().Changed += h, e => e.Item.Subscription == RosterSubscription.To);

        await _romeo.GetRoster().CancelSubscriptionAsync(_julietBare);

        Assert.That((await told.WaitAsync(RouterFixture.Bound)).Kind, Is.EqualTo(SubscriptionChangeKind.Unsubscribe));
        await romeoUpdated.WaitAsync(RouterFixture.Bound);
        await julietUpdated.WaitAsync(RouterFixture.Bound);
        Assert.That((await gone.WaitAsync(RouterFixture.Bound)).Jid, Is.EqualTo(_juliet.Jid));
    }

    [Test]
    public async Task Adding_and_removing_an_item_is_pushed_to_every_resource_of_the_account()
    {
        XmppClient romeoPhone = await _fixture.OnlineAsync("romeo", "r-pass", "phone");
        Task<RosterChangedEventArgs> added = Next<RosterChangedEventArgs>(h => romeoPhone.GetRoster().Changed += h);

        await _romeo.GetRoster().AddAsync(Jid.Parse("nurse@capulet.lit"), "Nurse", ["Capulets"]);

        RosterChangedEventArgs change = await added.WaitAsync(RouterFixture.Bound);
        Assert.That(change.Kind, Is.EqualTo(RosterChangeKind.Added));
        Assert.That(change.Item.Name, Is.EqualTo("Nurse"));
        Task<RosterChangedEventArgs> removed = Next<RosterChangedEventArgs>(h => romeoPhone.GetRoster().Changed += h);

        await _romeo.GetRoster().RemoveAsync(Jid.Parse("nurse@capulet.lit"));

        Assert.That((await removed.WaitAsync(RouterFixture.Bound)).Kind, Is.EqualTo(RosterChangeKind.Removed));
        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(async () => await _romeo.GetRoster().RemoveAsync(Jid.Parse("nurse@capulet.lit")).WaitAsync(RouterFixture.Bound));
        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ItemNotFound));
    }

    [Test]
    public async Task A_roster_push_from_another_user_is_refused_and_changes_nothing()
    {
        var push = Stanza.Iq(
            "set",
            _juliet.NextId(),
            _romeo.Jid,
            new XElement(XName.Get("query", XmppNamespaces.Roster), new XElement(XName.Get("item", XmppNamespaces.Roster), new XAttribute("jid", "mallory@evil.example"), new XAttribute("subscription", "both"))));

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(async () => await _juliet.SendIqAsync(push).WaitAsync(RouterFixture.Bound));

        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
        Assert.That(_romeo.GetRoster().Items, Is.Empty);
        Assert.That(_romeo.GetRoster().RejectedPushes, Is.EqualTo(1));
    }

    [Test]
    public async Task A_request_to_an_offline_contact_is_delivered_at_its_next_login_and_without_roster_request_nothing_is_fetched()
    {
        await _juliet.GetRoster().AddAsync(Jid.Parse("nurse@capulet.lit"), "Nurse");
        Assert.That(_fixture.Router.Rosters.ItemsOf(_julietBare), Has.Count.EqualTo(1));
        await _juliet.DisconnectAsync();
        await _romeo.GetRoster().RequestSubscriptionAsync(_julietBare);
        await SyncAsync(_romeo);
        XmppClient later = _fixture.Build("juliet", "j-pass", "chamber", b => b.Configure(o => o.RequestRoster = false));
        var requested = new TaskCompletionSource<SubscriptionRequestedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        later.GetRoster().SubscriptionRequested += (_, e) => requested.TrySetResult(e);

        await later.ConnectAsync().WaitAsync(RouterFixture.Bound);

        Assert.That((await requested.Task.WaitAsync(RouterFixture.Bound)).From, Is.EqualTo(_romeoBare));
        Assert.That(later.GetRoster().Items, Is.Empty, "the roster the router holds was not asked for");
    }

    private static async Task SyncAsync(XmppClient client) =>
        await client.SendIqAsync(Stanza.Iq("get", client.NextId(), null, new XElement(XName.Get("ping", XmppNamespaces.Ping)))).WaitAsync(RouterFixture.Bound);

    private static Task<T> Next<T>(Action<EventHandler<T>> subscribe) => NextMatching(subscribe, _ => true);

    private static Task<T> NextMatching<T>(Action<EventHandler<T>> subscribe, Func<T, bool> match)
    {
        var next = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe((_, e) =>
        {
            if (match(e))
            {
                next.TrySetResult(e);
            }
        });
        return next.Task;
    }

    /// <summary><paramref name="subscriber"/> asks, <paramref name="contact"/> approves; returns when both rosters show it.</summary>
    private static async Task SubscribeAsync(XmppClient subscriber, XmppClient contact)
    {
        Jid subscriberBare = subscriber.Jid.Bare;
        Jid contactBare = contact.Jid.Bare;
        Task<SubscriptionRequestedEventArgs> requested = NextMatching<SubscriptionRequestedEventArgs>(h => contact.GetRoster().SubscriptionRequested += h, e => e.From == subscriberBare);
        Task<SubscriptionChangedEventArgs> approved = NextMatching<SubscriptionChangedEventArgs>(h => subscriber.GetRoster().SubscriptionChanged += h, e => e.Contact == contactBare && e.Kind == SubscriptionChangeKind.Subscribed);
        Task<RosterChangedEventArgs> subscriberSees = NextMatching<RosterChangedEventArgs>(h => subscriber.GetRoster().Changed += h, e => e.Item.Jid == contactBare && e.Item.Subscription is RosterSubscription.To or RosterSubscription.Both);
        Task<RosterChangedEventArgs> contactSees = NextMatching<RosterChangedEventArgs>(h => contact.GetRoster().Changed += h, e => e.Item.Jid == subscriberBare && e.Item.Subscription is RosterSubscription.From or RosterSubscription.Both);

        await subscriber.GetRoster().RequestSubscriptionAsync(contactBare);
        await requested.WaitAsync(RouterFixture.Bound);
        await contact.GetRoster().ApproveAsync(subscriberBare);

        await Task.WhenAll(approved, subscriberSees, contactSees).WaitAsync(RouterFixture.Bound);
    }
}
