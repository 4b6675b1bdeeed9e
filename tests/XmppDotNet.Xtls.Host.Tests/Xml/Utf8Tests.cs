using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

public class Utf8Tests
{
    private const string Header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    private static IEnumerable<TestCaseData> InvalidSequences()
    {
        yield return Sequence("overlong '/' in two bytes", 0xC0, 0xAF);
        yield return Sequence("overlong NUL in two bytes", 0xC0, 0x80);
        yield return Sequence("overlong in three bytes", 0xE0, 0x80, 0xAF);
        yield return Sequence("overlong in four bytes", 0xF0, 0x80, 0x80, 0xAF);
        yield return Sequence("high surrogate", 0xED, 0xA0, 0x80);
        yield return Sequence("low surrogate", 0xED, 0xBF, 0xBF);
        yield return Sequence("beyond U+10FFFF", 0xF4, 0x90, 0x80, 0x80);
        yield return Sequence("F5 lead byte", 0xF5, 0x80, 0x80, 0x80);
        yield return Sequence("FE byte", 0xFE);
        yield return Sequence("FF byte", 0xFF);
        yield return Sequence("lone continuation byte", 0x80);
        yield return Sequence("two-byte sequence cut short", 0xC3);
        yield return Sequence("three-byte sequence cut short", 0xE2, 0x82);
        yield return Sequence("four-byte sequence cut short", 0xF0, 0x9F, 0x98);
        yield return Sequence("lead byte followed by ASCII", 0xC3, 0x41);
        yield return Sequence("U+FFFE, not an XML character", 0xEF, 0xBF, 0xBE);
        yield return Sequence("U+FFFF, not an XML character", 0xEF, 0xBF, 0xBF);
    }

    [TestCaseSource(nameof(InvalidSequences))]
    public void Invalid_sequence_in_text_is_not_well_formed(byte[] sequence)
    {
        AssertNotWellFormed(Concat(Header + "<message><body>a", sequence, "b</body></message>"));
    }

    [TestCaseSource(nameof(InvalidSequences))]
    public void Invalid_sequence_in_an_attribute_value_is_not_well_formed(byte[] sequence)
    {
        AssertNotWellFormed(Concat(Header + "<message id='a", sequence, "'/>"));
    }

    [TestCaseSource(nameof(InvalidSequences))]
    public void Invalid_sequence_in_an_element_name_is_not_well_formed(byte[] sequence)
    {
        AssertNotWellFormed(Concat(Header + "<message><x", sequence, "/></message>"));
    }

    [TestCaseSource(nameof(InvalidSequences))]
    public void Invalid_sequence_in_the_header_is_not_well_formed(byte[] sequence)
    {
        AssertNotWellFormed(Concat("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='", sequence, "'>"));
    }

    [TestCaseSource(nameof(InvalidSequences))]
    public void Invalid_sequence_in_a_fragment_is_not_well_formed(byte[] sequence)
    {
        byte[] bytes = Concat("<message><body>", sequence, "</body></message>");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ParserHarness.ConditionOf(bytes, ParserHarness.Fragment(), int.MaxValue), Is.EqualTo(StreamErrorConditions.NotWellFormed));
            Assert.That(ParserHarness.ConditionOf(bytes, ParserHarness.Fragment(), 1), Is.EqualTo(StreamErrorConditions.NotWellFormed));
        }
    }

    [Test]
    public void Invalid_sequence_in_the_declaration_is_not_well_formed()
    {
        AssertNotWellFormed(Concat("<?xml version='1.0' ", [0xC0, 0xAF], "?>" + Header));
    }

    [Test]
    public void Invalid_sequence_in_a_cdata_section_is_not_well_formed()
    {
        AssertNotWellFormed(Concat(Header + "<message><body><![CDATA[", [0xED, 0xA0, 0x80], "]]></body></message>"));
    }

    [Test]
    public void Multibyte_characters_in_names_and_values_survive_every_split()
    {
        const string Xml = "<größe xmlns='urn:example:maß' ä='😀 €'><ü>日本</ü><日本語/></größe>";
        byte[] bytes = Encoding.UTF8.GetBytes(Xml);
        List<string> reference = ParserHarness.Describe(ParserHarness.ParseWhole(bytes, ParserHarness.Fragment()));

        for (int at = 0; at <= bytes.Length; at++)
        {
            Assert.That(ParserHarness.Describe(ParserHarness.ParseSplit(bytes, at, ParserHarness.Fragment())), Is.EqualTo(reference), $"split at {at}");
        }

        XElement element = (XElement)ParserHarness.ParseWhole(bytes, ParserHarness.Fragment())[0];
        XNamespace ns = "urn:example:maß";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(element.Name, Is.EqualTo(ns + "größe"));
            Assert.That(element.Attribute("ä")?.Value, Is.EqualTo("😀 €"));
            Assert.That(element.Element(ns + "ü")?.Value, Is.EqualTo("日本"));
            Assert.That(element.Element(ns + "日本語"), Is.Not.Null);
        }
    }

    [Test]
    public void A_byte_order_mark_is_not_accepted_before_the_stream()
    {
        AssertNotWellFormed(Concat(string.Empty, [0xEF, 0xBB, 0xBF], Header));
    }

    private static void AssertNotWellFormed(byte[] bytes)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ParserHarness.ConditionOf(bytes, null, int.MaxValue), Is.EqualTo(StreamErrorConditions.NotWellFormed));
            Assert.That(ParserHarness.ConditionOf(bytes, null, 1), Is.EqualTo(StreamErrorConditions.NotWellFormed));
        }
    }

    private static byte[] Concat(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];

    private static TestCaseData Sequence(string name, params byte[] bytes) => new TestCaseData(bytes).SetArgDisplayNames(name);
}
