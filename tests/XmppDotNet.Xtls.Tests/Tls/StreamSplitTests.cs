using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>The tunnel cuts the TLS stream wherever its chunks end: every split must work.</summary>
public class StreamSplitTests
{
    private static IEnumerable<byte[]> OneByteAtATime(int flight, byte[] bytes) => bytes.Select(b => new[] { b });

    [TestCase(XtlsKeyType.EcdsaP256)]
    [TestCase(XtlsKeyType.Ed25519)]
    public void X509_handshake_and_data_survive_one_byte_at_a_time(XtlsKeyType keyType)
    {
        using var pair = TlsPair.X509(keyType);
        pair.Shuttle.Splitter = OneByteAtATime;

        pair.Handshake();
        AssertDataFlowsBothWays(pair);
    }

    [Test]
    public void Srp_handshake_and_data_survive_one_byte_at_a_time()
    {
        using var pair = TlsPair.Srp();
        pair.Shuttle.Splitter = OneByteAtATime;

        pair.Handshake();
        AssertDataFlowsBothWays(pair);
    }

    [Test]
    public void X509_handshake_survives_a_split_at_every_position_of_every_flight()
    {
        int[] flightLengths = ProbeFlightLengths(() => TlsPair.X509());
        Assert.That(flightLengths, Has.Length.EqualTo(3));

        for (int flight = 0; flight < flightLengths.Length; flight++)
        {
            // Signature lengths vary by a byte or two between runs: positions past the end split before the last byte.
            for (int position = 1; position < flightLengths[flight] + 2; position++)
            {
                using var pair = TlsPair.X509();
                pair.Shuttle.Splitter = SplitFlightAt(flight, position);
                pair.Shuttle.Run();

                Assert.That(pair.Client.Error ?? pair.Server.Error, Is.Null, $"flight {flight}, split at {position}");
                Assert.That(pair.Server.Engine.IsHandshakeComplete, Is.True, $"flight {flight}, split at {position}");
            }
        }
    }

    [Test]
    public void Srp_handshake_survives_splits_across_every_flight()
    {
        int[] flightLengths = ProbeFlightLengths(TlsPair.Srp);

        for (int flight = 0; flight < flightLengths.Length; flight++)
        {
            // SRP handshakes cost tens of milliseconds: sample positions (first byte, record header, middle, last byte);
            // one byte at a time above covers every boundary at once.
            int[] positions = [1, 5, flightLengths[flight] / 2, flightLengths[flight] - 1];
            foreach (int position in positions.Where(p => p >= 1).Distinct())
            {
                using var pair = TlsPair.Srp();
                pair.Shuttle.Splitter = SplitFlightAt(flight, position);
                pair.Handshake();
            }
        }
    }

    [Test]
    public void Application_record_survives_a_split_at_every_position()
    {
        using var pair = TlsPair.X509().Handshake();
        byte[] message = "a stanza that crosses a chunk boundary"u8.ToArray();
        pair.Client.Engine.WritePlaintext(message);
        int recordLength = pair.Client.Engine.AvailableCiphertext;
        pair.Shuttle.Run();
        Assert.That(TlsPair.ReadAllPlaintext(pair.Server.Engine), Is.EqualTo(message));

        for (int position = 1; position < recordLength; position++)
        {
            pair.Client.Engine.WritePlaintext(message);
            byte[] record = pair.Client.TakeCiphertext();

            pair.Server.Engine.ReceiveCiphertext(record.AsSpan(0, position));
            Assert.That(pair.Server.Engine.AvailablePlaintext, Is.Zero, $"plaintext before the record was whole (split {position})");
            pair.Server.Engine.ReceiveCiphertext(record.AsSpan(position));

            Assert.That(TlsPair.ReadAllPlaintext(pair.Server.Engine), Is.EqualTo(message), $"split at {position}");
        }
    }

    private static Func<int, byte[], IEnumerable<byte[]>> SplitFlightAt(int flight, int position) =>
        (index, bytes) =>
        {
            if (index != flight)
            {
                return [bytes];
            }

            int at = Math.Min(position, bytes.Length - 1);
            return [bytes[..at], bytes[at..]];
        };

    private static int[] ProbeFlightLengths(Func<TlsPair> create)
    {
        using TlsPair pair = create();
        pair.Handshake();
        return pair.Shuttle.Flights.Select(f => f.Bytes.Length).ToArray();
    }

    private static void AssertDataFlowsBothWays(TlsPair pair)
    {
        byte[] toServer = "<message><body>hello server</body></message>"u8.ToArray();
        byte[] toClient = "<message><body>hello client</body></message>"u8.ToArray();
        pair.Client.Engine.WritePlaintext(toServer);
        pair.Server.Engine.WritePlaintext(toClient);
        pair.Shuttle.Run();

        Assert.Multiple(() =>
        {
            Assert.That(TlsPair.ReadAllPlaintext(pair.Server.Engine), Is.EqualTo(toServer));
            Assert.That(TlsPair.ReadAllPlaintext(pair.Client.Engine), Is.EqualTo(toClient));
        });
    }
}
