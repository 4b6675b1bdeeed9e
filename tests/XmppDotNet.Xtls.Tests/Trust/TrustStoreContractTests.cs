using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Tests.Trust;

/// <summary>The rules every trust store follows, run against both implementations.</summary>
[TestFixture(typeof(InMemoryTrustStore))]
[TestFixture(typeof(FileTrustStore))]
public class TrustStoreContractTests<TStore>
    where TStore : ITrustStore
{
    private static readonly Jid Alice = Jid.Parse("alice@example.org");
    private static readonly Jid AliceLaptop = Jid.Parse("alice@example.org/laptop");
    private static readonly Jid Bob = Jid.Parse("bob@example.org");
    private static readonly Fingerprint KeyA = Fingerprint.Of([1, 2, 3]);
    private static readonly Fingerprint KeyB = Fingerprint.Of([4, 5, 6]);
    private static readonly Fingerprint KeyC = Fingerprint.Of([7, 8, 9]);

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() =>
        _directory = Directory.CreateTempSubdirectory("xtls-trust-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task First_fingerprint_is_trusted_on_first_use_and_known_afterwards()
    {
        ITrustStore store = Create();

        TrustResult first = await store.VerifyAsync(Alice, KeyA);
        TrustResult second = await store.VerifyAsync(AliceLaptop, KeyA);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new TrustResult(TrustDecision.Trusted, TrustReason.FirstUse, KeyA, null)));
            Assert.That(second, Is.EqualTo(new TrustResult(TrustDecision.Trusted, TrustReason.KnownFingerprint, KeyA, KeyA)));
        });
    }

    [Test]
    public async Task Different_fingerprint_is_rejected_as_changed_until_pinned()
    {
        ITrustStore store = Create();
        await store.VerifyAsync(Alice, KeyA);

        TrustResult changed = await store.VerifyAsync(Alice, KeyB);
        await store.PinAsync(Alice, KeyB);
        TrustResult pinned = await store.VerifyAsync(Alice, KeyB);
        TrustResult old = await store.VerifyAsync(Alice, KeyA);

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.Changed, KeyB, KeyA)));
            Assert.That(changed.IsTrusted, Is.False);
            Assert.That(pinned, Is.EqualTo(new TrustResult(TrustDecision.Trusted, TrustReason.Pinned, KeyB, KeyB)));
            Assert.That(old.Reason, Is.EqualTo(TrustReason.Changed), "a pin replaces the first-use record");
        });
    }

    [Test]
    public async Task Only_pinned_fingerprints_are_accepted_and_several_may_be_pinned()
    {
        ITrustStore store = Create();
        await store.PinAsync(Alice, KeyA);
        await store.PinAsync(Alice, KeyB);

        Assert.Multiple(async () =>
        {
            Assert.That((await store.VerifyAsync(Alice, KeyA)).Reason, Is.EqualTo(TrustReason.Pinned));
            Assert.That((await store.VerifyAsync(Alice, KeyB)).Reason, Is.EqualTo(TrustReason.Pinned));
            Assert.That((await store.VerifyAsync(Alice, KeyC)).Decision, Is.EqualTo(TrustDecision.Rejected));
        });
    }

    [Test]
    public async Task Peers_are_kept_apart()
    {
        ITrustStore store = Create();
        await store.VerifyAsync(Alice, KeyA);

        TrustResult bob = await store.VerifyAsync(Bob, KeyB);

        Assert.That(bob.Reason, Is.EqualTo(TrustReason.FirstUse));
    }

    [Test]
    public async Task Forget_removes_everything_known_about_a_peer()
    {
        ITrustStore store = Create();
        await store.PinAsync(Alice, KeyA);

        bool forgotten = await store.ForgetAsync(AliceLaptop);
        bool again = await store.ForgetAsync(Alice);
        TrustResult fresh = await store.VerifyAsync(Alice, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(forgotten, Is.True);
            Assert.That(again, Is.False);
            Assert.That(fresh.Reason, Is.EqualTo(TrustReason.FirstUse));
        });
    }

    [Test]
    public async Task Without_trust_on_first_use_unknown_peers_are_rejected_and_nothing_is_recorded()
    {
        ITrustStore store = Create(TrustOnFirstUse.Disabled);

        TrustResult first = await store.VerifyAsync(Alice, KeyA);
        TrustResult second = await store.VerifyAsync(Alice, KeyA);
        await store.PinAsync(Alice, KeyA);
        TrustResult pinned = await store.VerifyAsync(Alice, KeyA);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.NotPinned, KeyA, null)));
            Assert.That(second.Reason, Is.EqualTo(TrustReason.NotPinned));
            Assert.That(pinned.Reason, Is.EqualTo(TrustReason.Pinned));
        });
    }

    [Test]
    public async Task Concurrent_first_uses_record_exactly_one_fingerprint()
    {
        ITrustStore store = Create();
        Fingerprint[] keys = Enumerable.Range(0, 16).Select(i => Fingerprint.Of([(byte)i])).ToArray();

        TrustResult[] results = await Task.WhenAll(keys.Select(k => Task.Run(() => store.VerifyAsync(Alice, k).AsTask())));

        Assert.Multiple(() =>
        {
            Assert.That(results.Count(r => r.Reason == TrustReason.FirstUse), Is.EqualTo(1));
            Assert.That(results.Count(r => r.Reason == TrustReason.Changed), Is.EqualTo(keys.Length - 1));
        });
    }

    [Test]
    public void Empty_fingerprints_and_null_peers_are_refused()
    {
        ITrustStore store = Create();

        Assert.Multiple(() =>
        {
            Assert.That(async () => await store.VerifyAsync(Alice, default), Throws.ArgumentException);
            Assert.That(async () => await store.PinAsync(Alice, default), Throws.ArgumentException);
            Assert.That(async () => await store.VerifyAsync(null!, KeyA), Throws.ArgumentNullException);
        });
    }

    private ITrustStore Create(TrustOnFirstUse tofu = TrustOnFirstUse.Enabled) =>
        typeof(TStore) == typeof(FileTrustStore)
            ? new FileTrustStore(Path.Combine(_directory, "trust.txt"), tofu)
            : new InMemoryTrustStore(tofu);
}
