using System.Buffers;
using System.Text;

namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>SASLprep (RFC 4013): the stringprep (RFC 3454) profile for user names and passwords.</summary>
/// <remarks>
/// Steps, in order: map non-ASCII spaces (table C.1.2) to SPACE and "commonly mapped to nothing"
/// (table B.1) to nothing; normalise to NFKC; reject prohibited output (tables C.1.2 to C.9); apply
/// the bidirectional rules of RFC 3454 §6; for stored strings, reject code points unassigned in
/// Unicode 3.2 (table A.1). The tables are RFC 3454's (Unicode 3.2). NFKC is .NET's, on current
/// Unicode data: by Unicode's normalisation stability policy it agrees with Unicode 3.2 NFKC on every
/// string of code points assigned in 3.2, apart from the handful of mappings corrected by Corrigendum #4.
/// </remarks>
public static class SaslPrep
{
    /// <summary>Prepares a string with SASLprep.</summary>
    /// <param name="value">The user name or password.</param>
    /// <param name="allowUnassigned">
    /// <c>true</c> for a "query" (unassigned code points pass through), <c>false</c> for a "stored
    /// string" (they are rejected).
    /// </param>
    /// <returns>The prepared string (possibly empty: callers decide whether that is acceptable).</returns>
    /// <exception cref="SaslPrepException">The string is not acceptable to SASLprep.</exception>
    public static string Prepare(string value, bool allowUnassigned = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        string mapped = Map(value, allowUnassigned);

        string normalized;
        try
        {
            normalized = mapped.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException e)
        {
            throw new SaslPrepException("The string is not valid Unicode.", e);
        }

        CheckOutput(normalized);
        return normalized;
    }

    private static string Map(string value, bool allowUnassigned)
    {
        var mapped = new StringBuilder(value.Length);
        Span<char> buffer = stackalloc char[2];
        int index = 0;
        while (index < value.Length)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(index), out Rune rune, out int consumed) != OperationStatus.Done)
            {
                throw new SaslPrepException("The string contains an unpaired surrogate (RFC 3454 table C.5).");
            }

            index += consumed;
            int codePoint = rune.Value;

            // Checked on the input: current NFKC may map code points that Unicode 3.2 did not know.
            if (!allowUnassigned && StringPrepTables.Contains(StringPrepTables.Unassigned, codePoint))
            {
                throw new SaslPrepException("The string contains a code point unassigned in Unicode 3.2 (RFC 3454 table A.1).");
            }

            if (StringPrepTables.Contains(StringPrepTables.MappedToNothing, codePoint))
            {
                continue;
            }

            if (StringPrepTables.Contains(StringPrepTables.NonAsciiSpace, codePoint))
            {
                mapped.Append(' ');
                continue;
            }

            int written = rune.EncodeToUtf16(buffer);
            mapped.Append(buffer[..written]);
        }

        return mapped.ToString();
    }

    private static void CheckOutput(string normalized)
    {
        bool containsRandAL = false;
        bool containsL = false;
        bool firstIsRandAL = false;
        bool lastIsRandAL = false;
        bool first = true;
        foreach (Rune rune in normalized.EnumerateRunes())
        {
            int codePoint = rune.Value;
            if (StringPrepTables.Contains(StringPrepTables.Prohibited, codePoint))
            {
                throw new SaslPrepException("The string contains a character that SASLprep prohibits (RFC 4013 §2.3).");
            }

            bool isRandAL = StringPrepTables.Contains(StringPrepTables.RandALCat, codePoint);
            containsRandAL |= isRandAL;
            containsL |= StringPrepTables.Contains(StringPrepTables.LCat, codePoint);
            if (first)
            {
                firstIsRandAL = isRandAL;
                first = false;
            }

            lastIsRandAL = isRandAL;
        }

        if (containsRandAL && containsL)
        {
            throw new SaslPrepException("The string mixes right-to-left and left-to-right characters (RFC 3454 §6).");
        }

        if (containsRandAL && !(firstIsRandAL && lastIsRandAL))
        {
            throw new SaslPrepException("A right-to-left string must begin and end with a right-to-left character (RFC 3454 §6).");
        }
    }
}
