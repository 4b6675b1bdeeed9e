using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

/// <summary>
/// Deterministic mutations of realistic streams: whatever the damage, the parser throws nothing but
/// <see cref="XmlStreamException"/>, and the outcome (events, condition, bytes held) does not depend on how
/// the input is split.
/// </summary>
public class MutationTests
{
    private const int MutantsPerCase = 1500;

    private static readonly byte[] Spicy = "<>&;'\"/!?[]-=#x: \t\nabCDATA"u8.ToArray().Concat(new byte[] { 0x00, 0x80, 0xC3, 0xE2, 0xF0, 0xFF }).ToArray();

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(RealisticStreams.ServerStreamBytes, new XmlStreamParserOptions(), 1).SetArgDisplayNames("server stream");
        yield return new TestCaseData(RealisticStreams.ServerStreamBytes, new XmlStreamParserOptions { MaxStanzaBytes = 300, MaxDepth = 3 }, 2)
            .SetArgDisplayNames("server stream, tight limits");
        yield return new TestCaseData(RealisticStreams.InnerStreamBytes, ParserHarness.Fragment(), 3).SetArgDisplayNames("inner stream");
    }

    [TestCaseSource(nameof(Cases))]
    public void Outcome_of_a_damaged_stream_is_typed_and_independent_of_the_split(byte[] original, XmlStreamParserOptions options, int seed)
    {
        var random = new Random(seed);
        int rejected = 0;
        for (int n = 0; n < MutantsPerCase; n++)
        {
            byte[] mutant = Mutate(original, random);
            Outcome whole = Run(mutant, options, [mutant.Length]);
            rejected += whole.Condition is null ? 0 : 1;

            for (int attempt = 0; attempt < 3; attempt++)
            {
                int[] cuts = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(mutant.Length + 1)).Order().ToArray();
                Assert.That(Run(mutant, options, cuts), Is.EqualTo(whole), () => $"mutant {n}, cuts {string.Join(",", cuts)}: {Convert.ToBase64String(mutant)}");
            }
        }

        // Damage is noticed most of the time; some mutations (inside text) leave a valid stream.
        Assert.That(rejected, Is.GreaterThan(MutantsPerCase / 3));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        List<byte> bytes = [.. original];
        int count = random.Next(1, 4);
        for (int i = 0; i < count && bytes.Count > 0; i++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = Spicy[random.Next(Spicy.Length)];
                    break;
                case 1:
                    bytes.Insert(at, Spicy[random.Next(Spicy.Length)]);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    int length = Math.Min(random.Next(1, 40), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    private static Outcome Run(byte[] input, XmlStreamParserOptions options, int[] cuts)
    {
        var parser = new XmlStreamParser(options);
        var events = new List<object>();
        int start = 0;
        try
        {
            foreach (int cut in cuts.Append(input.Length))
            {
                parser.Parse(input.AsSpan(start, cut - start), events);
                start = cut;
            }
        }
        catch (XmlStreamException exception)
        {
            return new Outcome(string.Join("\n", ParserHarness.Describe(events)), exception.Condition, 0);
        }

        return new Outcome(string.Join("\n", ParserHarness.Describe(events)), null, parser.BufferedBytes);
    }

    private sealed record Outcome(string Events, string? Condition, int Buffered);
}
