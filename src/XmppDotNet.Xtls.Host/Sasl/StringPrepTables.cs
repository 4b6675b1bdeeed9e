namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>Lookups in the RFC 3454 tables that SASLprep (RFC 4013) needs.</summary>
internal static partial class StringPrepTables
{
    /// <summary>Whether a code point is in a table of inclusive ranges (two ints per range, sorted).</summary>
    internal static bool Contains(ReadOnlySpan<int> ranges, int codePoint)
    {
        int low = 0;
        int high = (ranges.Length / 2) - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (codePoint < ranges[2 * middle])
            {
                high = middle - 1;
            }
            else if (codePoint > ranges[(2 * middle) + 1])
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
