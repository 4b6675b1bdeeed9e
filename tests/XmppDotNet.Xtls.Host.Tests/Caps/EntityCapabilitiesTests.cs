using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Tests.Client;
using XmppDotNet.Xtls.Host.Tests.Support;

namespace XmppDotNet.Xtls.Host.Tests.Caps;

public class EntityCapabilitiesTests
{
    private const string Xtls = "urn:xmpp:tmp:xtls";
    private static readonly string[] XtlsClient = [XmppNamespaces.DiscoInfo, XmppNamespaces.Caps, Xtls];
    private static readonly string[] PlainClient = [XmppNamespaces.DiscoInfo];
    private static readonly string[] BalconyAndChamber = ["balcony", "chamber"];

    private FakeSession _session = null!;
    private DiscoAnswers _remote = null!;
    private PresenceBook _book = null!;
    private EntityCapabilities _caps = null!;
    private List<FeaturesKnownEventArgs> _known = null!;

    [SetUp]
    public void SetUp()
    {
        _session = new FakeSession();
        _remote = new DiscoAnswers(_session);
        _book = PresenceBook.Register(_session);
        _caps = EntityCapabilities.Register(_session);
        _known = [];
        _caps.FeaturesKnown += (_, e) =>
        {
            lock (_known)
            {
                _known.Add(e);
            }
        };
    }

    [Test]
    public async Task Presence_with_an_unknown_ver_starts_one_verified_lookup_and_features_become_known_without_asking()
    {
        _remote.Set("juliet@capulet.lit/balcony", XtlsClient);
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", caps: DiscoAnswers.Caps(DiscoAnswers.VerOf(XtlsClient))));

        FeaturesKnownEventArgs known = await WaitForKnownAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(known.FullJid, Is.EqualTo(Jid.Parse("juliet@capulet.lit/balcony")));
            Assert.That(known.FromCaps, Is.True);
            Assert.That(known.Features, Is.EquivalentTo(XtlsClient));
            Assert.That(_remote.Queries.Single().Node, Is.EqualTo("urn:example:client#" + DiscoAnswers.VerOf(XtlsClient)), "asked for node#ver");
            Assert.That(_caps.CachedVers, Is.EqualTo(1));
            Assert.That(_caps.TryGetKnownFeatures(Jid.Parse("juliet@capulet.lit/balcony"), out IReadOnlySet<string>? features), Is.True);
            Assert.That(features, Does.Contain(Xtls));
        });
        Assert.That(await _caps.GetFeaturesAsync(Jid.Parse("juliet@capulet.lit/balcony")), Does.Contain(Xtls));
        Assert.That(_remote.Queries, Has.Count.EqualTo(1), "answered from the cache");
    }

    [Test]
    public async Task Two_resources_with_the_same_ver_cost_one_query_and_both_become_known()
    {
        string ver = DiscoAnswers.VerOf(XtlsClient);
        _remote.Set("juliet@capulet.lit/balcony", XtlsClient);
        _remote.Set("juliet@capulet.lit/chamber", XtlsClient);
        _remote.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", caps: DiscoAnswers.Caps(ver)));
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/chamber", caps: DiscoAnswers.Caps(ver)));
        Task<IReadOnlySet<string>> askBalcony = _caps.GetFeaturesAsync(Jid.Parse("juliet@capulet.lit/balcony"));
        Task<IReadOnlySet<string>> askChamber = _caps.GetFeaturesAsync(Jid.Parse("juliet@capulet.lit/chamber"));
        _remote.Gate.SetResult();

        IReadOnlySet<string>[] answers = await Task.WhenAll(askBalcony, askChamber).WaitAsync(RouterFixture.Bound);
        await WaitForKnownAsync(2);

        Assert.That(_remote.Queries, Has.Count.EqualTo(1));
        Assert.That(answers, Has.All.Contains(Xtls));
        Assert.That(_known.Select(k => k.FullJid.Resource), Is.EquivalentTo(BalconyAndChamber));
        Assert.That(_known, Has.All.Property(nameof(FeaturesKnownEventArgs.FromCaps)).True);

        // A third resource arriving later is known at once.
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/garden", caps: DiscoAnswers.Caps(ver)));
        await WaitForKnownAsync(3);
        Assert.That(_remote.Queries, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_ver_that_does_not_verify_is_not_cached_not_trusted_and_the_resource_is_asked_plainly()
    {
        // The resource claims the ver of an XTLS client but its answer lists other features.
        string claimed = DiscoAnswers.VerOf(XtlsClient);
        _remote.Set("mallory@evil.example/a", PlainClient);
        _remote.Set("mallory@evil.example/b", PlainClient);
        await _session.ReceiveAsync(Presences.Available("mallory@evil.example/a", caps: DiscoAnswers.Caps(claimed)));

        IReadOnlySet<string> features = await _caps.GetFeaturesAsync(Jid.Parse("mallory@evil.example/a")).WaitAsync(RouterFixture.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(features, Is.EquivalentTo(PlainClient));
            Assert.That(_caps.CachedVers, Is.Zero);
            Assert.That(_remote.NodeQueries, Is.EqualTo(1));
            Assert.That(_remote.PlainQueries, Is.EqualTo(1));
            Assert.That(_known.Where(k => k.FromCaps), Is.Empty);
        });
        FeaturesKnownEventArgs fallback = await WaitForKnownAsync(1);
        Assert.That(fallback.FromCaps, Is.False, "known from the resource's own answer");
        Assert.That(fallback.Features, Is.EquivalentTo(PlainClient));

        // The same false claim from another resource: no new node query, a plain one for that resource.
        await _session.ReceiveAsync(Presences.Available("mallory@evil.example/b", caps: DiscoAnswers.Caps(claimed)));
        IReadOnlySet<string> second = await _caps.GetFeaturesAsync(Jid.Parse("mallory@evil.example/b")).WaitAsync(RouterFixture.Bound);

        Assert.That(second, Is.EquivalentTo(PlainClient));
        Assert.That(_remote.NodeQueries, Is.EqualTo(1));
        Assert.That(_remote.Queries[^1], Is.EqualTo((Jid.Parse("mallory@evil.example/b"), (string?)null)));
    }

    [Test]
    public async Task A_caller_waiting_on_a_ver_that_fails_verification_shares_the_plain_query_of_that_resource()
    {
        _remote.Set("mallory@evil.example/a", PlainClient);
        _remote.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _session.ReceiveAsync(Presences.Available("mallory@evil.example/a", caps: DiscoAnswers.Caps(DiscoAnswers.VerOf(XtlsClient))));
        Task<IReadOnlySet<string>> asking = _caps.GetFeaturesAsync(Jid.Parse("mallory@evil.example/a"));

        _remote.Gate.SetResult();

        Assert.That(await asking.WaitAsync(RouterFixture.Bound), Is.EquivalentTo(PlainClient));
        Assert.That(_remote.NodeQueries, Is.EqualTo(1));
        Assert.That(_remote.PlainQueries, Is.EqualTo(1));
    }

    [TestCase("md5")]
    [TestCase("sha-256")]
    public async Task A_ver_of_another_hash_is_treated_as_no_caps(string hash)
    {
        _remote.Set("juliet@capulet.lit/balcony", XtlsClient);
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", caps: DiscoAnswers.Caps("whatever", hash)));

        IReadOnlySet<string> features = await _caps.GetFeaturesAsync(Jid.Parse("juliet@capulet.lit/balcony")).WaitAsync(RouterFixture.Bound);

        Assert.That(features, Does.Contain(Xtls));
        Assert.That(_remote.Queries.Single(), Is.EqualTo((Jid.Parse("juliet@capulet.lit/balcony"), (string?)null)));
        Assert.That(_caps.CachedVers, Is.Zero);
    }

    [Test]
    public async Task A_resource_without_caps_is_asked_plainly_and_its_answer_is_kept_until_its_presence_changes()
    {
        var balcony = Jid.Parse("juliet@capulet.lit/balcony");
        _remote.Set("juliet@capulet.lit/balcony", XtlsClient);
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony"));
        Assert.That(_remote.Queries, Is.Empty, "no caps, no lookup until asked");
        Assert.That(_caps.TryGetKnownFeatures(balcony, out _), Is.False);

        await _caps.GetFeaturesAsync(balcony).WaitAsync(RouterFixture.Bound);
        await _caps.GetFeaturesAsync(balcony).WaitAsync(RouterFixture.Bound);

        Assert.That(_remote.Queries, Has.Count.EqualTo(1));
        Assert.That(_remote.Queries[0], Is.EqualTo((balcony, (string?)null)));
        Assert.That(_caps.TryGetKnownFeatures(balcony, out _), Is.True);
        Assert.That(_known.Single().FromCaps, Is.False);

        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", show: "away"));
        Assert.That(_caps.TryGetKnownFeatures(balcony, out _), Is.False, "presence changed");
        await _caps.GetFeaturesAsync(balcony).WaitAsync(RouterFixture.Bound);
        Assert.That(_remote.Queries, Has.Count.EqualTo(2));

        await _session.ReceiveAsync(Presences.OfType("juliet@capulet.lit/balcony", "unavailable"));
        Assert.That(_caps.TryGetKnownFeatures(balcony, out _), Is.False, "unavailable");
    }

    [Test]
    public async Task An_offline_resource_fails_with_the_stanza_error_of_the_query()
    {
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/gone", caps: DiscoAnswers.Caps(DiscoAnswers.VerOf(XtlsClient))));

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(async () => await _caps.GetFeaturesAsync(Jid.Parse("juliet@capulet.lit/gone")).WaitAsync(RouterFixture.Bound));

        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
        Assert.That(_caps.PendingQueries, Is.Zero);
        Assert.That(_caps.CachedVers, Is.Zero);
    }

    [Test]
    public async Task A_flood_of_vers_keeps_pending_lookups_and_the_cache_bounded()
    {
        _caps.MaxPendingQueries = 4;
        _caps.MaxCachedVers = 10;
        _remote.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (int i = 0; i < 200; i++)
        {
            string[] features = [XmppNamespaces.DiscoInfo, $"urn:example:feature-{i}"];
            _remote.Set($"bot{i}@evil.example/r", features);
            await _session.ReceiveAsync(Presences.Available($"bot{i}@evil.example/r", caps: DiscoAnswers.Caps(DiscoAnswers.VerOf(features))));
        }

        Assert.That(_remote.Queries, Has.Count.EqualTo(4), "presence started only as many lookups as allowed");
        Assert.That(_caps.PendingQueries, Is.EqualTo(4));

        _remote.Gate.SetResult();
        await WaitForKnownAsync(4);
        Assert.That(_caps.PendingQueries, Is.Zero);

        _remote.Gate = null;
        for (int i = 200; i < 400; i++)
        {
            string[] features = [XmppNamespaces.DiscoInfo, $"urn:example:feature-{i}"];
            _remote.Set($"bot{i}@evil.example/r", features);
            await _session.ReceiveAsync(Presences.Available($"bot{i}@evil.example/r", caps: DiscoAnswers.Caps(DiscoAnswers.VerOf(features))));
            await _caps.GetFeaturesAsync(Jid.Parse($"bot{i}@evil.example/r")).WaitAsync(RouterFixture.Bound);
        }

        Assert.That(_caps.CachedVers, Is.EqualTo(10));
        Assert.That(_caps.PendingQueries, Is.Zero);

        // A lookup held back by the bound happens when someone asks.
        Assert.That(await _caps.GetFeaturesAsync(Jid.Parse("bot100@evil.example/r")).WaitAsync(RouterFixture.Bound), Does.Contain("urn:example:feature-100"));
    }

    [Test]
    public async Task A_throwing_handler_does_not_stop_the_others()
    {
        var seen = new TaskCompletionSource<FeaturesKnownEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fresh = new FakeSession();
        var remote = new DiscoAnswers(fresh);
        PresenceBook.Register(fresh);
        EntityCapabilities caps = EntityCapabilities.Register(fresh);
        caps.FeaturesKnown += (_, _) => throw new InvalidOperationException("broken application");
        caps.FeaturesKnown += (_, e) => seen.TrySetResult(e);
        remote.Set("juliet@capulet.lit/balcony", XtlsClient);

        await fresh.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", caps: DiscoAnswers.Caps(DiscoAnswers.VerOf(XtlsClient))));

        Assert.That((await seen.Task.WaitAsync(RouterFixture.Bound)).Features, Does.Contain(Xtls));
    }

    [Test]
    public async Task A_resource_announcing_our_own_ver_is_known_without_a_query()
    {
        _session.Features.Add(XmppNamespaces.DiscoInfo);
        _session.Features.Add(Xtls);
        var own = new CapsAnnouncement(EntityCapabilities.OwnNode, _caps.OwnVer, "sha-1");

        await _session.ReceiveAsync(Presences.Available("romeo@montague.lit/phone", caps: Presences.Caps(own.Node, own.Ver, own.Hash)));
        FeaturesKnownEventArgs known = await WaitForKnownAsync(1);

        Assert.That(known.Features, Is.EquivalentTo(_session.Features.ToList()));
        Assert.That(_remote.Queries, Is.Empty);
    }

    [Test]
    public void A_bare_jid_is_refused_and_the_service_needs_a_presence_book()
    {
        Assert.That(() => _caps.GetFeaturesAsync(Jid.Parse("juliet@capulet.lit")), Throws.ArgumentException);
        Assert.That(() => EntityCapabilities.Register(new FakeSession()), Throws.InvalidOperationException);
        Assert.That(_session.GetEntityCapabilities(), Is.SameAs(_caps));
    }

    private async Task<FeaturesKnownEventArgs> WaitForKnownAsync(int count)
    {
        DateTime deadline = DateTime.UtcNow + RouterFixture.Bound;
        while (true)
        {
            lock (_known)
            {
                if (_known.Count >= count)
                {
                    return _known[count - 1];
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Only {_known.Count} of {count} FeaturesKnown events arrived.");
            }

            await Task.Delay(10);
        }
    }
}
