using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Tests.Trust;

/// <summary>
/// The known-peers file across versions: files written before devices were told apart load with the same
/// answers and are not rewritten by reading them; the current format, with resources, round-trips.
/// </summary>
public class FileTrustStoreFormatTests
{
    private const string JulietKey = "61:E2:9D:E6:58:DD:CC:61:85:E5:80:12:E2:55:DF:F8:D0:40:E7:69:94:72:D3:B5:77:7C:81:C7:FD:B5:AD:68";
    private const string RomeoKey = "21:87:C3:C4:71:BA:E9:80:25:F5:4B:AC:93:3D:A1:7B:D8:E2:ED:8B:97:B5:F1:81:81:F0:3E:B5:52:B6:DA:89";
    private const string NursePhone = "B1:D2:07:C5:ED:72:68:18:CD:E0:0D:A5:00:95:9A:04:1C:B7:06:74:12:8E:76:1D:18:8C:33:DA:87:D3:A6:A7";
    private const string NurseLaptop = "B3:AC:E9:F1:F7:C0:AE:84:CA:51:74:61:9C:C7:84:8E:34:F6:1B:ED:52:BF:52:FD:B3:B7:73:28:6A:95:78:96";
    private const string Stranger = "50:C2:40:35:C8:8B:41:69:8B:7C:1F:1B:13:D0:E5:8A:CD:97:61:E2:27:CD:0A:41:79:D8:3D:1A:75:7C:E4:4E";

    // Exactly as the earlier version wrote it: its header, one first-use line per contact, pins.
    private const string WrittenByEarlierVersion =
        "# XmppDotNet.Xtls trust store: bare-jid fingerprint source (first-use | pinned)\n" +
        "# Fingerprints are SHA-256 of the peer's certificate, as 'openssl x509 -noout -fingerprint -sha256' prints them.\n" +
        "juliet@capulet.lit " + JulietKey + " first-use\n" +
        "nurse@capulet.lit " + NursePhone + " pinned\n" +
        "nurse@capulet.lit " + NurseLaptop + " pinned\n" +
        "romeo@montague.lit " + RomeoKey + " first-use\n";

    // Edited by hand, as the earlier version's documentation allowed.
    private const string EditedByHand =
        "# people I met at the ball\r\n" +
        "\r\n" +
        "Juliet@Capulet.LIT\t61e29de658ddcc6185e58012e255dff8d040e7699472d3b5777c81c7fdb5ad68   first-use\r\n" +
        "  nurse@capulet.lit " + NursePhone + " PINNED\r\n" +
        "nurse@capulet.lit " + NursePhone + " pinned\r\n" +
        "# the nurse's laptop, compared by phone\r\n" +
        "nurse@capulet.lit b3ace9f1f7c0ae84ca5174619cc7848e34f61bed52bf52fdb3b773286a957896 pinned\r\n" +
        "romeo@montague.lit " + RomeoKey + " First-Use";

    private const string OnlyAHeader =
        "# XmppDotNet.Xtls trust store: bare-jid fingerprint source (first-use | pinned)\n" +
        "# Fingerprints are SHA-256 of the peer's certificate, as 'openssl x509 -noout -fingerprint -sha256' prints them.\n";

    private static readonly Jid Alice = Jid.Parse("alice@example.org");

    private string _directory = null!;
    private string _path = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("xtls-trust-").FullName;
        _path = Path.Combine(_directory, "known-peers.txt");
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase(WrittenByEarlierVersion)]
    [TestCase(EditedByHand)]
    public async Task A_file_of_the_earlier_format_gives_the_same_answers_and_is_not_rewritten_by_reading(string text)
    {
        File.WriteAllText(_path, text);
        var store = new FileTrustStore(_path);

        (string Peer, string Presented, TrustReason Reason, string? Known)[] expected =
        [
            ("juliet@capulet.lit", JulietKey, TrustReason.KnownFingerprint, JulietKey),
            ("juliet@capulet.lit", Stranger, TrustReason.Changed, JulietKey),
            ("nurse@capulet.lit", NursePhone, TrustReason.Pinned, NursePhone),
            ("nurse@capulet.lit", NurseLaptop, TrustReason.Pinned, NurseLaptop),
            ("nurse@capulet.lit", Stranger, TrustReason.Changed, NursePhone),
            ("romeo@montague.lit", RomeoKey, TrustReason.KnownFingerprint, RomeoKey),
        ];

        foreach (var (peer, presented, reason, known) in expected)
        {
            TrustResult result = await store.VerifyAsync(Jid.Parse(peer), Fingerprint.Parse(presented));
            Assert.That(result.Reason, Is.EqualTo(reason), $"{peer} {presented}");
            Assert.That(result.Known, Is.EqualTo(known is null ? null : Fingerprint.Parse(known)), $"{peer} {presented}");
        }

        Assert.That(File.ReadAllText(_path), Is.EqualTo(text), "reading never rewrites the file");
    }

    [Test]
    public async Task A_file_of_the_earlier_format_takes_new_contacts_and_devices_and_keeps_its_entries()
    {
        File.WriteAllText(_path, WrittenByEarlierVersion);
        var store = new FileTrustStore(_path);

        TrustResult newContact = await store.VerifyAsync(Jid.Parse("tybalt@capulet.lit/street"), Fingerprint.Parse(Stranger));
        TrustResult julietOnBalcony = await store.VerifyAsync(Jid.Parse("juliet@capulet.lit/balcony"), Fingerprint.Parse(JulietKey));
        string[] lines = File.ReadAllLines(_path);

        Assert.Multiple(() =>
        {
            Assert.That(newContact.Reason, Is.EqualTo(TrustReason.FirstUse));
            Assert.That(julietOnBalcony.Reason, Is.EqualTo(TrustReason.KnownFingerprint));
            Assert.That(lines.Where(l => !l.StartsWith('#')), Is.EqualTo(new[]
            {
                "juliet@capulet.lit " + JulietKey + " first-use resources=balcony",
                "nurse@capulet.lit " + NursePhone + " pinned",
                "nurse@capulet.lit " + NurseLaptop + " pinned",
                "romeo@montague.lit " + RomeoKey + " first-use",
                "tybalt@capulet.lit " + Stranger + " first-use resources=street",
            }));
            Assert.That(lines.TakeWhile(l => l.StartsWith('#')), Has.Some.Contains("bare-jid fingerprint source [resources="));
        });
    }

    [Test]
    public async Task Until_a_device_of_the_earlier_format_is_seen_on_a_resource_a_new_key_reads_as_changed()
    {
        // Its entries carry no resource: a key from a new resource may be that device reinstalled, as the
        // earlier version said. Once it is seen on a resource, another resource is another device.
        File.WriteAllText(_path, WrittenByEarlierVersion);
        var store = new FileTrustStore(_path);
        Jid julietBalcony = Jid.Parse("juliet@capulet.lit/balcony");
        Jid julietTomb = Jid.Parse("juliet@capulet.lit/tomb");

        TrustResult before = await store.VerifyAsync(julietTomb, Fingerprint.Parse(Stranger));
        await store.VerifyAsync(julietBalcony, Fingerprint.Parse(JulietKey));
        TrustResult after = await store.VerifyAsync(julietTomb, Fingerprint.Parse(Stranger));
        TrustResult nurse = await store.VerifyAsync(Jid.Parse("nurse@capulet.lit/kitchen"), Fingerprint.Parse(Stranger));

        Assert.Multiple(() =>
        {
            Assert.That(before.Reason, Is.EqualTo(TrustReason.Changed));
            Assert.That(before.Known, Is.EqualTo(Fingerprint.Parse(JulietKey)));
            Assert.That(after.Reason, Is.EqualTo(TrustReason.NewDevice));
            Assert.That(nurse.Decision, Is.EqualTo(TrustDecision.Rejected));
        });
    }

    [Test]
    public async Task A_file_with_only_the_earlier_header_is_an_empty_store()
    {
        File.WriteAllText(_path, OnlyAHeader);

        TrustResult result = await new FileTrustStore(_path).VerifyAsync(Alice, Fingerprint.Parse(Stranger));

        Assert.That(result.Reason, Is.EqualTo(TrustReason.FirstUse));
    }

    [Test]
    public async Task Several_devices_with_their_resources_round_trip()
    {
        Fingerprint phone = Fingerprint.Parse(NursePhone);
        Fingerprint laptop = Fingerprint.Parse(NurseLaptop);
        Fingerprint bob = Fingerprint.Parse(RomeoKey);
        Fingerprint other = Fingerprint.Parse(Stranger);
        var store = new FileTrustStore(_path);
        await store.VerifyAsync(Alice.WithResource("phone"), phone);
        await store.VerifyAsync(Alice.WithResource("My Phone, old"), phone);
        await store.VerifyAsync(Alice.WithResource("laptop%50"), laptop);
        await store.PinAsync(Alice.WithResource("café"), laptop);
        await store.VerifyAsync(Jid.Parse("bob@example.net"), bob);
        string written = File.ReadAllText(_path);

        var reopened = new FileTrustStore(_path);
        TrustResult oddResource = await reopened.VerifyAsync(Alice.WithResource("My Phone, old"), other);
        TrustResult percentResource = await reopened.VerifyAsync(Alice.WithResource("laptop%50"), other);
        TrustResult unicodeResource = await reopened.VerifyAsync(Alice.WithResource("café"), other);
        TrustResult newDevice = await reopened.VerifyAsync(Alice.WithResource("tablet"), other);
        await reopened.PinAsync(Jid.Parse("carol@example.net"), other); // a change and its undoing: the file is written again
        await reopened.ForgetAsync(Jid.Parse("carol@example.net"));

        Assert.Multiple(() =>
        {
            Assert.That(written.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')), Is.EqualTo(new[]
            {
                $"alice@example.org {NursePhone} first-use resources=My%20Phone%2C%20old,phone",
                $"alice@example.org {NurseLaptop} pinned resources=café,laptop%2550",
                $"bob@example.net {RomeoKey} first-use",
            }));
            Assert.That(oddResource.Known, Is.EqualTo(phone));
            Assert.That(percentResource.Known, Is.EqualTo(laptop));
            Assert.That(unicodeResource.Known, Is.EqualTo(laptop));
            Assert.That(new[] { oddResource, percentResource, unicodeResource }.Select(r => r.Reason), Is.All.EqualTo(TrustReason.Changed));
            Assert.That(newDevice.Reason, Is.EqualTo(TrustReason.NewDeviceNotConfirmed), "the pin survived");
            Assert.That(File.ReadAllText(_path), Is.EqualTo(written), "read and written again, the text is the same");
        });
    }

    [Test]
    public async Task Resources_are_read_tolerantly_where_the_format_allows()
    {
        Fingerprint phone = Fingerprint.Parse(NursePhone);
        File.WriteAllText(_path, $"alice@example.org {NursePhone} first-use RESOURCES=phone,%70ager,phone\n");
        var store = new FileTrustStore(_path);

        TrustResult onPhone = await store.VerifyAsync(Alice.WithResource("phone"), Fingerprint.Parse(Stranger));
        TrustResult onPager = await store.VerifyAsync(Alice.WithResource("pager"), Fingerprint.Parse(Stranger));

        Assert.That(onPhone.Known, Is.EqualTo(phone));
        Assert.That(onPager.Known, Is.EqualTo(phone), "percent-encoding of any character is decoded");
    }
}
