using System.Security.Cryptography;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Reopen;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Reopen;

/// <summary>The in-memory store of re-open secrets: one per pair of devices, bounded, expiring, taken once.</summary>
public class ReopenSecretStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Jid Romeo = Jid.Parse("romeo@montague.lit/orchard");
    private static readonly Jid Balcony = Jid.Parse("juliet@capulet.lit/balcony");
    private static readonly Jid Tomb = Jid.Parse("juliet@capulet.lit/tomb");
    private static readonly Fingerprint Peer = XtlsIdentity.Generate().Fingerprint;

    [Test]
    public void A_secret_is_taken_once_for_its_pair_of_devices_and_not_for_another_device()
    {
        var store = new InMemoryReopenSecretStore();
        ReopenSecret secret = Secret(Balcony);
        store.Add(secret, T0);

        Assert.Multiple(() =>
        {
            Assert.That(store.Take(Romeo, Tomb, T0), Is.Null, "another device of the contact has no secret");
            Assert.That(store.Take(Jid.Parse("romeo@montague.lit/other"), Balcony, T0), Is.SameAs(secret), "this side is keyed by its bare JID");
            Assert.That(store.Take(Romeo, Balcony, T0), Is.Null, "taken once");
            Assert.That(store.Count, Is.Zero);
        });
    }

    [Test]
    public void The_responder_finds_a_secret_by_identity_among_the_contacts_devices_only()
    {
        var store = new InMemoryReopenSecretStore();
        ReopenSecret balcony = Secret(Balcony);
        ReopenSecret tomb = Secret(Tomb);
        store.Add(balcony, T0);
        store.Add(tomb, T0);
        byte[] identity = tomb.Key.Identity.ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(store.TakeByIdentity(Romeo, Jid.Parse("mallory@evil.lit/x"), identity, T0), Is.Null, "another contact cannot use it");
            Assert.That(store.TakeByIdentity(Romeo, Jid.Parse("juliet@capulet.lit/new-resource"), identity, T0), Is.SameAs(tomb), "the device holding it may have a new resource");
            Assert.That(store.TakeByIdentity(Romeo, Balcony, identity, T0), Is.Null, "used up");
            Assert.That(store.TakeByIdentity(Romeo, Balcony, RandomNumberGenerator.GetBytes(16), T0), Is.Null);
            Assert.That(store.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_new_secret_for_the_same_devices_replaces_and_clears_the_old_one()
    {
        var store = new InMemoryReopenSecretStore();
        ReopenSecret old = Secret(Balcony);
        byte[] oldIdentity = old.Key.Identity.ToArray();
        store.Add(old, T0);
        ReopenSecret fresh = Secret(Balcony);
        store.Add(fresh, T0);

        Assert.Multiple(() =>
        {
            Assert.That(store.Count, Is.EqualTo(1));
            Assert.That(old.Key.Matches(oldIdentity), Is.False, "the replaced key was cleared");
            Assert.That(() => old.Key.Identity.Length, Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(store.Take(Romeo, Balcony, T0), Is.SameAs(fresh));
        });
    }

    [Test]
    public void An_expired_secret_is_never_returned_and_is_cleared()
    {
        var store = new InMemoryReopenSecretStore();
        ReopenSecret secret = Secret(Balcony, lifetime: TimeSpan.FromDays(7));
        byte[] identity = secret.Key.Identity.ToArray();
        store.Add(secret, T0);

        Assert.Multiple(() =>
        {
            Assert.That(store.TakeByIdentity(Romeo, Balcony, identity, T0 + TimeSpan.FromDays(7)), Is.Null);
            Assert.That(secret.Key.Matches(identity), Is.False);
            Assert.That(store.Count, Is.Zero);
        });
    }

    [Test]
    public void A_full_store_drops_expired_secrets_first_then_the_oldest()
    {
        var store = new InMemoryReopenSecretStore(capacity: 3);
        ReopenSecret shortLived = Secret(Jid.Parse("a@x.lit/1"), lifetime: TimeSpan.FromMinutes(1));
        ReopenSecret oldest = Secret(Jid.Parse("b@x.lit/1"));
        ReopenSecret middle = Secret(Jid.Parse("c@x.lit/1"));
        store.Add(oldest, T0);
        store.Add(shortLived, T0);
        store.Add(middle, T0);

        store.Add(Secret(Jid.Parse("d@x.lit/1")), T0 + TimeSpan.FromMinutes(2));
        Assert.Multiple(() =>
        {
            Assert.That(store.Count, Is.EqualTo(3));
            Assert.That(store.Take(Romeo, Jid.Parse("a@x.lit/1"), T0), Is.Null, "the expired one went first");
            Assert.That(store.Count, Is.EqualTo(3), "nothing else went");
        });

        store.Add(Secret(Jid.Parse("e@x.lit/1")), T0 + TimeSpan.FromMinutes(2));
        Assert.Multiple(() =>
        {
            Assert.That(store.Count, Is.EqualTo(3));
            Assert.That(store.Take(Romeo, Jid.Parse("b@x.lit/1"), T0), Is.Null, "then the oldest");
            Assert.That(store.Take(Romeo, Jid.Parse("c@x.lit/1"), T0), Is.SameAs(middle));
        });
    }

    [Test]
    public void Remove_drops_one_device_or_a_whole_contact()
    {
        var store = new InMemoryReopenSecretStore();
        store.Add(Secret(Balcony), T0);
        store.Add(Secret(Tomb), T0);
        store.Add(Secret(Jid.Parse("nurse@capulet.lit/kitchen")), T0);

        Assert.Multiple(() =>
        {
            Assert.That(store.Remove(Romeo, Tomb), Is.EqualTo(1));
            Assert.That(store.Remove(Romeo, Balcony.Bare), Is.EqualTo(1));
            Assert.That(store.Remove(Romeo, Balcony.Bare), Is.Zero);
            Assert.That(store.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_secret_checks_its_arguments_and_shows_no_key()
    {
        using var key = new TlsReopenKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(32));
        Assert.Multiple(() =>
        {
            Assert.That(() => new ReopenSecret(Romeo, Balcony.Bare, XtlsMethod.X509, key, T0, T0.AddDays(1), Peer, null, [], null), Throws.ArgumentException, "a device, not a contact");
            Assert.That(() => new ReopenSecret(Romeo, Balcony, XtlsMethod.X509, key, T0, T0, Peer, null, [], null), Throws.ArgumentException, "expires after creation");
            Assert.That(() => new ReopenSecret(Romeo, Balcony, XtlsMethod.X509, key, T0, T0.AddDays(1), null, null, [], null), Throws.ArgumentException, "x509 needs the fingerprint it trusted");
            Assert.That(() => new ReopenSecret(Romeo, Balcony, XtlsMethod.Srp, key, T0, T0.AddDays(1), null, null, [], null), Throws.ArgumentException, "srp needs a password binding");
            Assert.That(() => new InMemoryReopenSecretStore(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });

        ReopenSecret secret = Secret(Balcony);
        Assert.That(secret.ToString(), Does.Contain("juliet@capulet.lit/balcony").And.Not.Contain(Convert.ToBase64String(secret.Key.Identity)));
    }

    private static ReopenSecret Secret(Jid peer, TimeSpan? lifetime = null) =>
        new(Romeo, peer, XtlsMethod.X509, new TlsReopenKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(32)), T0, T0 + (lifetime ?? TimeSpan.FromDays(7)), Peer, null, [], null);
}
