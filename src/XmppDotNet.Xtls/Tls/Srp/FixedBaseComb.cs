using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace XmppDotNet.Xtls.Tls.Srp;

/// <summary>
/// g^e mod N for one fixed g by Lim and Lee's comb: the exponent's <see cref="MaxExponentBits"/> bits are cut into
/// <see cref="Rows"/> rows of d bits, and the table holds the 2^rows products of g^(2^(i·d)). One power then costs d
/// squarings and d products (32 + 32 for 256 bits, against about 300 for a windowed exponentiation). The table is
/// read whole at each step (<see cref="ConstantTimeTable"/>).
/// </summary>
internal sealed class FixedBaseComb
{
    private readonly MontgomeryModulus _modulus;
    private readonly ulong[] _table;
    private readonly int _columns;

    /// <summary>Builds the table for <paramref name="generator"/>: (rows - 1) · d squarings and about 2^rows products.</summary>
    public FixedBaseComb(MontgomeryModulus modulus, BigInteger generator, int maxExponentBits, int rows)
    {
        ArgumentNullException.ThrowIfNull(modulus);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExponentBits, rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxExponentBits, MontgomeryModulus.MaxBits);

        _modulus = modulus;
        Generator = generator;
        Rows = rows;
        _columns = (maxExponentBits + rows - 1) / rows;
        MaxExponentBits = _columns * rows;

        int s = modulus.Length;
        _table = new ulong[(1 << rows) * s];
        modulus.One(Entry(0));
        modulus.ToMontgomery(generator, Entry(1));
        for (int i = 1; i < rows; i++)
        {
            // Entry 2^i = g^(2^(i·d)): d squarings of entry 2^(i-1).
            Span<ulong> next = Entry(1 << i);
            Entry(1 << (i - 1)).CopyTo(next);
            for (int q = 0; q < _columns; q++)
            {
                modulus.Multiply(next, next, next);
            }
        }

        for (int k = 3; k < 1 << rows; k++)
        {
            int lowest = k & -k;
            if (lowest != k)
            {
                modulus.Multiply(Entry(k - lowest), Entry(lowest), Entry(k));
            }
        }
    }

    /// <summary>g.</summary>
    public BigInteger Generator { get; }

    /// <summary>The number of rows (the table has 2^rows entries).</summary>
    public int Rows { get; }

    /// <summary>The longest exponent the table serves: rows · d.</summary>
    public int MaxExponentBits { get; }

    /// <summary>The table's size in bytes.</summary>
    public int TableBytes => _table.Length * sizeof(ulong);

    /// <summary>
    /// g^<paramref name="exponent"/> mod N, for 0 ≤ exponent &lt; 2^<see cref="MaxExponentBits"/>; the work is the same
    /// for every such exponent.
    /// </summary>
    public BigInteger Pow(BigInteger exponent)
    {
        MontgomeryModulus.CheckExponent(exponent, MaxExponentBits);
        int s = _modulus.Length;
        Span<ulong> acc = stackalloc ulong[s];
        Span<ulong> factor = stackalloc ulong[s];
        Span<ulong> e = stackalloc ulong[MontgomeryModulus.LimbsFor(MaxExponentBits)];
        try
        {
            MontgomeryModulus.ToLimbs(exponent, e);
            for (int column = _columns - 1; column >= 0; column--)
            {
                int index = 0;
                for (int row = 0; row < Rows; row++)
                {
                    index |= MontgomeryModulus.Bit(e, (row * _columns) + column) << row;
                }

                ConstantTimeTable.Select(_table, s, index, factor);
                if (column == _columns - 1)
                {
                    factor.CopyTo(acc);
                }
                else
                {
                    _modulus.Multiply(acc, acc, acc);
                    _modulus.Multiply(acc, factor, acc);
                }
            }

            return _modulus.FromMontgomery(acc);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(acc));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(factor));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(e));
        }
    }

    private Span<ulong> Entry(int k) => _table.AsSpan(k * _modulus.Length, _modulus.Length);
}
