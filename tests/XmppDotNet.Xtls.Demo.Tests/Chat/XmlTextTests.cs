using XmppDotNet.Xtls.Demo.Chat;

namespace XmppDotNet.Xtls.Demo.Tests.Chat;

[TestFixture]
public sealed class XmlTextTests
{
    [TestCase("plain text", "plain text")]
    [TestCase("tab\tstays", "tab\tstays")]
    [TestCase("bell\u0007", "bell\uFFFD")]
    [TestCase("nul\0end", "nul\uFFFDend")]
    [TestCase("\uFFFE\uFFFF", "\uFFFD\uFFFD")]
    [TestCase("emoji \uD83D\uDE00 stays", "emoji \uD83D\uDE00 stays")]
    public void Characters_XML_does_not_allow_become_the_replacement_character(string input, string expected)
    {
        Assert.That(XmlText.Sanitize(input), Is.EqualTo(expected));
    }

    // Lone surrogates cannot go through attribute arguments intact, so these are built here.
    [Test]
    public void Lone_and_reversed_surrogates_become_the_replacement_character()
    {
        Assert.That(XmlText.Sanitize("lone " + '\uD800' + " high"), Is.EqualTo("lone \uFFFD high"));
        Assert.That(XmlText.Sanitize("lone " + '\uDC00' + " low"), Is.EqualTo("lone \uFFFD low"));
        Assert.That(XmlText.Sanitize("ends high " + '\uD83D'), Is.EqualTo("ends high \uFFFD"));
        Assert.That(XmlText.Sanitize("reversed " + '\uDE00' + '\uD83D' + " pair"), Is.EqualTo("reversed \uFFFD\uFFFD pair"));
    }

    [Test]
    public void Clean_text_is_returned_as_is()
    {
        const string text = "Call me but love, and I'll be new baptized.";

        Assert.That(XmlText.Sanitize(text), Is.SameAs(text));
    }
}
