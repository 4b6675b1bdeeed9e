using XmppDotNet.Xtls.Demo.Demo;

namespace XmppDotNet.Xtls.Demo.Tests.Demo;

[TestFixture]
public sealed class TlsRecordsTests
{
    [Test]
    public void A_client_hello_is_named()
    {
        byte[] chunk = Record(22, [1, 0, 0, 2, 3, 3]);

        Assert.That(TlsRecords.Describe(chunk), Is.EqualTo("ClientHello"));
    }

    [Test]
    public void Encrypted_records_are_counted_and_plaintext_ones_named_in_order()
    {
        byte[] chunk = [.. Record(22, [2, 0, 0, 0]), .. Record(20, [1]), .. Record(23, [9, 9]), .. Record(23, [9]), .. Record(23, [9])];

        Assert.That(TlsRecords.Describe(chunk), Is.EqualTo("ServerHello, change_cipher_spec, 3 encrypted records"));
    }

    [Test]
    public void Several_handshake_messages_in_one_record_are_all_named()
    {
        byte[] chunk = Record(22, [2, 0, 0, 1, 0, 12, 0, 0, 1, 0, 14, 0, 0, 0]);

        Assert.That(TlsRecords.Describe(chunk), Is.EqualTo("ServerHello + ServerKeyExchange + ServerHelloDone"));
    }

    [Test]
    public void After_change_cipher_spec_a_TLS_1_2_handshake_record_is_encrypted()
    {
        byte[] chunk = [.. Record(20, [1]), .. Record(22, [0x8F, 0x11, 0x22, 0x33, 0x44])];

        Assert.That(TlsRecords.Describe(chunk), Is.EqualTo("change_cipher_spec, 1 encrypted record"));
    }

    [Test]
    public void A_truncated_record_or_header_is_said_so_and_never_read_past_the_end()
    {
        byte[] truncatedBody = [22, 3, 3, 0, 200, 1, 0];
        byte[] truncatedHeader = [23, 3];

        Assert.That(TlsRecords.Describe(truncatedBody), Is.EqualTo("ClientHello"));
        Assert.That(TlsRecords.Describe(truncatedHeader), Is.EqualTo("part of a record"));
        Assert.That(TlsRecords.Describe([]), Is.EqualTo("no records"));
    }

    private static byte[] Record(byte type, byte[] body) => [type, 3, 3, (byte)(body.Length >> 8), (byte)body.Length, .. body];
}
