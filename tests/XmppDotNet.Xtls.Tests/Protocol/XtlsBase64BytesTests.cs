using System.Text;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tests.Protocol;

/// <summary>The Base64 codec on ASCII bytes (a chunk's text that never became a string) follows the rules of the text one exactly.</summary>
[TestFixture]
public sealed class XtlsBase64BytesTests
{
    private static readonly string[] Corpus =
    [
        "", " \n\t", "AQ==", "AQI=", "AQID", "AQ==\n", " A Q = = ", "AA*C", "AA-C", "AA_C", "AAEC\u00a0", "AA\vC", "AAE", "AAECA", "AQ=",
        "AA=C", "A===", "====", "AQ==AQ==", "AR==", "AAF=", "AQID\r\nBAUG", "AQID\tBAUG", "QUJD\u00e9", "AAAA", "AAAAAAAAAAAAAAAA",
    ];

    private static IEnumerable<string> Inputs()
    {
        foreach (string text in Corpus)
        {
            yield return text;
        }

        var random = new Random(11);
        foreach (int length in new[] { 1, 2, 3, 15, 16, 17, 20, 21, 300, 4096 })
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            string compact = Convert.ToBase64String(data);
            yield return compact;
            yield return string.Join("\n", compact.Chunk(76).Select(c => new string(c)));
            yield return " " + compact + "\t";
        }
    }

    [TestCaseSource(nameof(Inputs))]
    public void Bytes_decode_exactly_as_the_same_text(string text)
    {
        foreach (int max in new[] { 0, 1, 10, 20, 4096 })
        {
            Assert.That(Outcome(() => XtlsBase64.Decode(Encoding.UTF8.GetBytes(text), max)), Is.EqualTo(Outcome(() => XtlsBase64.Decode(text, max))), $"bound {max}");
        }
    }

    [Test]
    public void Overlong_bytes_are_refused_by_length_before_any_decoding()
    {
        byte[] garbage = Encoding.ASCII.GetBytes(new string('*', XtlsBase64.GetMaxTextLength(1024) + 1));

        Assert.That(Assert.Throws<XtlsBase64Exception>(() => XtlsBase64.Decode(garbage, 1024))!.Error, Is.EqualTo(Base64Error.TooLong));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4096)]
    public void Encoding_into_bytes_gives_the_text_of_Encode(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        byte[] destination = new byte[XtlsBase64.GetEncodedLength(length) + 3];

        int written = XtlsBase64.EncodeToUtf8(data, destination);

        Assert.That(Encoding.ASCII.GetString(destination, 0, written), Is.EqualTo(XtlsBase64.Encode(data)));
    }

    [Test]
    public void Encoding_into_too_small_a_destination_is_refused()
    {
        Assert.Throws<ArgumentException>(() => XtlsBase64.EncodeToUtf8(new byte[3], new byte[3]));
    }

    [Test]
    public void Every_text_character_is_one_the_decoder_accepts_and_a_host_may_deliver_as_bytes()
    {
        foreach (char c in XtlsBase64.TextCharacters)
        {
            string text = c == '=' ? "AQ==" : "AAA" + c + (char.IsWhiteSpace(c) ? "A" : string.Empty);
            Assert.DoesNotThrow(() => XtlsBase64.Decode(Encoding.ASCII.GetBytes(text), 16), $"'{c}'");
        }

        Assert.DoesNotThrow(() => _ = new XmppDotNet.Xtls.Host.Xml.BinaryPayloadElement(XtlsElements.DataName, 16, XtlsBase64.TextCharacters));
    }

    private static string Outcome(Func<byte[]> decode)
    {
        try
        {
            return Convert.ToHexString(decode());
        }
        catch (XtlsBase64Exception e)
        {
            return $"{e.Error}@{e.Position}";
        }
    }
}
