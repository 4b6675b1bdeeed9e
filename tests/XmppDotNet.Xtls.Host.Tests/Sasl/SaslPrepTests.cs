using XmppDotNet.Xtls.Host.Sasl;

namespace XmppDotNet.Xtls.Host.Tests.Sasl;

public class SaslPrepTests
{
    // RFC 4013 §3, examples 1 to 5.
    [TestCase("I\u00ADX", "IX", TestName = "RFC 4013 #1 soft hyphen mapped to nothing")]
    [TestCase("user", "user", TestName = "RFC 4013 #2 no transformation")]
    [TestCase("USER", "USER", TestName = "RFC 4013 #3 case preserved")]
    [TestCase("\u00AA", "a", TestName = "RFC 4013 #4 NFKC of feminine ordinal")]
    [TestCase("\u2168", "IX", TestName = "RFC 4013 #5 NFKC of Roman numeral nine")]
    public void Rfc4013Examples_AreMapped(string input, string expected)
    {
        Assert.That(SaslPrep.Prepare(input), Is.EqualTo(expected));
    }

    [Test]
    public void Rfc4013Example6_ProhibitedCharacter_IsRejected()
    {
        Assert.That(() => SaslPrep.Prepare("\u0007"), Throws.TypeOf<SaslPrepException>());
    }

    [Test]
    public void Rfc4013Example7_BidiViolation_IsRejected()
    {
        // ARABIC LETTER ALEF followed by DIGIT ONE: a RandALCat string must end with a RandALCat character.
        Assert.That(() => SaslPrep.Prepare("\u0627\u0031"), Throws.TypeOf<SaslPrepException>());
    }

    [TestCase("a\u00A0b", "a b", TestName = "No-break space mapped to SPACE")]
    [TestCase("a\u3000b", "a b", TestName = "Ideographic space mapped to SPACE")]
    [TestCase("a\u200Bb", "ab", TestName = "Zero width space mapped to nothing")]
    [TestCase("a\uFEFFb", "ab", TestName = "Zero width no-break space mapped to nothing")]
    [TestCase("\uFB01", "fi", TestName = "Ligature decomposed by NFKC")]
    [TestCase("\uFF21", "A", TestName = "Fullwidth letter folded by NFKC")]
    [TestCase("e\u0301", "\u00E9", TestName = "Combining sequence composed")]
    [TestCase("\u0627\u0031\u0628", "\u0627\u0031\u0628", TestName = "RandALCat at both ends with a digit inside")]
    [TestCase("", "", TestName = "Empty string")]
    public void Mapping_AndNormalisation(string input, string expected)
    {
        Assert.That(SaslPrep.Prepare(input), Is.EqualTo(expected));
    }

    [TestCase("a\u0000b", TestName = "NUL (C.2.1)")]
    [TestCase("a\u007Fb", TestName = "DELETE (C.2.1)")]
    [TestCase("a\u0085b", TestName = "Next line (C.2.2)")]
    [TestCase("a\u2028b", TestName = "Line separator (C.2.2)")]
    [TestCase("a\uE000b", TestName = "Private use (C.3)")]
    [TestCase("a\uFDD0b", TestName = "Non-character (C.4)")]
    [TestCase("a\uFFFDb", TestName = "Replacement character (C.6)")]
    [TestCase("a\u2FF0b", TestName = "Ideographic description (C.7)")]
    [TestCase("a\u200Eb", TestName = "Left-to-right mark (C.8)")]
    [TestCase("a\u202Eb", TestName = "Right-to-left override (C.8)")]
    [TestCase("\u0627a\u0628", TestName = "RandALCat mixed with LCat")]
    [TestCase("1\u0627", TestName = "RandALCat string not starting with RandALCat")]
    public void ProhibitedOrBadBidi_IsRejected(string input)
    {
        Assert.That(() => SaslPrep.Prepare(input), Throws.TypeOf<SaslPrepException>());
        Assert.That(() => SaslPrep.Prepare(input, allowUnassigned: true), Throws.TypeOf<SaslPrepException>());
    }

    [Test]
    public void SupplementaryProhibitedCharacters_AreRejected()
    {
        // Built at run time (attribute strings are UTF-8 and fine for pairs, but keep them explicit).
        Assert.That(() => SaslPrep.Prepare("a" + char.ConvertFromUtf32(0xE0001)), Throws.TypeOf<SaslPrepException>(), "language tag (C.9)");
        Assert.That(() => SaslPrep.Prepare("a" + char.ConvertFromUtf32(0x100000)), Throws.TypeOf<SaslPrepException>(), "plane 16 private use (C.3)");
        Assert.That(() => SaslPrep.Prepare("a" + char.ConvertFromUtf32(0x1FFFF)), Throws.TypeOf<SaslPrepException>(), "non-character (C.4)");
        Assert.That(() => SaslPrep.Prepare("a" + char.ConvertFromUtf32(0x1D173)), Throws.TypeOf<SaslPrepException>(), "musical control (C.2.2)");
    }

    [Test]
    public void UnpairedSurrogate_IsRejected()
    {
        Assert.That(() => SaslPrep.Prepare("a" + '\uD800' + "b"), Throws.TypeOf<SaslPrepException>());
        Assert.That(() => SaslPrep.Prepare("a" + '\uDC00'), Throws.TypeOf<SaslPrepException>());
    }

    [Test]
    public void UnassignedCodePoints_AreRejectedForStoredStringsOnly()
    {
        // U+0221 was unassigned in Unicode 3.2 (assigned in 4.0); U+1F600 arrived in 6.1.
        string[] unassigned = ["a\u0221", "pw" + char.ConvertFromUtf32(0x1F600)];

        foreach (string value in unassigned)
        {
            Assert.That(() => SaslPrep.Prepare(value), Throws.TypeOf<SaslPrepException>(), value);
            Assert.That(SaslPrep.Prepare(value, allowUnassigned: true), Is.EqualTo(value), value);
        }
    }

    [Test]
    public void ErrorMessages_DoNotQuoteTheInput()
    {
        var failure = Assert.Throws<SaslPrepException>(() => SaslPrep.Prepare("secret\u0007"));

        Assert.That(failure!.Message, Does.Not.Contain("secret"));
    }

    [Test]
    public void Null_IsRejected()
    {
        Assert.That(() => SaslPrep.Prepare(null!), Throws.ArgumentNullException);
    }
}
