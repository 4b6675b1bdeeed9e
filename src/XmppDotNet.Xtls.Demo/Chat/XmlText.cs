using System.Text;
using System.Xml;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>Makes a line of input fit for an XML text node.</summary>
internal static class XmlText
{
    /// <summary>The replacement for characters XML 1.0 does not allow.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>Replaces every character XML 1.0 does not allow (most control characters, lone surrogates, U+FFFE/U+FFFF) with U+FFFD.</summary>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? clean = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                clean?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (XmlConvert.IsXmlChar(c))
            {
                clean?.Append(c);
                continue;
            }

            clean ??= new StringBuilder(text.Length).Append(text, 0, i);
            clean.Append(Replacement);
        }

        return clean?.ToString() ?? text;
    }
}
