using XmppDotNet.Xtls.Demo.Io;

namespace XmppDotNet.Xtls.Demo.Tests.Io;

[TestFixture]
public sealed class StylerTests
{
    [Test]
    public void A_terminal_gets_escape_codes()
    {
        Styler style = Styler.For(redirected: false, _ => null);

        Assert.That(style.Enabled, Is.True);
        Assert.That(style.Red("x"), Is.EqualTo("\u001b[31mx\u001b[0m"));
    }

    [Test]
    public void Redirected_output_is_plain()
    {
        Styler style = Styler.For(redirected: true, _ => null);

        Assert.That(style.Enabled, Is.False);
        Assert.That(style.Bold(style.Green("x")), Is.EqualTo("x"));
    }

    [TestCase("NO_COLOR", "1", false)]
    [TestCase("NO_COLOR", "anything", false)]
    [TestCase("NO_COLOR", "", true)]
    [TestCase("TERM", "dumb", false)]
    [TestCase("TERM", "xterm-256color", true)]
    public void The_environment_can_turn_colour_off(string variable, string value, bool enabled)
    {
        Styler style = Styler.For(redirected: false, name => name == variable ? value : null);

        Assert.That(style.Enabled, Is.EqualTo(enabled));
    }
}
