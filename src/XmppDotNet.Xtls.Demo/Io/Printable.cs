using System.Text;

namespace XmppDotNet.Xtls.Demo.Io;

/// <summary>Makes text from a peer or an exception safe to print on one terminal line.</summary>
internal static class Printable
{
    /// <summary>
    /// Replaces every control character (line breaks, tabs, escape sequences a peer could use to rewrite the
    /// terminal) with a space, and trims the ends.
    /// </summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(IsUnsafe))
        {
            return text.Trim();
        }

        var line = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            line.Append(IsUnsafe(c) ? ' ' : c);
        }

        return line.ToString().Trim();
    }

    /// <summary>Shortens text to at most <paramref name="max"/> characters, keeping both ends and saying how much was left out.</summary>
    public static string Shorten(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 16);
        if (text.Length <= max)
        {
            return text;
        }

        string marker = $"…({text.Length} chars)…";
        int keep = Math.Max(4, max - marker.Length);
        int head = (keep + 1) / 2;
        int tail = keep - head;
        return string.Concat(text.AsSpan(0, head), marker, text.AsSpan(text.Length - tail));
    }

    // C0 and C1 controls, DEL, and the bidirectional overrides that can make text read differently than it is.
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
