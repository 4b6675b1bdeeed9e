using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Utilities;

namespace XmppDotNet.Xtls.Tls.Srp;

/// <summary>
/// Arithmetic modulo one odd modulus N in Montgomery form with 64-bit limbs (little-endian spans of
/// <see cref="Length"/> limbs, every value below N). BouncyCastle's <see cref="BigInteger.ModPow"/> works on 32-bit
/// limbs; a product here needs a quarter of the word multiplications, and <see cref="ModPow"/> uses a fixed window
/// whose table is read whole, so neither the time nor the memory access pattern depends on the exponent's bits.
/// </summary>
internal sealed class MontgomeryModulus
{
    /// <summary>The largest modulus accepted, so that the stack buffers stay small.</summary>
    public const int MaxBits = 4096;

    private const int WindowBits = 4;

    private readonly ulong[] _n;
    private readonly ulong[] _one;
    private readonly ulong[] _rSquared;

    // -N^-1 mod 2^64: the factor that makes the lowest limb vanish in each reduction step.
    private readonly ulong _n0Inverse;

    /// <summary>Prepares arithmetic modulo <paramref name="modulus"/>, an odd number of at least 3 and at most <see cref="MaxBits"/> bits.</summary>
    public MontgomeryModulus(BigInteger modulus)
    {
        ArgumentNullException.ThrowIfNull(modulus);
        if (modulus.SignValue <= 0 || !modulus.TestBit(0) || modulus.BitLength < 2 || modulus.BitLength > MaxBits)
        {
            throw new ArgumentOutOfRangeException(nameof(modulus), "The modulus must be odd, at least 3 and at most 4096 bits long.");
        }

        Modulus = modulus;
        Length = (modulus.BitLength + 63) / 64;
        _n = new ulong[Length];
        ToLimbs(modulus, _n);
        _n0Inverse = NegativeInverse(_n[0]);

        BigInteger r = BigInteger.One.ShiftLeft(64 * Length);
        _one = new ulong[Length];
        ToLimbs(r.Mod(modulus), _one);
        _rSquared = new ulong[Length];
        ToLimbs(r.Multiply(r).Mod(modulus), _rSquared);
    }

    /// <summary>N.</summary>
    public BigInteger Modulus { get; }

    /// <summary>The number of 64-bit limbs of every value.</summary>
    public int Length { get; }

    /// <summary>Writes 1 in Montgomery form (R mod N).</summary>
    public void One(Span<ulong> result) => _one.CopyTo(result);

    /// <summary>Writes <paramref name="value"/> mod N (any sign, any size) in Montgomery form.</summary>
    public void ToMontgomery(BigInteger value, Span<ulong> result)
    {
        Span<ulong> plain = stackalloc ulong[Length];
        ToLimbs(value.Mod(Modulus), plain);
        Multiply(plain, _rSquared, result);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(plain));
    }

    /// <summary>The ordinary value of <paramref name="value"/>, which is in Montgomery form.</summary>
    public BigInteger FromMontgomery(ReadOnlySpan<ulong> value)
    {
        Span<ulong> unit = stackalloc ulong[Length];
        unit.Clear();
        unit[0] = 1;
        Span<ulong> plain = stackalloc ulong[Length];
        Multiply(value, unit, plain);
        BigInteger result = FromLimbs(plain);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(plain));
        return result;
    }

    /// <summary>
    /// <paramref name="a"/> · <paramref name="b"/> · R^-1 mod N (CIOS); <paramref name="result"/> may be either input.
    /// The final subtraction of N is a masked select, not a branch.
    /// </summary>
    public void Multiply(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result)
    {
        int s = Length;
        if (a.Length < s || b.Length < s || result.Length < s)
        {
            throw new ArgumentException("Every operand needs as many limbs as the modulus.");
        }

        Span<ulong> t = stackalloc ulong[s + 2];
        t.Clear();
        ref ulong ra = ref MemoryMarshal.GetReference(a);
        ref ulong rn = ref MemoryMarshal.GetArrayDataReference(_n);
        ref ulong rt = ref MemoryMarshal.GetReference(t);
        for (int i = 0; i < s; i++)
        {
            // t += a · b[i]
            ulong bi = b[i];
            ulong carry = 0;
            for (int j = 0; j < s; j++)
            {
                ref ulong tj = ref Unsafe.Add(ref rt, j);
                carry = MultiplyAdd(Unsafe.Add(ref ra, j), bi, tj, carry, out tj);
            }

            ulong top = t[s] + carry;
            t[s + 1] = top < carry ? 1UL : 0UL;
            t[s] = top;

            // t = (t + m · N) / 2^64, with m chosen so that the lowest limb becomes zero.
            ulong m = t[0] * _n0Inverse;
            carry = MultiplyAdd(m, rn, t[0], 0, out _);
            for (int j = 1; j < s; j++)
            {
                carry = MultiplyAdd(m, Unsafe.Add(ref rn, j), Unsafe.Add(ref rt, j), carry, out Unsafe.Add(ref rt, j - 1));
            }

            top = t[s] + carry;
            t[s - 1] = top;
            t[s] = t[s + 1] + (top < carry ? 1UL : 0UL);
        }

        // t < 2N. Subtract N, and keep t instead when that borrows past t's top limb (t < N).
        ulong borrow = 0;
        for (int j = 0; j < s; j++)
        {
            ulong x = t[j];
            ulong y = _n[j];
            ulong d = x - y - borrow;
            borrow = ((~x & y) | (~(x ^ y) & d)) >> 63;
            result[j] = d;
        }

        ulong keep = 0UL - (borrow & (t[s] ^ 1UL));
        for (int j = 0; j < s; j++)
        {
            result[j] = (t[j] & keep) | (result[j] & ~keep);
        }

        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(t));
    }

    /// <summary>
    /// <paramref name="value"/>^<paramref name="exponent"/> mod N. The work depends only on
    /// <paramref name="exponentBits"/>, a public bound on the exponent's length, not on the exponent itself.
    /// </summary>
    public BigInteger ModPow(BigInteger value, BigInteger exponent, int exponentBits)
    {
        CheckExponent(exponent, exponentBits);
        int s = Length;
        int entries = 1 << WindowBits;
        ulong[] table = new ulong[entries * s];
        Span<ulong> acc = stackalloc ulong[s];
        Span<ulong> factor = stackalloc ulong[s];
        Span<ulong> e = stackalloc ulong[LimbsFor(exponentBits)];
        try
        {
            One(table.AsSpan(0, s));
            ToMontgomery(value, table.AsSpan(s, s));
            for (int k = 2; k < entries; k++)
            {
                Multiply(table.AsSpan((k - 1) * s, s), table.AsSpan(s, s), table.AsSpan(k * s, s));
            }

            ToLimbs(exponent, e);
            int windows = (exponentBits + WindowBits - 1) / WindowBits;
            One(acc);
            for (int w = windows - 1; w >= 0; w--)
            {
                if (w != windows - 1)
                {
                    for (int q = 0; q < WindowBits; q++)
                    {
                        Multiply(acc, acc, acc);
                    }
                }

                int index = 0;
                for (int q = 0; q < WindowBits; q++)
                {
                    index |= Bit(e, (w * WindowBits) + q) << q;
                }

                ConstantTimeTable.Select(table, s, index, factor);
                Multiply(acc, factor, acc);
            }

            return FromMontgomery(acc);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(table.AsSpan()));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(acc));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(factor));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(e));
        }
    }

    /// <summary>Throws unless 0 ≤ <paramref name="exponent"/> &lt; 2^<paramref name="exponentBits"/>.</summary>
    internal static void CheckExponent(BigInteger exponent, int exponentBits)
    {
        ArgumentNullException.ThrowIfNull(exponent);
        ArgumentOutOfRangeException.ThrowIfLessThan(exponentBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(exponentBits, MaxBits);
        if (exponent.SignValue < 0 || exponent.BitLength > exponentBits)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), "The exponent is negative or longer than its bound.");
        }
    }

    /// <summary>Limbs needed for <paramref name="bits"/> bits.</summary>
    internal static int LimbsFor(int bits) => (bits + 63) / 64;

    /// <summary>Bit <paramref name="position"/> of the little-endian limbs, as 0 or 1, without a branch.</summary>
    internal static int Bit(ReadOnlySpan<ulong> limbs, int position) => (int)((limbs[position >> 6] >> (position & 63)) & 1UL);

    /// <summary>Writes the non-negative <paramref name="value"/>, which must fit, into <paramref name="limbs"/>.</summary>
    internal static void ToLimbs(BigInteger value, Span<ulong> limbs)
    {
        Span<byte> bytes = stackalloc byte[limbs.Length * 8];
        BigIntegers.AsUnsignedByteArray(value, bytes);
        for (int i = 0; i < limbs.Length; i++)
        {
            limbs[i] = BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(bytes.Length - (8 * (i + 1)), 8));
        }

        CryptographicOperations.ZeroMemory(bytes);
    }

    /// <summary>The non-negative integer of <paramref name="limbs"/>.</summary>
    internal static BigInteger FromLimbs(ReadOnlySpan<ulong> limbs)
    {
        Span<byte> bytes = stackalloc byte[limbs.Length * 8];
        for (int i = 0; i < limbs.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes.Slice(bytes.Length - (8 * (i + 1)), 8), limbs[i]);
        }

        var value = new BigInteger(1, bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return value;
    }

    // hi:lo = x · y + addend + carry, which cannot overflow 128 bits; returns hi.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyAdd(ulong x, ulong y, ulong addend, ulong carry, out ulong lo)
    {
        ulong hi = Math.BigMul(x, y, out ulong low);
        low += addend;
        hi += low < addend ? 1UL : 0UL;
        low += carry;
        hi += low < carry ? 1UL : 0UL;
        lo = low;
        return hi;
    }

    // Newton's iteration doubles the correct low bits: 3 (any odd n is its own inverse mod 8), 6, 12, 24, 48, 96.
    private static ulong NegativeInverse(ulong n0)
    {
        ulong inverse = n0;
        for (int i = 0; i < 5; i++)
        {
            inverse *= 2 - (n0 * inverse);
        }

        return 0UL - inverse;
    }
}
