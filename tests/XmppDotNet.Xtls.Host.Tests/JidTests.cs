using System.Text;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Host.Tests;

public class JidTests
{
    [Test]
    public void Parse_FullAddress_SplitsIntoParts()
    {
        Jid jid = Jid.Parse("juliet@capulet.com/balcony");

        Assert.That(jid.Local, Is.EqualTo("juliet"));
        Assert.That(jid.Domain, Is.EqualTo("capulet.com"));
        Assert.That(jid.Resource, Is.EqualTo("balcony"));
        Assert.That(jid.IsFull, Is.True);
        Assert.That(jid.IsBare, Is.False);
        Assert.That(jid.ToString(), Is.EqualTo("juliet@capulet.com/balcony"));
    }

    [Test]
    public void Parse_DomainOnly_HasNoLocalOrResource()
    {
        Jid jid = Jid.Parse("capulet.com");

        Assert.That(jid.Local, Is.Null);
        Assert.That(jid.Domain, Is.EqualTo("capulet.com"));
        Assert.That(jid.Resource, Is.Null);
        Assert.That(jid.IsBare, Is.True);
    }

    [Test]
    public void Parse_DomainWithResource_HasNoLocal()
    {
        Jid jid = Jid.Parse("capulet.com/chat");

        Assert.That(jid.Local, Is.Null);
        Assert.That(jid.Resource, Is.EqualTo("chat"));
    }

    [Test]
    public void Parse_ResourceMayContainAtAndSlash()
    {
        // Only the first '/' separates the resource; '@' after it belongs to the resource.
        Jid jid = Jid.Parse("juliet@capulet.com/a@b/c");

        Assert.That(jid.Local, Is.EqualTo("juliet"));
        Assert.That(jid.Domain, Is.EqualTo("capulet.com"));
        Assert.That(jid.Resource, Is.EqualTo("a@b/c"));
    }

    [Test]
    public void Parse_CaseFoldsLocalAndDomainButNotResource()
    {
        Jid jid = Jid.Parse("Juliet@Capulet.COM/Balcony");

        Assert.That(jid.ToString(), Is.EqualTo("juliet@capulet.com/Balcony"));
    }

    [Test]
    public void Parse_NormalisesToNfc()
    {
        Jid jid = Jid.Parse("rene\u0301@example.com/cafe\u0301");

        Assert.That(jid.Local, Is.EqualTo("ren\u00e9"));
        Assert.That(jid.Resource, Is.EqualTo("caf\u00e9"));
    }

    [Test]
    public void Parse_StripsOneTrailingDotFromDomain()
    {
        Assert.That(Jid.Parse("juliet@capulet.com./balcony").Domain, Is.EqualTo("capulet.com"));
    }

    [TestCase("")]
    [TestCase("@capulet.com")]
    [TestCase("juliet@")]
    [TestCase("juliet@/balcony")]
    [TestCase("juliet@capulet.com/")]
    [TestCase("jul\"iet@capulet.com")]
    [TestCase("jul'iet@capulet.com")]
    [TestCase("jul:iet@capulet.com")]
    [TestCase("jul<iet@capulet.com")]
    [TestCase("jul iet@capulet.com")]
    [TestCase("juliet@capu let.com")]
    [TestCase("juliet@capulet<.com")]
    [TestCase("a@b@capulet.com")]
    [TestCase("juliet@capulet.com/bal\u0007cony")]
    [TestCase(".")]
    [TestCase("juliet@capulet.com..")]
    [TestCase("juliet@.capulet.com")]
    [TestCase("juliet@capulet..com")]
    public void Parse_InvalidAddress_ThrowsInvalidJidException(string text)
    {
        Assert.That(() => Jid.Parse(text), Throws.TypeOf<InvalidJidException>());
        Assert.That(Jid.TryParse(text, out Jid? jid), Is.False);
        Assert.That(jid, Is.Null);
    }

    [Test]
    public void Parse_UnpairedSurrogate_IsRejected()
    {
        // Built at run time: attribute arguments are stored as UTF-8 and would lose the lone surrogate.
        string[] texts =
        [
            "juliet@capulet.com/bal" + '\uD800' + "cony",
            "jul" + '\uDC00' + "iet@capulet.com",
            "juliet@capulet" + '\uD83D' + ".com",
            "juliet@capulet.com/" + '\uDE00' + '\uD83D',
        ];

        foreach (string text in texts)
        {
            Assert.That(() => Jid.Parse(text), Throws.TypeOf<InvalidJidException>(), text);
        }

        Assert.That(Jid.Parse("juliet@capulet.com/" + "\U0001F600").Resource, Is.EqualTo("\U0001F600"));
    }

    [Test]
    public void Parse_PartLongerThan1023Bytes_IsRejected()
    {
        string longLocal = new('a', 1024);

        Assert.That(() => Jid.Parse(longLocal + "@capulet.com"), Throws.TypeOf<InvalidJidException>());
        Assert.That(Jid.Parse(new string('a', 1023) + "@capulet.com").Local, Has.Length.EqualTo(1023));
    }

    [Test]
    public void Parse_PartLimitCountsUtf8BytesNotCharacters()
    {
        // 512 × U+00E9 is 512 characters but 1024 UTF-8 bytes.
        string resource = new('\u00e9', 512);

        Assert.That(() => Jid.Parse("juliet@capulet.com/" + resource), Throws.TypeOf<InvalidJidException>());
    }

    [Test]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.That(Jid.TryParse(null, out Jid? jid), Is.False);
        Assert.That(jid, Is.Null);
    }

    [Test]
    public void TryParse_Valid_ReturnsJid()
    {
        Assert.That(Jid.TryParse("romeo@montague.net/orchard", out Jid? jid), Is.True);
        Assert.That(jid!.Resource, Is.EqualTo("orchard"));
    }

    [Test]
    public void Constructor_ValidatesEachPart()
    {
        Assert.That(() => new Jid("ro@meo", "montague.net"), Throws.TypeOf<InvalidJidException>());
        Assert.That(() => new Jid(null, "montague.net/x"), Throws.TypeOf<InvalidJidException>());
        Assert.That(new Jid("Romeo", "Montague.net", "Orchard").ToString(), Is.EqualTo("romeo@montague.net/Orchard"));
    }

    [Test]
    public void Bare_DropsResourceAndKeepsIdentityForBareAddresses()
    {
        Jid full = Jid.Parse("romeo@montague.net/orchard");
        Jid bare = Jid.Parse("romeo@montague.net");

        Assert.That(full.Bare, Is.EqualTo(bare));
        Assert.That(full.Bare.IsBare, Is.True);
        Assert.That(bare.Bare, Is.SameAs(bare));
    }

    [Test]
    public void WithResource_ReplacesResource()
    {
        Jid jid = Jid.Parse("romeo@montague.net/orchard").WithResource("garden");

        Assert.That(jid.ToString(), Is.EqualTo("romeo@montague.net/garden"));
    }

    [Test]
    public void Equality_IsOnTheNormalisedForm()
    {
        Jid a = Jid.Parse("Romeo@Montague.NET/orchard");
        Jid b = Jid.Parse("romeo@montague.net/orchard");

        Assert.That(a, Is.EqualTo(b));
        Assert.That(a == b, Is.True);
        Assert.That(a != b, Is.False);
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
        Assert.That(a.Equals((object)b), Is.True);
    }

    [Test]
    public void Equality_ResourceIsCaseSensitive()
    {
        Assert.That(Jid.Parse("romeo@montague.net/Orchard"), Is.Not.EqualTo(Jid.Parse("romeo@montague.net/orchard")));
    }

    [Test]
    public void Equality_WithNull()
    {
        Jid jid = Jid.Parse("romeo@montague.net");
        Jid? none = null;

        Assert.That(jid == none, Is.False);
        Assert.That(none == null, Is.True);
        Assert.That(jid.Equals(null), Is.False);
    }

    [Test]
    public void CompareTo_XtlsSpecificationExample_JulietSortsBeforeRomeo()
    {
        // XTLS §simultaneous start: juliet@capulet.com/balcony sorts before romeo@montague.net/orchard.
        Jid juliet = Jid.Parse("juliet@capulet.com/balcony");
        Jid romeo = Jid.Parse("romeo@montague.net/orchard");

        Assert.That(juliet.CompareTo(romeo), Is.Negative);
        Assert.That(romeo.CompareTo(juliet), Is.Positive);
        Assert.That(juliet < romeo, Is.True);
        Assert.That(romeo > juliet, Is.True);
    }

    [Test]
    public void CompareTo_IsUtf8ByteOrderNotUtf16OrdinalOrder()
    {
        // U+FF21 is EF BC A1 in UTF-8 and 0xFF21 in UTF-16; U+1F600 is F0 9F 98 80 and 0xD83D 0xDE00.
        // i;octet (UTF-8 bytes) puts U+FF21 first; an ordinal UTF-16 comparison would put U+1F600 first.
        Jid fullwidth = Jid.Parse("juliet@capulet.com/\uFF21");
        Jid emoji = Jid.Parse("juliet@capulet.com/\U0001F600");

        Assert.That(string.CompareOrdinal(fullwidth.ToString(), emoji.ToString()), Is.Positive, "precondition: UTF-16 order differs");
        Assert.That(Encoding.UTF8.GetBytes(fullwidth.ToString()).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(emoji.ToString())), Is.Negative);
        Assert.That(fullwidth.CompareTo(emoji), Is.Negative);
        Assert.That(emoji.CompareTo(fullwidth), Is.Positive);
    }

    [Test]
    public void CompareTo_ComparesUnsignedOctets()
    {
        // 0xC3 (from U+00E9) must sort after 0x7A ('z'): signed bytes would reverse them.
        Assert.That(Jid.Parse("z@capulet.com").CompareTo(Jid.Parse("\u00e9@capulet.com")), Is.Negative);
    }

    [Test]
    public void CompareTo_PrefixSortsFirstAndEqualIsZero()
    {
        Jid bare = Jid.Parse("juliet@capulet.com");
        Jid full = Jid.Parse("juliet@capulet.com/balcony");

        Assert.That(bare.CompareTo(full), Is.Negative);
        Assert.That(full.CompareTo(Jid.Parse("Juliet@capulet.com/balcony")), Is.Zero);
        Assert.That(full.CompareTo(null), Is.Positive);
    }

    [Test]
    public void Operators_HandleNullAndEquality()
    {
        Jid a = Jid.Parse("a@example.com");
        Jid b = Jid.Parse("b@example.com");
        Jid? none = null;
        Jid? alsoNone = null;

        Assert.That(none < a, Is.True);
        Assert.That(a > none, Is.True);
        Assert.That(none < alsoNone, Is.False);
        Assert.That(a <= Jid.Parse("A@example.com"), Is.True);
        Assert.That(a >= Jid.Parse("A@example.com"), Is.True);
        Assert.That(b <= a, Is.False);
        Assert.That(a >= b, Is.False);
    }

    [Test]
    public void Sort_OrdersByIOctet()
    {
        List<Jid> jids =
        [
            Jid.Parse("romeo@montague.net/orchard"),
            Jid.Parse("juliet@capulet.com/balcony"),
            Jid.Parse("capulet.com"),
            Jid.Parse("juliet@capulet.com"),
        ];

        jids.Sort();

        string[] expected = ["capulet.com", "juliet@capulet.com", "juliet@capulet.com/balcony", "romeo@montague.net/orchard"];
        Assert.That(jids.Select(j => j.ToString()), Is.EqualTo(expected));
    }

    [TestCase("juliet@capulet.com/balcony")]
    [TestCase("Juliet@Capulet.com./Balcony")]
    [TestCase("ren\u0065\u0301@example.com/x")]
    [TestCase("\u0130stanbul@example.com")]
    [TestCase("[::1]")]
    public void Parse_OfToString_IsTheSameAddress(string text)
    {
        Jid jid = Jid.Parse(text);

        Assert.That(Jid.Parse(jid.ToString()), Is.EqualTo(jid));
        Assert.That(Jid.Parse(jid.ToString()).ToString(), Is.EqualTo(jid.ToString()));
    }

    [Test]
    public void Normalisation_IsIdempotentForEveryBmpCharacter()
    {
        var failures = new List<string>();
        for (int c = 0x20; c <= 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            string ch = ((char)c).ToString();
            foreach (string text in new[] { "a" + ch + "@example.com/r" + ch, "a@x" + ch + ".example/r", "a" + ch + "\u0301@example.com" })
            {
                if (Jid.TryParse(text, out Jid? jid)
                    && (!Jid.TryParse(jid.ToString(), out Jid? again) || again.ToString() != jid.ToString()))
                {
                    failures.Add($"U+{c:X4} in {text}");
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }
}
