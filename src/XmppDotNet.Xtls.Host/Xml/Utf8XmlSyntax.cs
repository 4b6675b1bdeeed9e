using System.Buffers;
using System.Text;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// The byte-level pieces of XML 1.0 the fast element reader accepts: ASCII names, whitespace, the five predefined
/// entities and character references. Each answers "not in the subset" with <c>false</c> or -1, never an exception.
/// </summary>
internal static class Utf8XmlSyntax
{
    /// <summary>Bytes that end a plain run of character data: markup, references, <c>]]&gt;</c>, CR, controls, and
    /// 0xEF (the lead byte of U+FFFE and U+FFFF).</summary>
    public static readonly SearchValues<byte> TextStops = SearchValues.Create(Stops("<&]\r"u8));

    /// <summary>Bytes that end a plain run of an attribute value in apostrophes.</summary>
    public static readonly SearchValues<byte> ApostropheValueStops = SearchValues.Create(Stops("'<&\t\n\r"u8));

    /// <summary>Bytes that end a plain run of an attribute value in quotation marks.</summary>
    public static readonly SearchValues<byte> QuoteValueStops = SearchValues.Create(Stops("\"<&\t\n\r"u8));

    /// <summary>Whether the byte is XML whitespace (S).</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <summary>
    /// The length of the ASCII NCName at the start of <paramref name="utf8"/>, or 0 if there is none. A non-ASCII
    /// byte right after the name makes it -1: such names are left to the full reader.
    /// </summary>
    public static int NameLength(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty || !IsNameStart(utf8[0]))
        {
            return utf8.IsEmpty || utf8[0] < 0x80 ? 0 : -1;
        }

        int i = 1;
        while (i < utf8.Length && IsNameChar(utf8[i]))
        {
            i++;
        }

        return i < utf8.Length && utf8[i] >= 0x80 ? -1 : i;
    }

    /// <summary>
    /// Whether the 0xEF at <paramref name="utf8"/>[<paramref name="index"/>] starts U+FFFE or U+FFFF, which XML forbids.
    /// (The other bytes a run stops at, C0 controls and CR among them, are declined by the caller.)
    /// </summary>
    public static bool IsNonCharacterAt(ReadOnlySpan<byte> utf8, int index) =>
        // In valid UTF-8 a lead byte has its continuation bytes; the length check only guards against misuse.
        index + 2 < utf8.Length && utf8[index + 1] == 0xBF && utf8[index + 2] >= 0xBE;

    /// <summary>
    /// Decodes the reference that starts with '&amp;' at <paramref name="utf8"/>[0] into <paramref name="destination"/>.
    /// Returns the bytes consumed and the chars written, or (0, 0) for anything but a predefined entity or a
    /// character reference to an XML character.
    /// </summary>
    public static (int Consumed, int Written) DecodeReference(ReadOnlySpan<byte> utf8, Span<char> destination)
    {
        if (utf8.Length < 4)
        {
            return (0, 0);
        }

        if (utf8[1] == (byte)'#')
        {
            return DecodeCharacterReference(utf8, destination);
        }

        char c;
        int consumed;
        if (utf8.StartsWith("&lt;"u8))
        {
            (c, consumed) = ('<', 4);
        }
        else if (utf8.StartsWith("&gt;"u8))
        {
            (c, consumed) = ('>', 4);
        }
        else if (utf8.StartsWith("&amp;"u8))
        {
            (c, consumed) = ('&', 5);
        }
        else if (utf8.StartsWith("&apos;"u8))
        {
            (c, consumed) = ('\'', 6);
        }
        else if (utf8.StartsWith("&quot;"u8))
        {
            (c, consumed) = ('"', 6);
        }
        else
        {
            return (0, 0);
        }

        destination[0] = c;
        return (consumed, 1);
    }

    private static (int Consumed, int Written) DecodeCharacterReference(ReadOnlySpan<byte> utf8, Span<char> destination)
    {
        bool hex = utf8[2] == (byte)'x';
        int i = hex ? 3 : 2;
        int start = i;
        int value = 0;
        for (; i < utf8.Length && utf8[i] != (byte)';'; i++)
        {
            int digit = DigitValue(utf8[i], hex);
            if (digit < 0)
            {
                return (0, 0);
            }

            value = (value * (hex ? 16 : 10)) + digit;
            if (value > 0x10FFFF)
            {
                return (0, 0);
            }
        }

        if (i == start || i == utf8.Length || !IsXmlChar(value))
        {
            return (0, 0);
        }

        return (i + 1, new Rune(value).EncodeToUtf16(destination));
    }

    private static int DigitValue(byte b, bool hex) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' when hex => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' when hex => b - 'A' + 10,
        _ => -1,
    };

    // XML 1.0 Char: the code points a character reference may denote.
    private static bool IsXmlChar(int value) =>
        value is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    private static bool IsNameStart(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_';

    private static bool IsNameChar(byte b) => IsNameStart(b) || b is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.';

    // The given bytes, the C0 controls except TAB and LF (which callers list where they stop too), and 0xEF.
    // SearchValues takes duplicates, so CR listed twice does no harm.
    private static byte[] Stops(ReadOnlySpan<byte> bytes)
    {
        var stops = new List<byte>(bytes.ToArray()) { 0xEF };
        for (byte b = 0; b < 0x20; b++)
        {
            if (b is not (byte)'\t' and not (byte)'\n')
            {
                stops.Add(b);
            }
        }

        return [.. stops];
    }
}
