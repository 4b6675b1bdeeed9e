using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Tests.Trust;

public class FileTrustStoreTests
{
    private static readonly Jid Alice = Jid.Parse("alice@example.org");
    private static readonly Jid Bob = Jid.Parse("bob@example.net");
    private static readonly Fingerprint KeyA = Fingerprint.Of([1, 2, 3]);
    private static readonly Fingerprint KeyB = Fingerprint.Of([4, 5, 6]);
    private static readonly Fingerprint KeyC = Fingerprint.Of([7, 8, 9]);
    private static readonly Fingerprint KeyD = Fingerprint.Of([10, 11, 12]);

    private string _directory = null!;
    private string _path = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("xtls-trust-").FullName;
        _path = Path.Combine(_directory, "trust.txt");
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task A_small_file_is_answered_on_the_calling_thread()
    {
        var store = new FileTrustStore(_path);

        ValueTask<TrustResult> first = store.VerifyAsync(Alice.WithResource("phone"), KeyA);
        ValueTask<TrustResult> again = store.VerifyAsync(Alice, KeyA);
        ValueTask<TrustResult> changed = store.VerifyAsync(Alice, KeyB);
        ValueTask<TrustResult> newDevice = store.VerifyAsync(Alice.WithResource("laptop"), KeyC);
        ValueTask<TrustResult> seenElsewhere = store.VerifyAsync(Alice.WithResource("phone"), KeyC);

        Assert.That(first.IsCompletedSuccessfully && again.IsCompletedSuccessfully && changed.IsCompletedSuccessfully, Is.True);
        Assert.That(newDevice.IsCompletedSuccessfully && seenElsewhere.IsCompletedSuccessfully, Is.True);
        Assert.That((await first).Reason, Is.EqualTo(TrustReason.FirstUse));
        Assert.That((await again).Reason, Is.EqualTo(TrustReason.KnownFingerprint));
        Assert.That((await changed).Decision, Is.EqualTo(TrustDecision.Rejected));
        Assert.That((await newDevice).Reason, Is.EqualTo(TrustReason.NewDevice));
        Assert.That((await seenElsewhere).Reason, Is.EqualTo(TrustReason.KnownFingerprint));
    }

    [Test]
    public async Task A_malformed_small_file_fails_the_task_and_never_throws_on_the_calling_thread()
    {
        await File.WriteAllTextAsync(_path, "alice@example.org not-a-fingerprint first-use\n");
        var store = new FileTrustStore(_path);

        ValueTask<TrustResult> verdict = store.VerifyAsync(Alice, KeyA);

        Assert.That(verdict.IsFaulted, Is.True);
        await Assert.ThrowsAsync<TrustStoreFormatException>(async () => await verdict);
    }

    [Test]
    public async Task A_file_beyond_the_synchronous_limit_is_read_asynchronously_with_the_same_answers()
    {
        // Valid entries for other peers until the file is past the limit.
        var lines = new System.Text.StringBuilder();
        for (int i = 0; lines.Length <= FileTrustStore.SynchronousReadLimit; i++)
        {
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $"peer{i}@example.org {Fingerprint.Of([(byte)i, 7, 7])} pinned\n");
        }

        await File.WriteAllTextAsync(_path, lines.ToString());
        var store = new FileTrustStore(_path);

        TrustResult first = await store.VerifyAsync(Alice, KeyA);
        TrustResult pinned = await store.VerifyAsync(Jid.Parse("peer3@example.org"), Fingerprint.Of([3, 7, 7]));

        Assert.That(new FileInfo(_path).Length, Is.GreaterThan(FileTrustStore.SynchronousReadLimit));
        Assert.That(first.Reason, Is.EqualTo(TrustReason.FirstUse));
        Assert.That(pinned.Reason, Is.EqualTo(TrustReason.Pinned));
    }

    [Test]
    public async Task Entries_persist_across_instances()
    {
        await new FileTrustStore(_path).VerifyAsync(Alice, KeyA);
        await new FileTrustStore(_path).PinAsync(Bob, KeyB);

        var reopened = new FileTrustStore(_path);
        Assert.Multiple(async () =>
        {
            Assert.That((await reopened.VerifyAsync(Alice, KeyA)).Reason, Is.EqualTo(TrustReason.KnownFingerprint));
            Assert.That((await reopened.VerifyAsync(Alice, KeyB)).Reason, Is.EqualTo(TrustReason.Changed));
            Assert.That((await reopened.VerifyAsync(Bob, KeyB)).Reason, Is.EqualTo(TrustReason.Pinned));
        });
    }

    [Test]
    public async Task File_holds_one_line_per_entry_in_the_documented_format()
    {
        var store = new FileTrustStore(_path);
        await store.VerifyAsync(Bob, KeyB);
        await store.PinAsync(Alice, KeyA);

        string[] entries = File.ReadAllLines(_path).Where(l => !l.StartsWith('#')).ToArray();

        Assert.That(entries, Is.EqualTo(new[]
        {
            $"alice@example.org {KeyA} pinned",
            $"bob@example.net {KeyB} first-use",
        }));
    }

    [Test]
    public async Task File_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes only.");
            return;
        }

        await new FileTrustStore(_path).PinAsync(Alice, KeyA);
        UnixFileMode mode = File.GetUnixFileMode(_path);

        Assert.Multiple(() =>
        {
            Assert.That(mode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1), "no temporary file is left behind");
        });
    }

    [Test]
    public async Task Hand_written_files_are_read_tolerantly()
    {
        string compact = KeyA.ToCompactString().ToLowerInvariant();
        File.WriteAllText(_path,
            "# my contacts\r\n" +
            "\r\n" +
            $"   Alice@Example.ORG \t {compact}   PINNED  \r\n" +
            $"alice@example.org {KeyA} pinned\r\n" +
            $"bob@example.net {KeyB} first-use\n");

        var store = new FileTrustStore(_path);

        Assert.Multiple(async () =>
        {
            Assert.That((await store.VerifyAsync(Alice, KeyA)).Reason, Is.EqualTo(TrustReason.Pinned));
            Assert.That((await store.VerifyAsync(Bob, KeyB)).Reason, Is.EqualTo(TrustReason.KnownFingerprint));
        });
    }

    [TestCase("alice@example.org AB:CD pinned", 1, "fingerprint")]
    [TestCase("alice@example.org pinned", 1, "2 field")]
    [TestCase("# header\nalice@example.org/phone {0} pinned", 2, "full JID")]
    [TestCase("alice@@example.org {0} pinned", 1, "not a valid JID")]
    [TestCase("alice@example.org {0} trusted", 1, "unknown source")]
    [TestCase("alice@example.org {0} first-use resources=", 1, "lists no resource")]
    [TestCase("alice@example.org {0} first-use colour=blue", 1, "unknown field 'colour=blue'")]
    [TestCase("alice@example.org {0} first-use resources=a,,b", 1, "not a percent-encoded")]
    [TestCase("alice@example.org {0} first-use resources=a%2", 1, "not a percent-encoded")]
    [TestCase("alice@example.org {0} first-use resources=a%ZZ", 1, "not a percent-encoded")]
    [TestCase("alice@example.org {0} first-use resources=%FF", 1, "not a percent-encoded")]
    [TestCase("alice@example.org {0} first-use resources={2}", 1, "not a valid resource")]
    [TestCase("alice@example.org {0} first-use resources=My Phone", 1, "5 field")]
    [TestCase("alice@example.org {0} first-use resources=1,2,3,4,5,6,7,8,9", 1, "more than 8 resources")]
    public async Task Corrupt_file_is_reported_with_its_line_and_left_untouched(string content, int line, string problem)
    {
        string text = string.Format(System.Globalization.CultureInfo.InvariantCulture, content, KeyA, KeyB, new string('x', 1024));
        File.WriteAllText(_path, text);
        var store = new FileTrustStore(_path);

        var error = await Assert.ThrowsAsync<TrustStoreFormatException>(async () => await store.VerifyAsync(Alice, KeyA));

        Assert.Multiple(() =>
        {
            Assert.That(error!.LineNumber, Is.EqualTo(line));
            Assert.That(error.Path, Is.EqualTo(store.FilePath));
            Assert.That(error.Message, Does.Contain(problem).And.Contain($"line {line}"));
            Assert.That(File.ReadAllText(_path), Is.EqualTo(text));
        });
    }

    [Test]
    public async Task Repeated_lines_merge_and_the_other_lines_of_a_contact_are_its_other_devices()
    {
        File.WriteAllText(_path,
            $"alice@example.org {KeyA} first-use resources=phone\n" +
            $"alice@example.org {KeyA} pinned resources=tablet\n" +
            $"alice@example.org {KeyB} first-use\n" +
            $"alice@example.org {KeyC} first-use resources=laptop\n");
        var store = new FileTrustStore(_path);

        Assert.Multiple(async () =>
        {
            Assert.That((await store.VerifyAsync(Alice, KeyA)).Reason, Is.EqualTo(TrustReason.Pinned), "a pin wins over a first-use line of the same key");
            Assert.That((await store.VerifyAsync(Alice, KeyB)).Reason, Is.EqualTo(TrustReason.KnownFingerprint));
            Assert.That((await store.VerifyAsync(Alice, KeyC)).Reason, Is.EqualTo(TrustReason.KnownFingerprint));
            Assert.That((await store.VerifyAsync(Jid.Parse("alice@example.org/tablet"), KeyD)).Known, Is.EqualTo(KeyA), "resources of repeated lines are merged");
            Assert.That((await store.VerifyAsync(Jid.Parse("alice@example.org/phone"), KeyD)).Known, Is.EqualTo(KeyA));
        });
    }

    [Test]
    public async Task A_file_with_more_devices_for_a_contact_than_the_limit_is_refused_naming_the_line()
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i <= FileTrustStore.MaxDevicesPerPeer; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"alice@example.org {Fingerprint.Of([(byte)i, 9])} first-use\n");
        }

        File.WriteAllText(_path, text.ToString());

        var error = await Assert.ThrowsAsync<TrustStoreFormatException>(async () => await new FileTrustStore(_path).VerifyAsync(Bob, KeyA));

        Assert.That(error!.LineNumber, Is.EqualTo(FileTrustStore.MaxDevicesPerPeer + 1));
        Assert.That(error.Message, Does.Contain($"more than {FileTrustStore.MaxDevicesPerPeer} devices"));
    }

    [Test]
    public async Task Missing_directories_are_created()
    {
        string nested = Path.Combine(_directory, "a", "b", "trust.txt");

        await new FileTrustStore(nested).PinAsync(Alice, KeyA);

        Assert.That(File.Exists(nested), Is.True);
    }
}
