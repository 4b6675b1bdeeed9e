using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tests.Protocol;

public class XtlsBase64Tests
{
    [Test]
    public void Round_trips_every_length_up_to_a_few_blocks()
    {
        var random = new Random(1);
        for (int length = 0; length < 100; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);

            string text = XtlsBase64.Encode(data);

            Assert.That(text, Is.EqualTo(Convert.ToBase64String(data)));
            Assert.That(text, Has.Length.EqualTo(XtlsBase64.GetEncodedLength(length)));
            Assert.That(XtlsBase64.Decode(text, length), Is.EqualTo(data));
        }
    }

    [Test]
    public void Text_without_whitespace_decodes_and_fails_exactly_like_wrapped_text()
    {
        // Compact text takes a vectorised path; text with whitespace the character-by-character one.
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        foreach (char last in Alphabet)
        {
            foreach (string compact in new[] { "AAA" + last, "AA" + last + "=", "A" + last + "==", "QUJD" + last + "A==" })
            {
                string wrapped = compact[..2] + "\n" + compact[2..];
                Assert.That(Outcome(compact), Is.EqualTo(Outcome(wrapped)), compact);
            }
        }
    }

    [Test]
    public void Whitespace_is_accepted_anywhere()
    {
        byte[] data = [0xde, 0xad, 0xbe, 0xef, 0x00, 0x01];
        string text = " \r\n3q2\t+7w\nAB\r\n  ";

        Assert.That(Convert.ToBase64String(data), Is.EqualTo("3q2+7wAB"));
        Assert.That(XtlsBase64.Decode(text, 16), Is.EqualTo(data));
        Assert.That(XtlsBase64.Decode("AQ = =", 16), Is.EqualTo(new byte[] { 1 }));
    }

    [Test]
    public void Empty_or_whitespace_only_text_decodes_to_nothing()
    {
        Assert.That(XtlsBase64.Decode("", 16), Is.Empty);
        Assert.That(XtlsBase64.Decode(" \n\t", 16), Is.Empty);
        Assert.That(XtlsBase64.Encode([]), Is.Empty);
    }

    [TestCase("AA*C", Base64Error.InvalidCharacter, 2)]
    [TestCase("AA-C", Base64Error.InvalidCharacter, 2)]
    [TestCase("AA_C", Base64Error.InvalidCharacter, 2)]
    [TestCase("AAEC\u00a0", Base64Error.InvalidCharacter, 4)]
    [TestCase("AA\vC", Base64Error.InvalidCharacter, 2)]
    [TestCase("AAE", Base64Error.InvalidLength, -1)]
    [TestCase("AAECA", Base64Error.InvalidLength, -1)]
    [TestCase("AQ=", Base64Error.InvalidLength, -1)]
    [TestCase("AA=C", Base64Error.InvalidPadding, 3)]
    [TestCase("A===", Base64Error.InvalidPadding, 3)]
    [TestCase("====", Base64Error.InvalidPadding, 2)]
    [TestCase("AQ==AQ==", Base64Error.InvalidPadding, 4)]
    [TestCase("AR==", Base64Error.InvalidPadding, -1)]
    [TestCase("AAF=", Base64Error.InvalidPadding, -1)]
    public void Malformed_text_is_rejected_with_a_typed_error(string text, Base64Error error, int position)
    {
        XtlsBase64Exception e = Assert.Throws<XtlsBase64Exception>(() => XtlsBase64.Decode(text, 64))!;

        Assert.That(e.Error, Is.EqualTo(error));
        Assert.That(e.Position, Is.EqualTo(position));
        Assert.That(e, Is.InstanceOf<XtlsFormatException>());
    }

    [Test]
    public void Decoded_length_bound_is_exact()
    {
        Assert.That(XtlsBase64.Decode(Convert.ToBase64String(new byte[10]), 10), Has.Length.EqualTo(10));
        Assert.That(Assert.Throws<XtlsBase64Exception>(() => XtlsBase64.Decode(Convert.ToBase64String(new byte[11]), 10))!.Error, Is.EqualTo(Base64Error.TooLong));
        Assert.That(Assert.Throws<XtlsBase64Exception>(() => XtlsBase64.Decode(Convert.ToBase64String(new byte[12]), 10))!.Error, Is.EqualTo(Base64Error.TooLong));
    }

    [Test]
    public void Overlong_text_is_refused_by_length_before_any_decoding()
    {
        int max = 1024;
        string garbage = new('*', XtlsBase64.GetMaxTextLength(max) + 1);

        XtlsBase64Exception e = Assert.Throws<XtlsBase64Exception>(() => XtlsBase64.Decode(garbage, max))!;

        Assert.That(e.Error, Is.EqualTo(Base64Error.TooLong), "the length is checked before the characters");
    }

    [Test]
    public void Too_many_significant_characters_are_refused_even_within_the_text_length()
    {
        string text = Convert.ToBase64String(new byte[30]);
        XtlsBase64Exception e = Assert.Throws<XtlsBase64Exception>(() => XtlsBase64.Decode(text, 20))!;
        Assert.That(e.Error, Is.EqualTo(Base64Error.TooLong));
    }

    [Test]
    public void Generous_whitespace_within_the_allowance_is_fine()
    {
        byte[] data = new byte[4096];
        new Random(3).NextBytes(data);
        string wrapped = string.Join("\r\n", Convert.ToBase64String(data).Chunk(76).Select(c => "    " + new string(c)));

        Assert.That(wrapped, Has.Length.LessThanOrEqualTo(XtlsBase64.GetMaxTextLength(4096)));
        Assert.That(XtlsBase64.Decode(wrapped, 4096), Is.EqualTo(data));
    }

    [Test]
    public void Bounds_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => XtlsBase64.GetEncodedLength(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => XtlsBase64.Decode("AAAA", -1));
        Assert.That(Assert.Throws<XtlsBase64Exception>(() => XtlsBase64.Decode("AAAA", 0))!.Error, Is.EqualTo(Base64Error.TooLong));
        Assert.That(XtlsBase64.Decode("", 0), Is.Empty);
    }

    private static string Outcome(string text)
    {
        try
        {
            return Convert.ToHexString(XtlsBase64.Decode(text, 64));
        }
        catch (XtlsBase64Exception e)
        {
            return e.Error.ToString();
        }
    }
}
