using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

public class RecordHeaderGuardTests
{
    private static readonly byte[] TwoRecords = [23, 3, 3, 0, 2, 0xAA, 0xBB, 23, 3, 3, 0, 1, 0xCC];

    [Test]
    public void Stops_after_each_record()
    {
        var guard = new RecordHeaderGuard();

        Assert.Multiple(() =>
        {
            Assert.That(guard.Advance(TwoRecords, handshakeComplete: true, out int first), Is.True);
            Assert.That(first, Is.EqualTo(7));
            Assert.That(guard.Advance(TwoRecords.AsSpan(7), handshakeComplete: true, out int second), Is.True);
            Assert.That(second, Is.EqualTo(6));
        });
    }

    [Test]
    public void Follows_records_split_one_byte_at_a_time()
    {
        var guard = new RecordHeaderGuard();
        for (int i = 0; i < TwoRecords.Length; i++)
        {
            Assert.That(guard.Advance(TwoRecords.AsSpan(i, 1), handshakeComplete: true, out int consumed), Is.True);
            Assert.That(consumed, Is.EqualTo(1));
        }

        Assert.That(guard.Advance(new byte[] { 23, 3, 1 }, handshakeComplete: true, out int partial), Is.True, "header not yet whole");
        Assert.That(partial, Is.EqualTo(3));
        Assert.That(guard.Advance(new byte[] { 0, 1 }, handshakeComplete: true, out int refusedAt), Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(refusedAt, Is.Zero);
            Assert.That(guard.RefusedVersion, Is.EqualTo(0x0301));
        });
    }

    [Test]
    public void Refuses_a_changed_version_after_the_handshake_but_not_during_it()
    {
        byte[] oldVersion = [22, 3, 1, 0, 1, 0];

        Assert.Multiple(() =>
        {
            Assert.That(new RecordHeaderGuard().Advance(oldVersion, handshakeComplete: false, out int during), Is.True);
            Assert.That(during, Is.EqualTo(oldVersion.Length));
            Assert.That(new RecordHeaderGuard().Advance(oldVersion, handshakeComplete: true, out int after), Is.False);
            Assert.That(after, Is.Zero);
            Assert.That(new RecordHeaderGuard().Advance([22, 4, 3, 0, 0], handshakeComplete: false, out _), Is.False);
        });
    }

    [Test]
    public void Passes_valid_records_before_a_refused_header_in_the_same_input()
    {
        byte[] input = [23, 3, 3, 0, 1, 0xAA, 23, 2, 0, 0, 1, 0xBB];
        var guard = new RecordHeaderGuard();

        Assert.Multiple(() =>
        {
            Assert.That(guard.Advance(input, handshakeComplete: true, out int first), Is.True);
            Assert.That(first, Is.EqualTo(6));
            Assert.That(guard.Advance(input.AsSpan(6), handshakeComplete: true, out int second), Is.False);
            Assert.That(second, Is.Zero);
            Assert.That(guard.RefusedVersion, Is.EqualTo(0x0200));
        });
    }
}
