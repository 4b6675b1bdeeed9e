using XmppDotNet.Xtls.Demo.Io;

namespace XmppDotNet.Xtls.Demo.Tests.Io;

[TestFixture]
public sealed class PrintableTests
{
    [TestCase("two\nlines", "two lines")]
    [TestCase("carriage\rreturn", "carriage return")]
    [TestCase("\u001b[2J\u001b[Hcleared", "[2J [Hcleared")]
    [TestCase("bidi \u202Eevil", "bidi  evil")]
    [TestCase("  padded  ", "padded")]
    [TestCase("ordinary", "ordinary")]
    public void One_line_removes_line_breaks_escapes_and_direction_overrides(string input, string expected)
    {
        Assert.That(Printable.OneLine(input), Is.EqualTo(expected));
    }

    [Test]
    public void Shorten_keeps_both_ends_and_says_how_long_the_text_was()
    {
        string text = new string('a', 50) + new string('b', 50);

        string shortened = Printable.Shorten(text, 40);

        Assert.That(shortened, Has.Length.LessThanOrEqualTo(40));
        Assert.That(shortened, Does.StartWith("aaaa").And.EndWith("bbbb").And.Contain("(100 chars)"));
    }

    [Test]
    public void Shorten_leaves_short_text_alone()
    {
        Assert.That(Printable.Shorten("short enough", 40), Is.EqualTo("short enough"));
    }
}
