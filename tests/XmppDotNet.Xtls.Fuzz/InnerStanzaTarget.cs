using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Pipeline;

namespace XmppDotNet.Xtls.Fuzz;

/// <summary>
/// The decoder of a tunnel's decrypted side: the input is decoded once whole and once split into pieces
/// whose sizes come from the input itself. <see cref="InnerStanzaDecoder.Decode"/> documents no exception
/// for its data, so any exception from it is a finding; so is a broken rule: both runs must give the same
/// results, every accepted stanza must be a <c>jabber:client</c> message, presence or iq from the peer to
/// this side, the decoder must never buffer more than its limit, and once failed it must stay failed.
/// </summary>
internal static class InnerStanzaTarget
{
    public const string PeerJid = "peer@example.com/b";
    public const string LocalJid = "me@example.com/fuzz";

    // The smallest limit the options allow, so that the fuzzer reaches it with small inputs.
    private const int MaxStanzaBytes = 1024;

    private static readonly Jid Peer = Jid.Parse(PeerJid);
    private static readonly Jid Local = Jid.Parse(LocalJid);

    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        // The first byte picks the split: piece sizes cycle through 1..16 starting from it.
        int firstPiece = (input[0] % 16) + 1;
        ReadOnlySpan<byte> stream = input.AsSpan(1);

        List<string> whole = Decode(stream, stream.Length);
        List<string> split = Decode(stream, firstPiece);
        if (!whole.SequenceEqual(split, StringComparer.Ordinal))
        {
            int at = whole.Zip(split).TakeWhile(pair => pair.First == pair.Second).Count();
            throw new InvalidOperationException(
                $"Splitting the input changed the outcome at result {at}: whole gave {whole.Count} results " +
                $"({whole.ElementAtOrDefault(at) ?? "none"}), split gave {split.Count} ({split.ElementAtOrDefault(at) ?? "none"}).");
        }
    }

    private static List<string> Decode(ReadOnlySpan<byte> stream, int firstPiece)
    {
        var decoder = new InnerStanzaDecoder(Peer, Local, MaxStanzaBytes);
        var results = new List<InnerStanzaResult>();
        int piece = firstPiece;
        for (int offset = 0; offset < stream.Length; offset += piece, piece = (piece % 16) + 1)
        {
            int before = results.Count;
            decoder.Decode(stream.Slice(offset, Math.Min(piece, stream.Length - offset)), results);
            CheckBound(decoder);
            if (before > 0 && results[before - 1] is InnerStanzaFailed && results.Count > before)
            {
                throw new InvalidOperationException("A failed decoder gave more results.");
            }
        }

        foreach (InnerStanzaResult result in results)
        {
            Check(result);
        }

        CheckFailure(decoder, results);
        return [.. results.Select(Describe)];
    }

    private static void CheckBound(InnerStanzaDecoder decoder)
    {
        if (decoder.BufferedBytes > MaxStanzaBytes)
        {
            throw new InvalidOperationException($"The decoder holds {decoder.BufferedBytes} bytes, more than the {MaxStanzaBytes} allowed.");
        }
    }

    private static void Check(InnerStanzaResult result)
    {
        switch (result)
        {
            case InnerStanzaAccepted { Stanza: XElement stanza }:
                if (stanza.Name.Namespace != XmppNamespaces.Client || stanza.Name.LocalName is not ("message" or "presence" or "iq"))
                {
                    throw new InvalidOperationException($"An accepted element is no jabber:client stanza: {stanza.Name}");
                }

                if (!Addressed(stanza, "from", Peer) || !Addressed(stanza, "to", Local))
                {
                    throw new InvalidOperationException(
                        $"An accepted stanza is addressed from '{(string?)stanza.Attribute("from")}' to '{(string?)stanza.Attribute("to")}'.");
                }

                break;
            case InnerStanzaRejected { StanzaName: not ("message" or "presence" or "iq") } rejected:
                throw new InvalidOperationException($"A rejection names no stanza: {rejected.StanzaName}");
        }
    }

    private static bool Addressed(XElement stanza, string attribute, Jid expected) =>
        Jid.TryParse((string?)stanza.Attribute(attribute), out Jid? jid) && jid == expected;

    // A failure is the last result, the decoder reports it, holds nothing, and takes nothing more.
    private static void CheckFailure(InnerStanzaDecoder decoder, List<InnerStanzaResult> results)
    {
        InnerStanzaFailed? reported = results.Count > 0 ? results[^1] as InnerStanzaFailed : null;
        if (!ReferenceEquals(reported, decoder.Failure) || results.Count(result => result is InnerStanzaFailed) > 1)
        {
            throw new InvalidOperationException("The decoder's failure is not exactly its last result.");
        }

        if (reported is null)
        {
            return;
        }

        var more = new List<InnerStanzaResult>();
        decoder.Decode("<message><body>after</body></message>"u8, more);
        if (more.Count > 0 || !ReferenceEquals(decoder.Failure, reported) || decoder.BufferedBytes != 0)
        {
            throw new InvalidOperationException("A failed decoder accepted more input.");
        }
    }

    private static string Describe(InnerStanzaResult result) => result switch
    {
        InnerStanzaAccepted accepted => accepted.Stanza.ToString(SaveOptions.DisableFormatting),
        _ => result.ToString(),
    };
}
