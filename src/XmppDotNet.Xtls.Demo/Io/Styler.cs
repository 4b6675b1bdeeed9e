namespace XmppDotNet.Xtls.Demo.Io;

/// <summary>
/// ANSI colour and emphasis for a terminal, or nothing at all: plain text when the stream is redirected,
/// when <c>NO_COLOR</c> is set to anything non-empty (no-color.org), or when <c>TERM=dumb</c>.
/// </summary>
internal sealed class Styler
{
    private const string Reset = "\u001b[0m";

    private Styler(bool enabled) => Enabled = enabled;

    /// <summary>Styling that writes no escape codes.</summary>
    public static Styler Plain { get; } = new(false);

    /// <summary>Whether escape codes are written.</summary>
    public bool Enabled { get; }

    /// <summary>Colour for a stream that is a terminal, unless the environment asks for none.</summary>
    public static Styler For(bool redirected, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        bool noColor = !string.IsNullOrEmpty(environment("NO_COLOR"));
        bool dumb = string.Equals(environment("TERM"), "dumb", StringComparison.Ordinal);
        return new Styler(!redirected && !noColor && !dumb);
    }

    /// <summary>Bold.</summary>
    public string Bold(string text) => Wrap("1", text);

    /// <summary>Faint: secondary detail.</summary>
    public string Dim(string text) => Wrap("2", text);

    /// <summary>Green: success, the initiator.</summary>
    public string Green(string text) => Wrap("32", text);

    /// <summary>Red: failure.</summary>
    public string Red(string text) => Wrap("31", text);

    /// <summary>Yellow: warnings, what the server sees.</summary>
    public string Yellow(string text) => Wrap("33", text);

    /// <summary>Cyan: headings.</summary>
    public string Cyan(string text) => Wrap("36", text);

    /// <summary>Magenta: the responder.</summary>
    public string Magenta(string text) => Wrap("35", text);

    private string Wrap(string code, string text) => Enabled ? $"\u001b[{code}m{text}{Reset}" : text;
}
