using System.Buffers;
using System.Globalization;
using System.Text.Unicode;
using DotNetty.Buffers;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>Writes markup, names and escaped character data as UTF-8, rejecting characters XML 1.0 does not allow.</summary>
internal static class XmlOutput
{
    // Characters that text content cannot carry literally: markup, CR (which parsers turn into LF),
    // and the code points outside the XML 1.0 Char production.
    private const string IllegalControls =
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\uFFFE\uFFFF";

    // What a payload may hold literally: printable ASCII but markup and ']' (which could end "]]>"), and the
    // whitespace that survives parsing unchanged.
    private static readonly SearchValues<byte> PayloadBytes = SearchValues.Create(
        "\t\n !\"#$%'()*+,-./0123456789:;=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("&<>\r" + IllegalControls);

    // Attribute values are normalised by parsers (tab, LF and CR become spaces), so those are escaped too.
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create("&<>\"'\t\n\r" + IllegalControls);

    /// <summary>Writes bytes that are already UTF-8 markup.</summary>
    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        Span<byte> destination = output.GetSpan(utf8.Length);
        utf8.CopyTo(destination);
        output.Advance(utf8.Length);
    }

    /// <summary>
    /// Checks, without copying, that a binary payload holds only plain character data, as <see cref="WritePayload"/>
    /// would: a stanza that is counted but could never be written must be refused before it is counted.
    /// </summary>
    /// <exception cref="ArgumentException">A byte is not plain character data.</exception>
    public static void ValidatePayload(IByteBuffer payload)
    {
        int index = payload.ReaderIndex;
        int remaining = payload.ReadableBytes;
        while (remaining > 0)
        {
            int chunk = Math.Min(remaining, 16 * 1024);
            if (payload.GetIoBuffer(index, chunk).AsSpan().ContainsAnyExcept(PayloadBytes))
            {
                throw new ArgumentException("A binary payload holds a byte that is not plain character data.", nameof(payload));
            }

            index += chunk;
            remaining -= chunk;
        }
    }

    /// <summary>Copies payload bytes as character data, checking that each is one XML can carry unescaped.</summary>
    /// <exception cref="ArgumentException">A byte is not printable ASCII, space, tab or line feed, or is '&lt;', '&amp;' or ']'.</exception>
    public static void WritePayload(IBufferWriter<byte> output, IByteBuffer payload)
    {
        int index = payload.ReaderIndex;
        int remaining = payload.ReadableBytes;
        while (remaining > 0)
        {
            int chunk = Math.Min(remaining, 16 * 1024);
            Span<byte> destination = output.GetSpan(chunk)[..chunk];
            ArraySegment<byte> source = payload.GetIoBuffer(index, chunk);
            source.AsSpan().CopyTo(destination);
            if (destination.ContainsAnyExcept(PayloadBytes))
            {
                throw new ArgumentException("A binary payload holds a byte that is not plain character data.", nameof(payload));
            }

            output.Advance(chunk);
            index += chunk;
            remaining -= chunk;
        }
    }

    /// <summary>Writes one ASCII byte.</summary>
    public static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    /// <summary>Writes characters that need no escaping (a name) as UTF-8.</summary>
    /// <exception cref="ArgumentException">The characters contain a lone surrogate.</exception>
    public static void WriteUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> chars)
    {
        while (!chars.IsEmpty)
        {
            // Three bytes per UTF-16 code unit is the most UTF-8 can need; chunk so one span stays modest.
            int chunk = Math.Min(chars.Length, 4096);
            Span<byte> destination = output.GetSpan(chunk * 3);
            OperationStatus status = Utf8.FromUtf16(
                chars, destination, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
            output.Advance(written);
            chars = chars[read..];
            if (status == OperationStatus.InvalidData)
            {
                throw new ArgumentException("The text contains a lone surrogate, which XML 1.0 cannot carry.");
            }
        }
    }

    /// <summary>Writes character data, escaping markup characters.</summary>
    /// <exception cref="ArgumentException">The text contains a character XML 1.0 does not allow.</exception>
    public static void WriteText(IBufferWriter<byte> output, ReadOnlySpan<char> text) => WriteEscaped(output, text, TextSpecials);

    /// <summary>Writes an attribute value for single or double quotes, escaping markup and quote characters.</summary>
    /// <exception cref="ArgumentException">The value contains a character XML 1.0 does not allow.</exception>
    public static void WriteAttributeValue(IBufferWriter<byte> output, ReadOnlySpan<char> value) =>
        WriteEscaped(output, value, AttributeSpecials);

    /// <summary>Writes <c> name='value'</c>.</summary>
    public static void WriteAttribute(IBufferWriter<byte> output, ReadOnlySpan<byte> qualifiedName, ReadOnlySpan<char> value)
    {
        WriteByte(output, (byte)' ');
        WriteRaw(output, qualifiedName);
        WriteRaw(output, "='"u8);
        WriteAttributeValue(output, value);
        WriteByte(output, (byte)'\'');
    }

    private static void WriteEscaped(IBufferWriter<byte> output, ReadOnlySpan<char> text, SearchValues<char> specials)
    {
        while (!text.IsEmpty)
        {
            int special = text.IndexOfAny(specials);
            if (special < 0)
            {
                WriteUtf8(output, text);
                return;
            }

            WriteUtf8(output, text[..special]);
            WriteRaw(output, EscapeOf(text[special]));
            text = text[(special + 1)..];
        }
    }

    private static ReadOnlySpan<byte> EscapeOf(char c) => c switch
    {
        '&' => "&amp;"u8,
        '<' => "&lt;"u8,
        '>' => "&gt;"u8,
        '"' => "&quot;"u8,
        '\'' => "&apos;"u8,
        '\t' => "&#x9;"u8,
        '\n' => "&#xA;"u8,
        '\r' => "&#xD;"u8,
        _ => throw new ArgumentException(string.Create(
            CultureInfo.InvariantCulture, $"The character U+{(int)c:X4} is not allowed in XML 1.0.")),
    };
}
