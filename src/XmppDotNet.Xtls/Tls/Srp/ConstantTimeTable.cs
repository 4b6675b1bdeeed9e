using System.Numerics;
using System.Runtime.InteropServices;

namespace XmppDotNet.Xtls.Tls.Srp;

/// <summary>
/// Reads one entry of a table of equally long entries by touching every entry, so that the cache does not tell
/// which one was wanted (the index comes from secret exponent bits).
/// </summary>
internal static class ConstantTimeTable
{
    /// <summary>Copies entry <paramref name="index"/> (of <paramref name="entryLength"/> limbs) of <paramref name="table"/> to <paramref name="destination"/>.</summary>
    public static void Select(ReadOnlySpan<ulong> table, int entryLength, int index, Span<ulong> destination)
    {
        int entries = table.Length / entryLength;
        Span<ulong> target = destination[..entryLength];
        target.Clear();
        if (Vector.IsHardwareAccelerated && entryLength % Vector<ulong>.Count == 0)
        {
            Span<Vector<ulong>> wide = MemoryMarshal.Cast<ulong, Vector<ulong>>(target);
            for (int k = 0; k < entries; k++)
            {
                var mask = new Vector<ulong>(Mask(k, index));
                ReadOnlySpan<Vector<ulong>> row = MemoryMarshal.Cast<ulong, Vector<ulong>>(table.Slice(k * entryLength, entryLength));
                for (int j = 0; j < wide.Length; j++)
                {
                    wide[j] |= row[j] & mask;
                }
            }

            return;
        }

        for (int k = 0; k < entries; k++)
        {
            ulong mask = Mask(k, index);
            ReadOnlySpan<ulong> row = table.Slice(k * entryLength, entryLength);
            for (int j = 0; j < entryLength; j++)
            {
                target[j] |= row[j] & mask;
            }
        }
    }

    // All ones when k == index, else zero; both are below 2^31, so k ^ index - 1 is negative exactly when they are equal.
    private static ulong Mask(int k, int index) => 0UL - ((ulong)((long)(k ^ index) - 1) >> 63);
}
