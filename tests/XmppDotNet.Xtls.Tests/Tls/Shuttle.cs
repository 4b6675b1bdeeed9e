namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>
/// Carries ciphertext between two endpoints until neither has anything left to send, as the XMPP tunnel
/// would, optionally cutting each flight into pieces.
/// </summary>
internal sealed class Shuttle(ICiphertextEndpoint client, ICiphertextEndpoint server)
{
    private const int MaxRounds = 64;

    /// <summary>Every flight carried, in order: who sent it and its bytes.</summary>
    public List<(ICiphertextEndpoint From, byte[] Bytes)> Flights { get; } = [];

    /// <summary>Cuts flight number n (counted over both directions) into the pieces fed to the receiver.</summary>
    public Func<int, byte[], IEnumerable<byte[]>>? Splitter { get; set; }

    /// <summary>Optional change to a flight before it is delivered (tampering).</summary>
    public Func<int, byte[], byte[]>? Tamper { get; set; }

    public void Run()
    {
        for (int round = 0; round < MaxRounds; round++)
        {
            bool moved = Carry(client, server);
            moved |= Carry(server, client);
            if (!moved)
            {
                return;
            }
        }

        Assert.Fail($"The endpoints were still talking after {MaxRounds} rounds.");
    }

    /// <summary>Carries what <paramref name="from"/> has queued; returns whether there was anything.</summary>
    public bool Carry(ICiphertextEndpoint from, ICiphertextEndpoint to)
    {
        byte[] bytes = from.TakeCiphertext();
        if (bytes.Length == 0)
        {
            return false;
        }

        int index = Flights.Count;
        Flights.Add((from, bytes));
        if (Tamper is not null)
        {
            bytes = Tamper(index, bytes);
        }

        IEnumerable<byte[]> pieces = Splitter?.Invoke(index, bytes) ?? [bytes];
        foreach (byte[] piece in pieces)
        {
            to.Receive(piece);
        }

        return true;
    }
}
