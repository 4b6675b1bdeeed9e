using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Pipeline;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Roster;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Host;

/// <summary>
/// Roster, presence book and entity capabilities against a real Prosody (mod_roster and mod_presence):
/// two accounts subscribe to each other, see each other's resources with caps, and learn each
/// other's features from verified caps rather than plain disco#info.
/// </summary>
[TestFixture]
public sealed class RosterPresenceCapsTests : ProsodyClientFixture
{
    private const string Xtls = "urn:xmpp:tmp:xtls";

    [Test]
    public async Task Mutual_subscription_through_prosody_shows_both_and_caps_are_verified_once_per_ver()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        TestAccount bob = await TestAccount.RegisterAsync(Server, "bob");
        var bobReceived = new ConcurrentQueue<(Jid? From, string? Node)>();
        // Bob's resources support XTLS, alice's does not: their vers differ, so alice cannot know bob's as her own.
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        XmppClient b = Clients.Add(Spied(Builder(Server, bob, "phone"), bobReceived));
        var aliceKnows = new ConcurrentQueue<FeaturesKnownEventArgs>();
        a.GetEntityCapabilities().FeaturesKnown += (_, e) => aliceKnows.Enqueue(e);
        await a.ConnectAsync().WaitAsync(Bound);
        await b.ConnectAsync().WaitAsync(Bound);
        Assert.That(a.GetRoster().Items, Is.Empty, "a fresh account has an empty roster");

        await SubscribeAsync(a, b);
        await SubscribeAsync(b, a);
        await Eventually(() => a.GetRoster().Find(bob.Jid)?.Subscription == RosterSubscription.Both && b.GetRoster().Find(alice.Jid)?.Subscription == RosterSubscription.Both, "both rosters show both");
        await Eventually(() => a.GetPresenceBook().Find(b.Jid) is not null && b.GetPresenceBook().Find(a.Jid) is not null, "each presence book has the other's resource");
        await Eventually(() => aliceKnows.Any(k => k.FullJid == b.Jid), "alice learns bob's features without asking");

        ResourcePresence bobSeenByAlice = a.GetPresenceBook().Find(b.Jid)!;
        ResourcePresence aliceSeenByBob = b.GetPresenceBook().Find(a.Jid)!;
        IReadOnlySet<string> bobFeatures = await a.GetEntityCapabilities().GetFeaturesAsync(b.Jid).WaitAsync(Bound);
        Assert.Multiple(() =>
        {
            Assert.That(a.GetRoster().Find(bob.Jid), Is.EqualTo(new RosterItem(bob.Jid, null, RosterSubscription.Both, false, [])));
            Assert.That(b.GetRoster().Find(alice.Jid), Is.EqualTo(new RosterItem(alice.Jid, null, RosterSubscription.Both, false, [])));
            Assert.That(bobSeenByAlice.Caps, Is.EqualTo(new CapsAnnouncement(EntityCapabilities.OwnNode, b.GetEntityCapabilities().OwnVer, "sha-1")));
            Assert.That(aliceSeenByBob.Caps, Is.EqualTo(new CapsAnnouncement(EntityCapabilities.OwnNode, a.GetEntityCapabilities().OwnVer, "sha-1")));
            Assert.That(aliceKnows.First(k => k.FullJid == b.Jid).FromCaps, Is.True);
            Assert.That(bobFeatures, Is.EquivalentTo(b.Features.ToList()));
            Assert.That(bobFeatures, Does.Contain(Xtls));
            Assert.That(a.GetEntityCapabilities().TryGetKnownFeatures(b.Jid, out _), Is.True);
            Assert.That(a.GetPresenceBook().Find(a.Jid), Is.Null, "the server's echo of our own presence is not a contact");
            Assert.That(bobReceived.Where(q => q.From == a.Jid), Is.EqualTo(new[] { ((Jid?)a.Jid, (string?)(EntityCapabilities.OwnNode + "#" + b.GetEntityCapabilities().OwnVer)) }), "one node#ver query, no plain disco#info");
        });

        // A second resource of bob with the same features: its ver is in alice's cache already.
        var tabletReceived = new ConcurrentQueue<(Jid? From, string? Node)>();
        XmppClient tablet = Clients.Add(Spied(Builder(Server, bob, "tablet"), tabletReceived));
        await tablet.ConnectAsync().WaitAsync(Bound);
        await Eventually(() => aliceKnows.Any(k => k.FullJid == tablet.Jid), "alice knows the tablet's features");
        await Eventually(() => b.GetPresenceBook().Find(tablet.Jid) is not null, "bob's phone sees his tablet as a device");

        Assert.Multiple(() =>
        {
            Assert.That(aliceKnows.First(k => k.FullJid == tablet.Jid).FromCaps, Is.True);
            Assert.That(a.GetPresenceBook().GetResources(bob.Jid).Select(r => r.Jid), Is.EquivalentTo(new[] { b.Jid, tablet.Jid }));
            Assert.That(tabletReceived.Where(q => q.From == a.Jid), Is.Empty, "the tablet cost alice no query");
            Assert.That(bobReceived.Count(q => q.From == a.Jid), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_subscription_request_waits_for_the_user_and_a_denied_one_leaves_no_subscription()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        TestAccount bob = await TestAccount.RegisterAsync(Server, "bob");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        XmppClient b = Clients.Add(Builder(Server, bob, "phone"));
        await a.ConnectAsync().WaitAsync(Bound);
        await b.ConnectAsync().WaitAsync(Bound);
        var requested = new TaskCompletionSource<SubscriptionRequestedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource<SubscriptionChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.GetRoster().SubscriptionRequested += (_, e) => requested.TrySetResult(e);
        a.GetRoster().SubscriptionChanged += (_, e) => answered.TrySetResult(e);

        await a.GetRoster().RequestSubscriptionAsync(bob.Jid);
        SubscriptionRequestedEventArgs request = await requested.Task.WaitAsync(Bound);

        Assert.That(request.From, Is.EqualTo(alice.Jid));
        Assert.That(b.GetRoster().PendingRequests, Is.EqualTo(new[] { alice.Jid }));
        await Eventually(() => a.GetRoster().Find(bob.Jid)?.AskSubscribe == true, "alice's roster shows the open request");
        Assert.That(a.GetRoster().Find(bob.Jid)!.Subscription, Is.EqualTo(RosterSubscription.None), "not approved by itself");

        await b.GetRoster().DenyAsync(alice.Jid);

        Assert.That((await answered.Task.WaitAsync(Bound)).Kind, Is.EqualTo(SubscriptionChangeKind.Unsubscribed));
        await Eventually(() => a.GetRoster().Find(bob.Jid) is { AskSubscribe: false, Subscription: RosterSubscription.None }, "the request is closed");
        Assert.That(b.GetRoster().PendingRequests, Is.Empty);
    }

    [Test]
    public async Task A_roster_push_another_user_sends_through_prosody_is_refused_and_changes_nothing()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        TestAccount mallory = await TestAccount.RegisterAsync(Server, "mallory");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));
        XmppClient m = Clients.Add(Builder(Server, mallory, "laptop"));
        await a.ConnectAsync().WaitAsync(Bound);
        await m.ConnectAsync().WaitAsync(Bound);
        var push = Stanza.Iq(
            "set",
            m.NextId(),
            a.Jid,
            new XElement(XName.Get("query", XmppNamespaces.Roster), new XElement(XName.Get("item", XmppNamespaces.Roster), new XAttribute("jid", mallory.Jid.ToString()), new XAttribute("subscription", "both"))));

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(async () => await m.SendIqAsync(push).WaitAsync(Bound));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
            Assert.That(Stanza.GetFrom(error.Stanza!), Is.EqualTo(a.Jid), "answered by alice's client");
            Assert.That(a.GetRoster().Items, Is.Empty);
            Assert.That(a.GetRoster().RejectedPushes, Is.EqualTo(1));
        });
    }

    private static XmppClientBuilder Spied(XmppClientBuilder builder, ConcurrentQueue<(Jid? From, string? Node)> queries) =>
        builder
            .WithSessionInitializer(s => s.Features.Add(Xtls))
            .WithPipelineInitializer((pipeline, _) => pipeline.AddBefore(XmppPipelineNames.StanzaHandler, "disco-spy", new DiscoQuerySpy(queries)));

    /// <summary><paramref name="subscriber"/> asks, <paramref name="contact"/> approves when the request arrives.</summary>
    private static async Task SubscribeAsync(XmppClient subscriber, XmppClient contact)
    {
        Jid subscriberBare = subscriber.Jid.Bare;
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var approved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler<SubscriptionRequestedEventArgs> onRequest = (_, e) =>
        {
            if (e.From == subscriberBare)
            {
                requested.TrySetResult();
            }
        };
        EventHandler<SubscriptionChangedEventArgs> onAnswer = (_, e) =>
        {
            if (e.Contact == contact.Jid.Bare && e.Kind == SubscriptionChangeKind.Subscribed)
            {
                approved.TrySetResult();
            }
        };
        contact.GetRoster().SubscriptionRequested += onRequest;
        subscriber.GetRoster().SubscriptionChanged += onAnswer;
        try
        {
            await subscriber.GetRoster().RequestSubscriptionAsync(contact.Jid.Bare);
            await requested.Task.WaitAsync(Bound);
            await contact.GetRoster().ApproveAsync(subscriberBare);
            await approved.Task.WaitAsync(Bound);
        }
        finally
        {
            contact.GetRoster().SubscriptionRequested -= onRequest;
            subscriber.GetRoster().SubscriptionChanged -= onAnswer;
        }
    }

    /// <summary>Waits until a condition holds; the bound only catches a hang.</summary>
    private static async Task Eventually(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting: " + what);
            }

            await Task.Delay(20);
        }
    }
}
