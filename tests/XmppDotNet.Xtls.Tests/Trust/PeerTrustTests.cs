using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Tests.Trust;

public class PeerTrustTests
{
    private static readonly Jid AlicePhone = Jid.Parse("alice@example.org/phone");
    private static readonly Jid AliceLaptop = Jid.Parse("alice@example.org/laptop");
    private static readonly Jid Alice = Jid.Parse("alice@example.org");
    private static readonly Fingerprint KeyA = Fingerprint.Of([1]);
    private static readonly Fingerprint KeyB = Fingerprint.Of([2]);
    private static readonly Fingerprint KeyC = Fingerprint.Of([3]);

    [Test]
    public async Task Without_a_callback_the_store_decides()
    {
        var store = new InMemoryTrustStore();

        TrustResult result = await PeerTrust.VerifyAsync(store, AlicePhone, KeyA);

        Assert.That(result.Reason, Is.EqualTo(TrustReason.FirstUse));
    }

    [Test]
    public async Task Callback_sees_the_full_jid_and_the_store_result()
    {
        var store = new InMemoryTrustStore();
        await store.VerifyAsync(AlicePhone, KeyA);
        (Jid Peer, Fingerprint Presented, TrustResult Stored)? seen = null;

        await PeerTrust.VerifyAsync(store, AlicePhone, KeyB, (peer, presented, stored, _) =>
        {
            seen = (peer, presented, stored);
            return ValueTask.FromResult(false);
        });

        Assert.Multiple(() =>
        {
            Assert.That(seen!.Value.Peer, Is.EqualTo(AlicePhone));
            Assert.That(seen.Value.Presented, Is.EqualTo(KeyB));
            Assert.That(seen.Value.Stored.Reason, Is.EqualTo(TrustReason.Changed));
            Assert.That(seen.Value.Stored.Known, Is.EqualTo(KeyA));
        });
    }

    [Test]
    public async Task Accepting_a_changed_key_pins_it()
    {
        var store = new InMemoryTrustStore();
        await store.VerifyAsync(AlicePhone, KeyA);

        TrustResult result = await PeerTrust.VerifyAsync(store, AlicePhone, KeyB, Answer(true));
        TrustResult later = await store.VerifyAsync(Alice, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new TrustResult(TrustDecision.Trusted, TrustReason.AcceptedByUser, KeyB, KeyA)));
            Assert.That(later.Reason, Is.EqualTo(TrustReason.Pinned));
        });
    }

    [Test]
    public async Task Refusing_a_changed_key_keeps_the_store_verdict()
    {
        var store = new InMemoryTrustStore();
        await store.VerifyAsync(Alice, KeyA);

        TrustResult result = await PeerTrust.VerifyAsync(store, Alice, KeyB, Answer(false));

        Assert.Multiple(async () =>
        {
            Assert.That(result.Reason, Is.EqualTo(TrustReason.Changed));
            Assert.That((await store.VerifyAsync(Alice, KeyA)).Reason, Is.EqualTo(TrustReason.KnownFingerprint));
        });
    }

    [Test]
    public async Task Vetoing_a_first_use_leaves_nothing_recorded()
    {
        var store = new InMemoryTrustStore();

        TrustResult result = await PeerTrust.VerifyAsync(store, Alice, KeyA, Answer(false));
        TrustResult next = await store.VerifyAsync(Alice, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.RejectedByUser, KeyA, null)));
            Assert.That(next.Reason, Is.EqualTo(TrustReason.FirstUse), "the refused key was not kept");
        });
    }

    [Test]
    public async Task Vetoing_a_known_key_does_not_forget_it()
    {
        var store = new InMemoryTrustStore();
        await store.PinAsync(Alice, KeyA);

        TrustResult result = await PeerTrust.VerifyAsync(store, Alice, KeyA, Answer(false));

        Assert.Multiple(async () =>
        {
            Assert.That(result.Reason, Is.EqualTo(TrustReason.RejectedByUser));
            Assert.That((await store.VerifyAsync(Alice, KeyA)).Reason, Is.EqualTo(TrustReason.Pinned));
        });
    }

    [Test]
    public async Task Callback_that_throws_undoes_a_first_use_and_propagates()
    {
        var store = new InMemoryTrustStore();

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await PeerTrust.VerifyAsync(store, Alice, KeyA, (_, _, _, _) => throw new InvalidOperationException("prompt closed")));

        Assert.That((await store.VerifyAsync(Alice, KeyB)).Reason, Is.EqualTo(TrustReason.FirstUse));
    }

    [Test]
    public async Task Accepting_a_new_device_of_a_pinned_contact_pins_it_with_its_resource()
    {
        var store = new InMemoryTrustStore();
        await store.PinAsync(AlicePhone, KeyA);
        TrustResult? asked = null;

        TrustResult result = await PeerTrust.VerifyAsync(store, AliceLaptop, KeyB, (_, _, stored, _) =>
        {
            asked = stored;
            return ValueTask.FromResult(true);
        });
        TrustResult later = await store.VerifyAsync(AliceLaptop, KeyB);
        TrustResult laptopChanged = await store.VerifyAsync(AliceLaptop, KeyC);

        Assert.Multiple(() =>
        {
            Assert.That(asked!.Reason, Is.EqualTo(TrustReason.NewDeviceNotConfirmed));
            Assert.That(result, Is.EqualTo(new TrustResult(TrustDecision.Trusted, TrustReason.AcceptedByUser, KeyB, null)));
            Assert.That(later.Reason, Is.EqualTo(TrustReason.Pinned));
            Assert.That(laptopChanged.Known, Is.EqualTo(KeyB), "pinned with the resource it came from");
        });
    }

    [Test]
    public async Task A_new_device_trusted_on_first_use_is_shown_to_the_callback_as_such()
    {
        var store = new InMemoryTrustStore();
        await store.VerifyAsync(AlicePhone, KeyA);
        TrustResult? asked = null;

        TrustResult result = await PeerTrust.VerifyAsync(store, AliceLaptop, KeyB, (_, _, stored, _) =>
        {
            asked = stored;
            return ValueTask.FromResult(true);
        });

        Assert.Multiple(() =>
        {
            Assert.That(asked!.Reason, Is.EqualTo(TrustReason.NewDevice));
            Assert.That(result, Is.EqualTo(asked));
        });
    }

    [Test]
    public async Task Vetoing_a_new_device_forgets_that_device_only()
    {
        var store = new InMemoryTrustStore();
        await store.VerifyAsync(AlicePhone, KeyA);

        TrustResult result = await PeerTrust.VerifyAsync(store, AliceLaptop, KeyB, Answer(false));
        TrustResult phone = await store.VerifyAsync(AlicePhone, KeyA);
        TrustResult laptop = await store.VerifyAsync(AliceLaptop, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.RejectedByUser, KeyB, null)));
            Assert.That(phone.Reason, Is.EqualTo(TrustReason.KnownFingerprint), "the other device stays");
            Assert.That(laptop.Reason, Is.EqualTo(TrustReason.NewDevice), "the refused key was not kept");
        });
    }

    private static PeerVerificationCallback Answer(bool accept) => (_, _, _, _) => ValueTask.FromResult(accept);
}
