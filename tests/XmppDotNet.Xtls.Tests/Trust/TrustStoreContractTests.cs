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
    private static readonly Jid AlicePhone = Jid.Parse("alice@example.org/phone");
    private static readonly Jid AliceTablet = Jid.Parse("alice@example.org/tablet");
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
            Assert.That(old.Reason, Is.EqualTo(TrustReason.KnownFingerprint), "a pin keeps the contact's other devices");
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
            Assert.That(async () => await store.ForgetDeviceAsync(Alice, default), Throws.ArgumentException);
            Assert.That(async () => await store.ForgetDeviceAsync(null!, KeyA), Throws.ArgumentNullException);
        });
    }

    [Test]
    public async Task A_second_device_is_trusted_on_first_use_as_a_new_device_and_known_afterwards()
    {
        ITrustStore store = Create();

        TrustResult phone = await store.VerifyAsync(AlicePhone, KeyA);
        TrustResult laptop = await store.VerifyAsync(AliceLaptop, KeyB);
        TrustResult laptopAgain = await store.VerifyAsync(AliceLaptop, KeyB);
        TrustResult phoneAgain = await store.VerifyAsync(AlicePhone, KeyA);
        TrustResult bare = await store.VerifyAsync(Alice, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(phone.Reason, Is.EqualTo(TrustReason.FirstUse));
            Assert.That(laptop, Is.EqualTo(new TrustResult(TrustDecision.Trusted, TrustReason.NewDevice, KeyB, null)));
            Assert.That(laptopAgain, Is.EqualTo(new TrustResult(TrustDecision.Trusted, TrustReason.KnownFingerprint, KeyB, KeyB)));
            Assert.That(phoneAgain.Reason, Is.EqualTo(TrustReason.KnownFingerprint));
            Assert.That(bare.Reason, Is.EqualTo(TrustReason.KnownFingerprint), "a known fingerprint is trusted whatever the resource");
        });
    }

    [Test]
    public async Task A_new_key_on_a_resource_that_had_another_is_changed_and_refused()
    {
        ITrustStore store = Create();
        await store.VerifyAsync(AlicePhone, KeyA);
        await store.VerifyAsync(AliceLaptop, KeyB);

        TrustResult changed = await store.VerifyAsync(AlicePhone, KeyC);
        TrustResult again = await store.VerifyAsync(AlicePhone, KeyC);

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.Changed, KeyC, KeyA)), "names the key that resource had");
            Assert.That(again.Reason, Is.EqualTo(TrustReason.Changed), "nothing was recorded");
        });
    }

    [Test]
    public async Task Without_a_resource_an_unknown_key_of_a_known_contact_is_changed()
    {
        ITrustStore store = Create();
        await store.VerifyAsync(AlicePhone, KeyA);

        TrustResult result = await store.VerifyAsync(Alice, KeyB);

        Assert.That(result, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.Changed, KeyB, KeyA)));
    }

    [Test]
    public async Task Only_the_resource_tells_a_new_device_from_a_changed_key()
    {
        // The limit of the protocol: the same key that is refused as a change on the phone's resource is a
        // new device on a resource never seen, which the peer's server chooses.
        ITrustStore store = Create();
        await store.VerifyAsync(AlicePhone, KeyA);

        TrustResult onPhone = await store.VerifyAsync(AlicePhone, KeyB);
        TrustResult elsewhere = await store.VerifyAsync(AliceTablet, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(onPhone.Reason, Is.EqualTo(TrustReason.Changed));
            Assert.That(elsewhere.Reason, Is.EqualTo(TrustReason.NewDevice));
        });
    }

    [Test]
    public async Task A_resource_remembers_every_key_seen_on_it()
    {
        ITrustStore store = Create();
        await store.VerifyAsync(AlicePhone, KeyA);
        await store.VerifyAsync(AliceLaptop, KeyB);

        TrustResult phoneKeyOnLaptop = await store.VerifyAsync(AliceLaptop, KeyA);
        TrustResult onLaptop = await store.VerifyAsync(AliceLaptop, KeyC);
        TrustResult laptopKeyOnLaptop = await store.VerifyAsync(AliceLaptop, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(phoneKeyOnLaptop.Reason, Is.EqualTo(TrustReason.KnownFingerprint));
            Assert.That(onLaptop.Reason, Is.EqualTo(TrustReason.Changed));
            Assert.That(onLaptop.Known, Is.AnyOf(KeyA, KeyB));
            Assert.That(laptopKeyOnLaptop.Reason, Is.EqualTo(TrustReason.KnownFingerprint));
        });
    }

    [Test]
    public async Task A_device_recorded_without_a_resource_may_be_behind_any_new_resource_until_it_is_seen()
    {
        ITrustStore store = Create();
        await store.VerifyAsync(Alice, KeyA);

        TrustResult before = await store.VerifyAsync(AliceLaptop, KeyB);
        await store.VerifyAsync(AlicePhone, KeyA);
        TrustResult after = await store.VerifyAsync(AliceLaptop, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.Changed, KeyB, KeyA)), "it may be the device of KeyA with a new key");
            Assert.That(after.Reason, Is.EqualTo(TrustReason.NewDevice), "KeyA is on the phone, so the laptop is another device");
        });
    }

    [Test]
    public async Task A_device_remembers_its_most_recent_resources_only()
    {
        ITrustStore store = Create();
        int kept = 8;
        for (int i = 0; i <= kept; i++)
        {
            await store.VerifyAsync(Alice.WithResource("r" + i), KeyA);
        }

        TrustResult oldest = await store.VerifyAsync(Alice.WithResource("r0"), KeyB);
        TrustResult newest = await store.VerifyAsync(Alice.WithResource("r" + kept), KeyC);

        Assert.Multiple(() =>
        {
            Assert.That(oldest.Reason, Is.EqualTo(TrustReason.NewDevice), "the oldest resource was dropped");
            Assert.That(newest.Reason, Is.EqualTo(TrustReason.Changed));
        });
    }

    [Test]
    public async Task A_contact_with_a_pin_gets_no_new_device_until_it_is_pinned()
    {
        ITrustStore store = Create();
        await store.PinAsync(AlicePhone, KeyA);

        TrustResult refused = await store.VerifyAsync(AliceLaptop, KeyB);
        TrustResult stillRefused = await store.VerifyAsync(AliceLaptop, KeyB);
        await store.PinAsync(AliceLaptop, KeyB);
        TrustResult pinned = await store.VerifyAsync(AliceLaptop, KeyB);
        TrustResult phone = await store.VerifyAsync(AlicePhone, KeyA);
        TrustResult laptopChanged = await store.VerifyAsync(AliceLaptop, KeyC);

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.NewDeviceNotConfirmed, KeyB, null)));
            Assert.That(stillRefused.Reason, Is.EqualTo(TrustReason.NewDeviceNotConfirmed), "nothing was recorded");
            Assert.That(pinned.Reason, Is.EqualTo(TrustReason.Pinned));
            Assert.That(phone.Reason, Is.EqualTo(TrustReason.Pinned));
            Assert.That(laptopChanged.Known, Is.EqualTo(KeyB), "the pin remembered the resource it was given");
        });
    }

    [Test]
    public async Task Pinning_one_device_keeps_the_others_but_ends_new_devices_on_first_use()
    {
        ITrustStore store = Create();
        await store.VerifyAsync(AlicePhone, KeyA);
        await store.VerifyAsync(AliceLaptop, KeyB);

        await store.PinAsync(AlicePhone, KeyA);
        TrustResult phone = await store.VerifyAsync(AlicePhone, KeyA);
        TrustResult laptop = await store.VerifyAsync(AliceLaptop, KeyB);
        TrustResult tablet = await store.VerifyAsync(AliceTablet, KeyC);

        Assert.Multiple(() =>
        {
            Assert.That(phone.Reason, Is.EqualTo(TrustReason.Pinned));
            Assert.That(laptop.Reason, Is.EqualTo(TrustReason.KnownFingerprint), "still trusted, reported as first use");
            Assert.That(tablet.Decision, Is.EqualTo(TrustDecision.Rejected));
            Assert.That(tablet.Reason, Is.EqualTo(TrustReason.NewDeviceNotConfirmed));
        });
    }

    [Test]
    public async Task Requiring_confirmation_refuses_every_new_device()
    {
        ITrustStore store = Create(newDevices: NewDevicePolicy.RequireConfirmation);

        TrustResult first = await store.VerifyAsync(AlicePhone, KeyA);
        TrustResult laptop = await store.VerifyAsync(AliceLaptop, KeyB);
        TrustResult phoneChanged = await store.VerifyAsync(AlicePhone, KeyB);
        await store.PinAsync(AliceLaptop, KeyB);
        TrustResult confirmed = await store.VerifyAsync(AliceLaptop, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(first.Reason, Is.EqualTo(TrustReason.FirstUse), "the contact's first key is still trusted on first use");
            Assert.That(laptop, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.NewDeviceNotConfirmed, KeyB, null)));
            Assert.That(phoneChanged.Reason, Is.EqualTo(TrustReason.Changed));
            Assert.That(confirmed.Reason, Is.EqualTo(TrustReason.Pinned));
        });
    }

    [Test]
    public async Task Without_trust_on_first_use_a_new_device_needs_a_pin()
    {
        ITrustStore store = Create(TrustOnFirstUse.Disabled);
        await store.PinAsync(AlicePhone, KeyA);

        TrustResult laptop = await store.VerifyAsync(AliceLaptop, KeyB);
        TrustResult phone = await store.VerifyAsync(AlicePhone, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(laptop, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.NewDeviceNotConfirmed, KeyB, null)));
            Assert.That(phone, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.Changed, KeyB, KeyA)));
        });
    }

    [Test]
    public async Task Forgetting_one_device_keeps_the_others()
    {
        ITrustStore store = Create();
        await store.VerifyAsync(AlicePhone, KeyA);
        await store.VerifyAsync(AliceLaptop, KeyB);

        bool forgotten = await store.ForgetDeviceAsync(AliceLaptop, KeyB);
        bool again = await store.ForgetDeviceAsync(Alice, KeyB);
        bool unknownPeer = await store.ForgetDeviceAsync(Bob, KeyB);
        TrustResult phone = await store.VerifyAsync(AlicePhone, KeyA);
        TrustResult laptop = await store.VerifyAsync(AliceLaptop, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(forgotten, Is.True);
            Assert.That(again, Is.False);
            Assert.That(unknownPeer, Is.False);
            Assert.That(phone.Reason, Is.EqualTo(TrustReason.KnownFingerprint));
            Assert.That(laptop.Reason, Is.EqualTo(TrustReason.NewDevice), "the key and its resources were forgotten");
        });
    }

    [Test]
    public async Task Forgetting_a_pinned_device_and_the_last_device()
    {
        ITrustStore store = Create();
        await store.PinAsync(AlicePhone, KeyA);

        bool forgotten = await store.ForgetDeviceAsync(Alice, KeyA);
        TrustResult fresh = await store.VerifyAsync(AliceLaptop, KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(forgotten, Is.True);
            Assert.That(fresh.Reason, Is.EqualTo(TrustReason.FirstUse), "nothing is left of the contact");
        });
    }

    [Test]
    public async Task A_contact_has_at_most_the_maximum_number_of_devices_and_more_are_refused_not_evicted()
    {
        ITrustStore store = Create();
        int max = typeof(TStore) == typeof(FileTrustStore) ? FileTrustStore.MaxDevicesPerPeer : InMemoryTrustStore.MaxDevicesPerPeer;
        Fingerprint[] keys = Enumerable.Range(0, max + 1).Select(i => Fingerprint.Of([(byte)i, 42])).ToArray();
        for (int i = 0; i < max; i++)
        {
            Assert.That((await store.VerifyAsync(Alice.WithResource("d" + i), keys[i])).IsTrusted, Is.True);
        }

        TrustResult beyond = await store.VerifyAsync(Alice.WithResource("extra"), keys[max]);
        TrustResult firstStillKnown = await store.VerifyAsync(Alice.WithResource("d0"), keys[0]);
        Assert.That(async () => await store.PinAsync(Alice, keys[max]), Throws.InvalidOperationException.With.Message.Contains("forget one"));
        await store.ForgetDeviceAsync(Alice, keys[5]);
        TrustResult afterForgetting = await store.VerifyAsync(Alice.WithResource("extra"), keys[max]);

        Assert.Multiple(() =>
        {
            Assert.That(beyond, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.TooManyDevices, keys[max], null)));
            Assert.That(firstStillKnown.Reason, Is.EqualTo(TrustReason.KnownFingerprint), "nothing was evicted");
            Assert.That(afterForgetting.Reason, Is.EqualTo(TrustReason.NewDevice));
        });
    }

    [Test]
    public async Task Concurrent_new_devices_are_each_recorded_once()
    {
        ITrustStore store = Create();
        Fingerprint[] keys = Enumerable.Range(0, 16).Select(i => Fingerprint.Of([(byte)i])).ToArray();

        TrustResult[] results = await Task.WhenAll(keys.Select((k, i) => Task.Run(() => store.VerifyAsync(Alice.WithResource("r" + i), k).AsTask())));
        TrustResult[] again = await Task.WhenAll(keys.Select((k, i) => store.VerifyAsync(Alice.WithResource("r" + i), k).AsTask()));

        Assert.Multiple(() =>
        {
            Assert.That(results.Count(r => r.Reason == TrustReason.FirstUse), Is.EqualTo(1));
            Assert.That(results.Count(r => r.Reason == TrustReason.NewDevice), Is.EqualTo(keys.Length - 1));
            Assert.That(again.Select(r => r.Reason), Is.All.EqualTo(TrustReason.KnownFingerprint));
        });
    }

    [Test]
    public void Unknown_settings_are_refused()
    {
        Assert.That(() => Create(newDevices: (NewDevicePolicy)7), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private ITrustStore Create(TrustOnFirstUse tofu = TrustOnFirstUse.Enabled, NewDevicePolicy newDevices = NewDevicePolicy.TrustOnFirstUse) =>
        typeof(TStore) == typeof(FileTrustStore)
            ? new FileTrustStore(Path.Combine(_directory, "trust.txt"), tofu, newDevices)
            : new InMemoryTrustStore(tofu, newDevices);
}
