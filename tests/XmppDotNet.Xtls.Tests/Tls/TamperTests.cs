using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>Nothing that was changed, cut short, replayed or reordered on the way may come out as plaintext.</summary>
public class TamperTests
{
    private const int RecordHeaderLength = 5;
    private const int LengthOffset = 3;
    private static readonly byte[] Message = "<message><body>attack at dawn</body></message>"u8.ToArray();

    [TestCase(XtlsMethod.X509)]
    [TestCase(XtlsMethod.Srp)]
    public void A_flipped_bit_anywhere_in_an_application_record_never_yields_plaintext(XtlsMethod method)
    {
        int recordLength = RecordLength(method);

        for (int position = 0; position < recordLength; position++)
        {
            using TlsPair pair = TlsPair.For(method).Handshake();
            pair.Client.Engine.WritePlaintext(Message);
            byte[] record = pair.Client.TakeCiphertext();
            Assert.That(record, Has.Length.EqualTo(recordLength));
            record[position] ^= (byte)(1 << (position % 8));

            pair.Server.Receive(record);

            string where = $"bit {position % 8} of byte {position}";
            Assert.That(pair.Server.Engine.AvailablePlaintext, Is.Zero, where);
            Assert.That(pair.Server.Engine.ReadPlaintext(new byte[Message.Length]), Is.Zero, where);
            if (position < RecordHeaderLength)
            {
                // Content type or version changed: refused at once. Length changed: a longer record leaves
                // the engine waiting for more, a shorter one fails its check; neither yields plaintext.
                if (position < LengthOffset)
                {
                    Assert.That(pair.Server.Engine.IsFailed, Is.True, where);
                    Assert.That(pair.Server.Engine.AvailableCiphertext, Is.GreaterThan(0), $"{where}: alert for the peer");
                }

                continue;
            }

            TlsEngineException server = pair.Server.EngineError!;
            Assert.That(server, Is.Not.Null, where);
            Assert.That(server.Reason, Is.EqualTo(TlsFailureReason.BadRecordMac), where);
            Assert.That(server.Alert, Is.EqualTo("bad_record_mac"), where);

            pair.Shuttle.Carry(pair.Server, pair.Client);
            Assert.That(pair.Client.EngineError?.Reason, Is.EqualTo(TlsFailureReason.BadRecordMac), $"{where}: alert reaches the sender");
            Assert.That(pair.Client.EngineError!.AlertFromPeer, Is.True, where);
        }
    }

    [TestCase(XtlsMethod.X509)]
    [TestCase(XtlsMethod.Srp)]
    public void A_truncated_record_yields_no_plaintext_until_it_is_complete(XtlsMethod method)
    {
        using TlsPair pair = TlsPair.For(method).Handshake();
        pair.Client.Engine.WritePlaintext(Message);
        byte[] record = pair.Client.TakeCiphertext();

        pair.Server.Engine.ReceiveCiphertext(record.AsSpan(0, record.Length - 1));
        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.Engine.AvailablePlaintext, Is.Zero);
            Assert.That(pair.Server.Engine.IsFailed, Is.False);
        });

        pair.Server.Engine.ReceiveCiphertext(record.AsSpan(record.Length - 1));
        Assert.That(TlsPair.ReadAllPlaintext(pair.Server.Engine), Is.EqualTo(Message));
    }

    [Test]
    public void A_record_whose_length_field_was_shortened_fails()
    {
        using TlsPair pair = TlsPair.X509().Handshake();
        pair.Client.Engine.WritePlaintext(Message);
        byte[] record = pair.Client.TakeCiphertext();
        int length = (record[3] << 8) | record[4];
        record[3] = (byte)((length - 1) >> 8);
        record[4] = (byte)(length - 1);

        pair.Server.Receive(record.AsSpan(0, record.Length - 1));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.BadRecordMac));
            Assert.That(pair.Server.Engine.AvailablePlaintext, Is.Zero);
        });
    }

    [TestCase(XtlsMethod.X509)]
    [TestCase(XtlsMethod.Srp)]
    public void A_changed_record_version_fails_with_a_protocol_error_that_reaches_the_peer(XtlsMethod method)
    {
        using TlsPair pair = TlsPair.For(method).Handshake();
        pair.Client.Engine.WritePlaintext(Message);
        byte[] record = pair.Client.TakeCiphertext();
        record[2] = 0x01;

        pair.Server.Receive(record);
        pair.Shuttle.Carry(pair.Server, pair.Client);

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.ProtocolError));
            Assert.That(pair.Server.EngineError!.Alert, Is.EqualTo("protocol_version"));
            Assert.That(pair.Server.EngineError!.Message, Does.Contain("0x0301"));
            Assert.That(pair.Server.Engine.AvailablePlaintext, Is.Zero);
            Assert.That(pair.Client.EngineError!.Alert, Is.EqualTo("protocol_version"));
            Assert.That(pair.Client.EngineError!.AlertFromPeer, Is.True);
        });
    }

    [Test]
    public void Reordered_records_fail()
    {
        using TlsPair pair = TlsPair.X509().Handshake();
        pair.Client.Engine.WritePlaintext("first"u8);
        byte[] first = pair.Client.TakeCiphertext();
        pair.Client.Engine.WritePlaintext("second"u8);
        byte[] second = pair.Client.TakeCiphertext();

        pair.Server.Receive(second);
        pair.Server.Receive(first);

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.BadRecordMac));
            Assert.That(pair.Server.Engine.ReadPlaintext(new byte[64]), Is.Zero);
        });
    }

    [Test]
    public void A_replayed_record_fails()
    {
        using TlsPair pair = TlsPair.X509().Handshake();
        pair.Client.Engine.WritePlaintext(Message);
        byte[] record = pair.Client.TakeCiphertext();

        pair.Server.Receive(record);
        Assert.That(TlsPair.ReadAllPlaintext(pair.Server.Engine), Is.EqualTo(Message));
        pair.Server.Receive(record);

        Assert.That(pair.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.BadRecordMac));
    }

    [Test]
    public void A_record_from_another_connection_fails()
    {
        using TlsPair one = TlsPair.X509().Handshake();
        using TlsPair other = TlsPair.X509().Handshake();
        one.Client.Engine.WritePlaintext(Message);

        other.Server.Receive(one.Client.TakeCiphertext());

        Assert.Multiple(() =>
        {
            Assert.That(other.Server.EngineError!.Reason, Is.EqualTo(TlsFailureReason.BadRecordMac));
            Assert.That(other.Server.Engine.AvailablePlaintext, Is.Zero);
        });
    }

    [Test]
    public void Good_plaintext_before_a_bad_record_in_the_same_input_is_discarded()
    {
        using TlsPair pair = TlsPair.X509().Handshake();
        pair.Client.Engine.WritePlaintext("good"u8);
        byte[] good = pair.Client.TakeCiphertext();
        pair.Client.Engine.WritePlaintext("bad"u8);
        byte[] bad = pair.Client.TakeCiphertext();
        bad[^1] ^= 1;

        pair.Server.Receive([.. good, .. bad]);

        Assert.Multiple(() =>
        {
            Assert.That(pair.Server.Engine.IsFailed, Is.True);
            Assert.That(pair.Server.Engine.AvailablePlaintext, Is.Zero, "a failed connection delivers nothing more");
            Assert.That(() => pair.Server.Engine.ReceiveCiphertext(good), Throws.InstanceOf<TlsEngineException>());
        });
    }

    private static int RecordLength(XtlsMethod method)
    {
        using TlsPair pair = TlsPair.For(method).Handshake();
        pair.Client.Engine.WritePlaintext(Message);
        return pair.Client.Engine.AvailableCiphertext;
    }
}
