using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Tests.Client;

namespace XmppDotNet.Xtls.Host.Tests.Caps;

public class EntityCapabilitiesRouterTests
{
    private RouterFixture _fixture = null!;

    [SetUp]
    public async Task SetUp() => _fixture = await RouterFixture.StartAsync();

    [TearDown]
    public async Task TearDown() => await _fixture.DisposeAsync();

    [Test]
    public async Task A_contacts_caps_are_verified_once_and_shared_by_its_second_resource()
    {
        var discoQueries = new ConcurrentQueue<(Jid From, Jid To, string? Node)>();
        _fixture.Router.StanzaRouted += (_, e) =>
        {
            if (e.Stanza.Element(XName.Get("query", XmppNamespaces.DiscoInfo)) is { } query && (string?)e.Stanza.Attribute("type") == "get")
            {
                discoQueries.Enqueue((e.From, e.To, (string?)query.Attribute("node")));
            }
        };
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        EntityCapabilities caps = romeo.GetEntityCapabilities();
        var known = new BlockingCollection<FeaturesKnownEventArgs>();
        caps.FeaturesKnown += (_, e) => known.Add(e);

        XmppClient balcony = await _fixture.OnlineAsync("juliet", "j-pass", "balcony", b => b.WithSessionInitializer(s => s.Features.Add("urn:xmpp:tmp:xtls")));
        Assert.That(known.TryTake(out FeaturesKnownEventArgs? first, RouterFixture.Bound), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(first!.FullJid, Is.EqualTo(balcony.Jid));
            Assert.That(first.FromCaps, Is.True);
            Assert.That(first.Features, Does.Contain("urn:xmpp:tmp:xtls"));
            Assert.That(romeo.GetPresenceBook().Find(balcony.Jid)!.Caps, Is.EqualTo(new CapsAnnouncement(EntityCapabilities.OwnNode, balcony.GetEntityCapabilities().OwnVer, "sha-1")));
            Assert.That(discoQueries.Single(), Is.EqualTo((romeo.Jid, balcony.Jid, (string?)(EntityCapabilities.OwnNode + "#" + balcony.GetEntityCapabilities().OwnVer))));
        });

        XmppClient chamber = await _fixture.OnlineAsync("juliet", "j-pass", "chamber", b => b.WithSessionInitializer(s => s.Features.Add("urn:xmpp:tmp:xtls")));
        Assert.That(known.TryTake(out FeaturesKnownEventArgs? second, RouterFixture.Bound), Is.True);

        Assert.That(second!.FullJid, Is.EqualTo(chamber.Jid));
        Assert.That(second.FromCaps, Is.True);
        Assert.That(await caps.GetFeaturesAsync(chamber.Jid).WaitAsync(RouterFixture.Bound), Does.Contain("urn:xmpp:tmp:xtls"));
        Assert.That(discoQueries, Has.Count.EqualTo(1), "the second resource cost no query, and juliet's resources know each other's ver as their own");
    }

    [Test]
    public async Task A_client_that_does_not_announce_caps_is_asked_by_disco_info_and_its_answer_is_cached_for_that_resource()
    {
        var discoQueries = new ConcurrentQueue<(Jid To, string? Node)>();
        _fixture.Router.StanzaRouted += (_, e) =>
        {
            if (e.Stanza.Element(XName.Get("query", XmppNamespaces.DiscoInfo)) is { } query && (string?)e.Stanza.Attribute("type") == "get")
            {
                discoQueries.Enqueue((e.To, (string?)query.Attribute("node")));
            }
        };
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        var presences = new BlockingCollection<ResourceAvailableEventArgs>();
        romeo.GetPresenceBook().ResourceAvailable += (_, e) => presences.Add(e);

        XmppClient laptop = await _fixture.OnlineAsync(
            "juliet",
            "j-pass",
            "laptop",
            b => b.Configure(o => o.AnnounceCapabilities = false).WithSessionInitializer(s => s.Features.Add("urn:xmpp:tmp:xtls")));
        Assert.That(presences.TryTake(out ResourceAvailableEventArgs? seen, RouterFixture.Bound), Is.True);
        IReadOnlySet<string> features = await romeo.GetEntityCapabilities().GetFeaturesAsync(laptop.Jid).WaitAsync(RouterFixture.Bound);
        IReadOnlySet<string> again = await romeo.GetEntityCapabilities().GetFeaturesAsync(laptop.Jid).WaitAsync(RouterFixture.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(seen!.Presence.Jid, Is.EqualTo(laptop.Jid));
            Assert.That(seen.Presence.Caps, Is.Null, "no <c/> in its presence");
            Assert.That(laptop.Features.Contains(XmppNamespaces.Caps), Is.False, "nor the caps feature in its disco#info");
            Assert.That(features, Does.Contain("urn:xmpp:tmp:xtls"));
            Assert.That(again, Is.EquivalentTo(features));
            Assert.That(discoQueries.Where(q => q.To == laptop.Jid), Is.EqualTo(new[] { (laptop.Jid, (string?)null) }), "one plain disco#info to the resource");
        });
    }
}
