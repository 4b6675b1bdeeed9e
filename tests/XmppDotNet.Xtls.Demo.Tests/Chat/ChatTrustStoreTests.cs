using XmppDotNet.Xtls.Demo.Chat;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Demo.Tests.Chat;

[TestFixture]
public sealed class ChatTrustStoreTests
{
    private static readonly Jid Juliet = Jid.Parse("juliet@capulet.lit/balcony");
    private static readonly Jid JulietInTomb = Jid.Parse("juliet@capulet.lit/tomb");

    private TemporaryDirectory _directory = null!;
    private StringWriter _error = null!;

    private string KnownFile => _directory.File("known-peers.txt");

    [SetUp]
    public void SetUp()
    {
        _directory = new TemporaryDirectory();
        _error = new StringWriter();
    }

    [TearDown]
    public void TearDown()
    {
        _error.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task The_first_fingerprint_is_trusted_recorded_and_announced_once()
    {
        ChatTrustStore store = Store(expected: null);
        Fingerprint print = XtlsIdentity.Generate().Fingerprint;

        TrustResult first = await store.VerifyAsync(Juliet, print);
        TrustResult again = await store.VerifyAsync(Juliet, print);

        Assert.That(first.Reason, Is.EqualTo(TrustReason.FirstUse));
        Assert.That(again.Reason, Is.EqualTo(TrustReason.KnownFingerprint));
        Assert.That(await File.ReadAllTextAsync(KnownFile), Does.Contain($"juliet@capulet.lit {print} first-use"));
        Assert.That(Lines(), Has.Length.EqualTo(1));
        Assert.That(Lines()[0], Does.StartWith("xtls: warning: first contact with juliet@capulet.lit").And.Contain(print.ToString()));
        Assert.That(store.DecisionFor(Juliet, print)!.Reason, Is.EqualTo(TrustReason.FirstUse));
    }

    [Test]
    public async Task A_changed_fingerprint_is_refused_with_a_loud_warning_naming_both()
    {
        Fingerprint old = XtlsIdentity.Generate().Fingerprint;
        Fingerprint changed = XtlsIdentity.Generate().Fingerprint;
        await new FileTrustStore(KnownFile).VerifyAsync(Juliet, old);
        ChatTrustStore store = Store(expected: null);

        TrustResult result = await store.VerifyAsync(Juliet, changed);

        Assert.That(result.IsTrusted, Is.False);
        Assert.That(result.Reason, Is.EqualTo(TrustReason.Changed));
        Assert.That(Lines().Single(), Does.Contain("HAS CHANGED").And.Contain(old.ToString()).And.Contain(changed.ToString()).And.Contain("--expect-fingerprint " + changed));
        Assert.That(store.LastRejection(Juliet), Is.EqualTo(result));
        Assert.That(await File.ReadAllTextAsync(KnownFile), Does.Not.Contain(changed.ToString()));
    }

    [Test]
    public async Task An_expected_fingerprint_is_the_only_one_accepted_and_is_pinned()
    {
        Fingerprint expected = XtlsIdentity.Generate().Fingerprint;
        Fingerprint other = XtlsIdentity.Generate().Fingerprint;
        ChatTrustStore store = Store(expected);

        TrustResult wrong = await store.VerifyAsync(Juliet, other);
        TrustResult right = await store.VerifyAsync(Juliet, expected);

        Assert.That(wrong.IsTrusted, Is.False);
        Assert.That(store.Explain(Juliet, wrong), Does.Contain("matches no --expect-fingerprint (" + expected + ")"));
        Assert.That(right.Reason, Is.EqualTo(TrustReason.Pinned));
        Assert.That(await File.ReadAllTextAsync(KnownFile), Does.Contain($"juliet@capulet.lit {expected} pinned").And.Not.Contain(other.ToString()));
    }

    [Test]
    public async Task Several_expected_fingerprints_accept_each_device_and_pin_each_one_presented()
    {
        Fingerprint balcony = XtlsIdentity.Generate().Fingerprint;
        Fingerprint garden = XtlsIdentity.Generate().Fingerprint;
        Fingerprint stranger = XtlsIdentity.Generate().Fingerprint;
        ChatTrustStore store = Store(balcony, garden);

        TrustResult first = await store.VerifyAsync(Juliet, balcony);
        TrustResult second = await store.VerifyAsync(Jid.Parse("juliet@capulet.lit/garden"), garden);
        TrustResult refused = await store.VerifyAsync(Jid.Parse("juliet@capulet.lit/crypt"), stranger);

        Assert.That(first.Reason, Is.EqualTo(TrustReason.Pinned));
        Assert.That(second.Reason, Is.EqualTo(TrustReason.Pinned));
        Assert.That(refused.IsTrusted, Is.False);
        Assert.That(
            await File.ReadAllTextAsync(KnownFile),
            Does.Contain($"juliet@capulet.lit {balcony} pinned").And.Contain($"juliet@capulet.lit {garden} pinned").And.Not.Contain(stranger.ToString()));
    }

    [Test]
    public async Task An_expected_fingerprint_overrides_a_different_first_use_record()
    {
        Fingerprint old = XtlsIdentity.Generate().Fingerprint;
        Fingerprint expected = XtlsIdentity.Generate().Fingerprint;
        await new FileTrustStore(KnownFile).VerifyAsync(Juliet, old);

        TrustResult result = await Store(expected).VerifyAsync(Juliet, expected);
        TrustResult later = await Store(expected: null).VerifyAsync(Juliet, expected);

        Assert.That(result.IsTrusted, Is.True);
        Assert.That(later.Reason, Is.EqualTo(TrustReason.Pinned));
    }

    [Test]
    public async Task A_second_device_is_trusted_on_first_use_with_a_status_line_naming_its_resource()
    {
        Fingerprint balcony = XtlsIdentity.Generate().Fingerprint;
        Fingerprint tomb = XtlsIdentity.Generate().Fingerprint;
        await new FileTrustStore(KnownFile).VerifyAsync(Juliet, balcony);
        ChatTrustStore store = Store(expected: null);

        TrustResult result = await store.VerifyAsync(JulietInTomb, tomb);
        TrustResult again = await store.VerifyAsync(JulietInTomb, tomb);

        Assert.That(result.IsTrusted, Is.True);
        Assert.That(result.Reason, Is.EqualTo(TrustReason.NewDevice));
        Assert.That(again.Reason, Is.EqualTo(TrustReason.KnownFingerprint));
        Assert.That(Lines().Single(), Does.StartWith($"xtls: warning: new device of juliet@capulet.lit: {tomb} (resource tomb), trusted on first use"));
        Assert.That(store.Explain(JulietInTomb, result), Is.EqualTo($"new device (resource tomb), trusted on first use, recorded in {KnownFile}"));
        Assert.That(await File.ReadAllTextAsync(KnownFile), Does.Contain($"juliet@capulet.lit {tomb} first-use resources=tomb").And.Contain($"juliet@capulet.lit {balcony} first-use resources=balcony"));
    }

    [Test]
    public async Task A_new_device_of_a_pinned_contact_is_refused_saying_how_to_confirm_it()
    {
        Fingerprint balcony = XtlsIdentity.Generate().Fingerprint;
        Fingerprint tomb = XtlsIdentity.Generate().Fingerprint;
        await new FileTrustStore(KnownFile).PinAsync(Juliet, balcony);
        ChatTrustStore store = Store(expected: null);

        TrustResult result = await store.VerifyAsync(JulietInTomb, tomb);

        Assert.That(result.IsTrusted, Is.False);
        Assert.That(result.Reason, Is.EqualTo(TrustReason.NewDeviceNotConfirmed));
        Assert.That(Lines().Single(), Does.StartWith($"xtls: warning: new device of juliet@capulet.lit: {tomb} (resource tomb), refused:")
            .And.Contain("confirm with --expect-fingerprint " + tomb));
        Assert.That(store.LastRejection(JulietInTomb), Is.EqualTo(result));
        Assert.That(store.Explain(JulietInTomb, result), Does.Contain($"{tomb}, a new device (resource tomb)").And.Contain("needs confirmation"));
        Assert.That(await File.ReadAllTextAsync(KnownFile), Does.Not.Contain(tomb.ToString()));
    }

    [Test]
    public async Task Confirming_a_new_device_with_an_expected_fingerprint_keeps_the_other_device()
    {
        Fingerprint balcony = XtlsIdentity.Generate().Fingerprint;
        Fingerprint tomb = XtlsIdentity.Generate().Fingerprint;
        await new FileTrustStore(KnownFile).PinAsync(Juliet, balcony);

        TrustResult confirmed = await Store(tomb).VerifyAsync(JulietInTomb, tomb);
        TrustResult tombLater = await Store(expected: null).VerifyAsync(JulietInTomb, tomb);
        TrustResult balconyLater = await Store(expected: null).VerifyAsync(Juliet, balcony);

        Assert.That(confirmed.Reason, Is.EqualTo(TrustReason.Pinned));
        Assert.That(tombLater.Reason, Is.EqualTo(TrustReason.Pinned));
        Assert.That(balconyLater.Reason, Is.EqualTo(TrustReason.Pinned));
    }

    [Test]
    public async Task A_damaged_known_peers_file_fails_closed_and_says_why()
    {
        await File.WriteAllTextAsync(KnownFile, "this line is not an entry\n");
        ChatTrustStore store = Store(expected: null);

        await Assert.ThrowsAsync<TrustStoreFormatException>(async () => await store.VerifyAsync(Juliet, XtlsIdentity.Generate().Fingerprint));
        Assert.That(store.StoreFailure, Does.StartWith("cannot use the known-peers file"));
    }

    [Test]
    public void The_answer_is_immediate_so_the_plugin_decides_inside_the_handshake()
    {
        ValueTask<TrustResult> pending = Store(expected: null).VerifyAsync(Juliet, XtlsIdentity.Generate().Fingerprint);

        Assert.That(pending.IsCompletedSuccessfully, Is.True);
    }

    private ChatTrustStore Store(params Fingerprint[]? expected) =>
        new(new FileTrustStore(KnownFile), KnownFile, (expected ?? []).ToHashSet(), new StatusWriter(_error, Styler.Plain, quiet: false));

    private string[] Lines() => _error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
