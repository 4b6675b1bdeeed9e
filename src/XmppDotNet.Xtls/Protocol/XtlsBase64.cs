using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace XmppDotNet.Xtls.Protocol;

/// <summary>
/// The Base64 codec of <c>data</c> chunks: standard alphabet with padding (RFC 4648 section 4).
/// </summary>
/// <remarks>
/// Decoding accepts XML whitespace (space, tab, CR, LF) anywhere, since peers may pretty-print or wrap
/// lines, and rejects everything else: characters outside the alphabet, misplaced or excess padding,
/// non-zero bits under the padding, and a character count that is not a multiple of four. The length
/// bound is checked before anything is decoded, so an oversized chunk costs no allocation.
/// </remarks>
public static class XtlsBase64
{
    // Room for line breaks and indentation around the Base64 text; beyond this, the text is refused
    // by length alone.
    private const int WhitespaceAllowance = 1024;

    private static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    private static readonly SearchValues<byte> AlphabetBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8);

    /// <summary>The characters a chunk's text may hold: the alphabet, padding and XML whitespace other than CR.</summary>
    /// <remarks>A CR is accepted too, but XML turns it into LF, so text with one is handled as ordinary text.</remarks>
    public const string TextCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\n";

    /// <summary>The number of Base64 characters (with padding) that encode <paramref name="byteCount"/> bytes.</summary>
    /// <param name="byteCount">The number of raw bytes, at most 1 GiB.</param>
    public static int GetEncodedLength(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(byteCount, 1 << 30);
        return (byteCount + 2) / 3 * 4;
    }

    /// <summary>The longest text (whitespace included) that <see cref="Decode(ReadOnlySpan{char}, int)"/> examines for a bound.</summary>
    /// <param name="maxDecodedBytes">The bound on decoded bytes.</param>
    public static int GetMaxTextLength(int maxDecodedBytes)
    {
        int encoded = GetEncodedLength(maxDecodedBytes);
        return encoded + (encoded / 2) + WhitespaceAllowance;
    }

    /// <summary>Encodes bytes as Base64 text without line breaks.</summary>
    /// <param name="data">The bytes, at most 1 GiB.</param>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return string.Empty;
        }

        int length = GetEncodedLength(data.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            OperationStatus status = Base64.EncodeToUtf8(data, rented, out _, out int written);
            if (status != OperationStatus.Done || written != length)
            {
                throw new InvalidOperationException("Base64 encoding did not complete.");
            }

            return Encoding.ASCII.GetString(rented, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Encodes bytes as Base64 text (ASCII) into <paramref name="destination"/>, without line breaks.</summary>
    /// <param name="data">The bytes, at most 1 GiB.</param>
    /// <param name="destination">At least <see cref="GetEncodedLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public static int EncodeToUtf8(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int length = GetEncodedLength(data.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is too small for the Base64 text.", nameof(destination));
        }

        OperationStatus status = Base64.EncodeToUtf8(data, destination, out _, out int written);
        if (status != OperationStatus.Done || written != length)
        {
            throw new InvalidOperationException("Base64 encoding did not complete.");
        }

        return written;
    }

    /// <summary>Decodes Base64 text given as ASCII bytes, with the rules of <see cref="Decode(ReadOnlySpan{char}, int)"/>.</summary>
    /// <param name="text">The text of a <c>data</c> element as bytes (each byte one character).</param>
    /// <param name="maxDecodedBytes">The most bytes the text may decode to.</param>
    /// <returns>The decoded bytes (a new array, possibly empty).</returns>
    /// <exception cref="XtlsBase64Exception">The text is too long or is not valid Base64.</exception>
    public static byte[] Decode(ReadOnlySpan<byte> text, int maxDecodedBytes)
    {
        int maxEncoded = GetEncodedLength(maxDecodedBytes);
        if (text.Length > GetMaxTextLength(maxDecodedBytes))
        {
            throw TooLong(maxDecodedBytes);
        }

        // The usual chunk: one line of the alphabet with its padding, decoded by vectorised code.
        if (!text.IsEmpty && text.Length % 4 == 0 && text.Length <= maxEncoded)
        {
            int padding = text[^1] != (byte)'=' ? 0 : text[^2] != (byte)'=' ? 1 : 2;
            int decodedLength = (text.Length / 4 * 3) - padding;
            if (!text[..^padding].ContainsAnyExcept(AlphabetBytes) && decodedLength <= maxDecodedBytes)
            {
                byte[] result = new byte[decodedLength];
                if (Base64.DecodeFromUtf8(text, result, out _, out int written) == OperationStatus.Done && written == decodedLength)
                {
                    return result;
                }
            }
        }

        byte[] significant = ArrayPool<byte>.Shared.Rent(Math.Max(1, Math.Min(text.Length, maxEncoded)));
        try
        {
            int count = CollectSignificant(text, significant, maxEncoded, maxDecodedBytes, out int padding);
            return DecodeSignificant(significant, count, padding, maxDecodedBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(significant);
        }
    }

    /// <summary>Decodes Base64 text, allowing XML whitespace anywhere.</summary>
    /// <param name="text">The text of a <c>data</c> element.</param>
    /// <param name="maxDecodedBytes">The most bytes the text may decode to.</param>
    /// <returns>The decoded bytes (a new array, possibly empty).</returns>
    /// <exception cref="XtlsBase64Exception">The text is too long or is not valid Base64.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text, int maxDecodedBytes)
    {
        int maxEncoded = GetEncodedLength(maxDecodedBytes);
        if (text.Length > GetMaxTextLength(maxDecodedBytes))
        {
            throw TooLong(maxDecodedBytes);
        }

        if (TryDecodeCompact(text, maxEncoded, maxDecodedBytes) is { } compact)
        {
            return compact;
        }

        byte[] significant = ArrayPool<byte>.Shared.Rent(Math.Max(1, Math.Min(text.Length, maxEncoded)));
        try
        {
            int count = CollectSignificant(text, significant, maxEncoded, maxDecodedBytes, out int padding);
            return DecodeSignificant(significant, count, padding, maxDecodedBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(significant);
        }
    }

    // Checks the count of significant characters and decodes them (the alphabet and padding layout are checked).
    private static byte[] DecodeSignificant(byte[] significant, int count, int padding, int maxDecodedBytes)
    {
        if (count % 4 != 0)
        {
            throw new XtlsBase64Exception(
                Base64Error.InvalidLength,
                -1,
                string.Create(CultureInfo.InvariantCulture, $"The Base64 text has {count} characters, not a multiple of four."));
        }

        int decodedLength = (count / 4 * 3) - padding;
        if (decodedLength > maxDecodedBytes)
        {
            throw TooLong(maxDecodedBytes);
        }

        byte[] result = new byte[decodedLength];
        OperationStatus status = Base64.DecodeFromUtf8(significant.AsSpan(0, count), result, out _, out int written);
        if (status != OperationStatus.Done || written != decodedLength)
        {
            // The alphabet and padding layout were checked above; what remains is non-zero pad bits.
            throw new XtlsBase64Exception(Base64Error.InvalidPadding, -1, "The Base64 text has non-zero bits under its padding.");
        }

        return result;
    }

    // The usual chunk is one line without whitespace: check it and decode it with vectorised code. Anything
    // else (whitespace, an error of any kind) returns null and goes the character-by-character way, which
    // reports errors precisely.
    private static byte[]? TryDecodeCompact(ReadOnlySpan<char> text, int maxEncoded, int maxDecodedBytes)
    {
        if (text.IsEmpty || text.Length % 4 != 0 || text.Length > maxEncoded)
        {
            return null;
        }

        int padding = text[^1] != '=' ? 0 : text[^2] != '=' ? 1 : 2;
        ReadOnlySpan<char> digits = text[..^padding];
        int decodedLength = (text.Length / 4 * 3) - padding;
        if (digits.ContainsAnyExcept(Alphabet) || decodedLength > maxDecodedBytes)
        {
            return null;
        }

        // Only alphabet characters and padding are left, so narrowing to ASCII loses nothing; the UTF-8
        // decoder is vectorised and refuses non-zero bits under the padding, as this codec does.
        byte[] ascii = ArrayPool<byte>.Shared.Rent(text.Length);
        try
        {
            if (Ascii.FromUtf16(text, ascii, out int narrowed) != OperationStatus.Done || narrowed != text.Length)
            {
                return null;
            }

            byte[] result = new byte[decodedLength];
            OperationStatus status = Base64.DecodeFromUtf8(ascii.AsSpan(0, text.Length), result, out _, out int written);
            return status == OperationStatus.Done && written == decodedLength ? result : null;
        }
        finally
        {
            // Base64 of ciphertext: nothing secret for the pool's next user.
            ArrayPool<byte>.Shared.Return(ascii);
        }
    }

    // Copies the Base64 characters (as ASCII bytes) into the buffer, skipping whitespace and checking
    // the alphabet and where padding may appear. With at most two '=' and only at the end, a count
    // that is a multiple of four leaves padding exactly where a quartet can hold it.
    private static int CollectSignificant<T>(ReadOnlySpan<T> text, byte[] buffer, int maxEncoded, int maxDecodedBytes, out int padding)
        where T : unmanaged, IBinaryInteger<T>
    {
        int count = 0;
        padding = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = (char)ushort.CreateTruncating(text[i]);
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                continue;
            }

            if (c == '=')
            {
                padding++;
                if (padding > 2)
                {
                    throw new XtlsBase64Exception(Base64Error.InvalidPadding, i, "The Base64 text has more than two padding characters.");
                }
            }
            else if (IsAlphabet(c))
            {
                if (padding > 0)
                {
                    throw new XtlsBase64Exception(Base64Error.InvalidPadding, i, "The Base64 text continues after its padding.");
                }
            }
            else
            {
                throw new XtlsBase64Exception(
                    Base64Error.InvalidCharacter,
                    i,
                    string.Create(CultureInfo.InvariantCulture, $"The Base64 text has the character U+{(int)c:X4} at {i}."));
            }

            if (count == maxEncoded)
            {
                throw TooLong(maxDecodedBytes);
            }

            buffer[count++] = (byte)c;
        }

        return count;
    }

    private static bool IsAlphabet(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/';

    private static XtlsBase64Exception TooLong(int maxDecodedBytes) =>
        new(Base64Error.TooLong, -1, string.Create(CultureInfo.InvariantCulture, $"The Base64 text decodes to more than {maxDecodedBytes} bytes."));
}
