using System.Text;
using System.Text.Unicode;

namespace XmppDotNet.Xtls.Host.Tests.Xml.FastPath;

/// <summary>
/// The fast path against XmlReader on many seeded random elements and byte mutations of real stanzas: wherever the
/// fast path builds an element it is exactly XmlReader's, and wherever XmlReader fails the fast path declines.
/// </summary>
public class FastElementReaderDifferentialTests
{
    private const int Cases = 6000;

    private static readonly string[] RealStanzas =
    [
        "<message to='juliet@example.com/balcony' from='romeo@example.net/orchard' id='m1' type='chat' xml:lang='en'><body>Wherefore art thou, Romeo? &lt;3 &amp; &#x1F339;</body><thread>t1</thread></message>",
        "<iq type='set' id='x1' to='juliet@example.com/balcony'><xtls xmlns='urn:xmpp:tmp:xtls' sid='s1'><data seq='0'>AAECAwQFBgcICQ==</data></xtls></iq>",
        "<presence from='romeo@example.net/orchard'><show>away</show><status>Out &quot;back&quot; soon</status><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v='/></presence>",
        "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>",
        "<p:x xmlns:p='urn:p' xmlns='urn:d' a='1' p:b=\"2\"><p:y/><z>\n  text\n</z></p:x>",
    ];

    private static readonly byte[] Spicy = "<>&;'\"/!?[]-=#x: \t\n\rabxmlns:"u8.ToArray().Concat(new byte[] { 0x00, 0x01, 0xC3, 0xA9, 0xEF, 0xBF, 0xBE }).ToArray();

    private static IEnumerable<TestCaseData> Scopes()
    {
        yield return new TestCaseData(ReadOutcome.Fragment, 11).SetArgDisplayNames("fragment");
        yield return new TestCaseData(ReadOutcome.Stream, 12).SetArgDisplayNames("stream");
        yield return new TestCaseData(
            (IReadOnlyList<KeyValuePair<string, string>>)[new(string.Empty, "urn:p"), new("p", "urn:p"), new("q", "urn:q"), new("q", "urn:q2")], 13)
            .SetArgDisplayNames("prefixes passed in");
        yield return new TestCaseData((IReadOnlyList<KeyValuePair<string, string>>)[], 14).SetArgDisplayNames("nothing passed in");
    }

    [TestCaseSource(nameof(Scopes))]
    public void Random_elements_read_the_same_or_decline(IReadOnlyList<KeyValuePair<string, string>> namespaces, int seed)
    {
        var stanzas = new RandomStanzas(seed);
        var tally = new Tally();
        for (int n = 0; n < Cases; n++)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(stanzas.Next());
            tally.Check(bytes, namespaces, $"case {n}");
        }

        // Both sides of the subset are reached often, so the comparison says something.
        TestContext.Out.WriteLine($"accepted {tally.Accepted}, declined {tally.DeclinedValid} well-formed and {tally.DeclinedInvalid} malformed");
        Assert.That(tally.Summary, Is.EqualTo("ok"), tally.Summary);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tally.Accepted, Is.GreaterThan(Cases / 10), "accepted");
            Assert.That(tally.DeclinedValid, Is.GreaterThan(Cases / 200), "declined although well-formed");
            Assert.That(tally.DeclinedInvalid, Is.GreaterThan(Cases / 10), "declined as not well-formed");
        }
    }

    [TestCaseSource(nameof(Scopes))]
    public void Mutated_real_stanzas_read_the_same_or_decline(IReadOnlyList<KeyValuePair<string, string>> namespaces, int seed)
    {
        var random = new Random(seed);
        var tally = new Tally();
        for (int n = 0; n < Cases; n++)
        {
            byte[] original = Encoding.UTF8.GetBytes(RealStanzas[n % RealStanzas.Length]);
            byte[] mutant = Mutate(original, random);
            if (!Utf8.IsValid(mutant))
            {
                continue;
            }

            tally.Check(mutant, namespaces, $"mutant {n}: {Convert.ToBase64String(mutant)}");
        }

        Assert.That(tally.Summary, Is.EqualTo("ok"), tally.Summary);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tally.Accepted, Is.GreaterThan(Cases / 10), "accepted");
            Assert.That(tally.DeclinedInvalid, Is.GreaterThan(Cases / 10), "declined as not well-formed");
        }
    }

    [Test]
    public void Real_stanzas_take_the_fast_path()
    {
        foreach (string stanza in RealStanzas.Where(s => !s.Contains('\n', StringComparison.Ordinal)))
        {
            ReadOutcome outcome = ReadOutcome.Of(Encoding.UTF8.GetBytes(stanza), ReadOutcome.Stream);
            Assert.That(outcome.Fast, Is.EqualTo(outcome.Full).And.Not.StartWith("error"), stanza);
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        List<byte> bytes = [.. original];
        int count = random.Next(1, 4);
        for (int i = 0; i < count && bytes.Count > 0; i++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
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
                default:
                    bytes.Insert(at, bytes[random.Next(bytes.Count)]);
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Counts the outcomes and keeps the first few disagreements.</summary>
    private sealed class Tally
    {
        private readonly List<string> _failures = [];

        public int Accepted { get; private set; }

        public int DeclinedValid { get; private set; }

        public int DeclinedInvalid { get; private set; }

        public string Summary => _failures.Count == 0 ? "ok" : string.Join("\n", _failures);

        public void Check(byte[] bytes, IReadOnlyList<KeyValuePair<string, string>> namespaces, string label)
        {
            ReadOutcome outcome = ReadOutcome.Of(bytes, namespaces);
            if (!outcome.Accepted)
            {
                if (outcome.Full.StartsWith("error", StringComparison.Ordinal))
                {
                    DeclinedInvalid++;
                }
                else
                {
                    DeclinedValid++;
                }

                return;
            }

            Accepted++;
            if (outcome.Fast != outcome.Full && _failures.Count < 5)
            {
                _failures.Add($"{label}: {Encoding.UTF8.GetString(bytes)}\n  fast: {outcome.Fast}\n  full: {outcome.Full}");
            }
        }
    }
}
