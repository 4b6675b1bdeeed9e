using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls.Crypto;

namespace XmppDotNet.Xtls.Tls.Srp;

/// <summary>
/// The exponentiations of SRP in RFC 5054's 2048-bit group, the only group the engine uses: powers of g through a
/// comb table built once per process on first use (64 KiB), other powers through <see cref="MontgomeryModulus"/>.
/// Other groups get <c>null</c> from <see cref="For"/> and stay with BouncyCastle's arithmetic.
/// </summary>
internal sealed class SrpGroupArithmetic
{
    /// <summary>The comb serves exponents up to this length: the private values a and b (x is shorter).</summary>
    public const int CombExponentBits = SrpPrivateValue.Bits;

    // 8 rows: 256 entries of 256 bytes, 32 squarings and 32 products per power of g.
    private const int CombRows = 8;

    private static readonly Srp6Group Group = Srp6StandardGroups.rfc5054_2048;

    private static readonly Lazy<SrpGroupArithmetic> Rfc5054Group2048 =
        new(() => new SrpGroupArithmetic(Group.N, Group.G), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FixedBaseComb _comb;

    // Exponents beyond the comb (none in the handshake) take as long as one of the modulus' length, whatever their own.
    private readonly int _beyondCombBits;

    private SrpGroupArithmetic(BigInteger n, BigInteger g)
    {
        Modulus = new MontgomeryModulus(n);
        _beyondCombBits = n.BitLength;
        _comb = new FixedBaseComb(Modulus, g, CombExponentBits, CombRows);
    }

    /// <summary>The arithmetic modulo N.</summary>
    public MontgomeryModulus Modulus { get; }

    /// <summary>The arithmetic for the group (N, g), or <c>null</c> when it is not RFC 5054's 2048-bit group.</summary>
    public static SrpGroupArithmetic? For(BigInteger n, BigInteger g) =>
        Group.N.Equals(n) && Group.G.Equals(g) ? Rfc5054Group2048.Value : null;

    /// <summary>
    /// g^<paramref name="exponent"/> mod N for 0 ≤ exponent; exponents longer than the comb's go the windowed way, with
    /// the modulus' length as the public bound, so that their own length does not show in the time taken.
    /// </summary>
    public BigInteger PowG(BigInteger exponent) =>
        exponent.BitLength <= _comb.MaxExponentBits
            ? _comb.Pow(exponent)
            : Modulus.ModPow(_comb.Generator, exponent, Math.Max(exponent.BitLength, _beyondCombBits));

    /// <summary><paramref name="value"/>^<paramref name="exponent"/> mod N, the exponent below 2^<paramref name="exponentBits"/>.</summary>
    public BigInteger Pow(BigInteger value, BigInteger exponent, int exponentBits) =>
        Modulus.ModPow(value, exponent, exponentBits);
}
