using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls.Crypto;
using XmppDotNet.Xtls.Tls.Srp;
using NumericsInteger = System.Numerics.BigInteger;

namespace XmppDotNet.Xtls.Benchmarks.Micro;

/// <summary>
/// The exponentiations of an SRP handshake in RFC 5054's 2048-bit group: BouncyCastle's ModPow (32-bit limbs,
/// sliding window) with the fixed base g and with a variable base, System.Numerics' ModPow, and the engine's own
/// (64-bit Montgomery limbs, fixed window, whole-table reads; the comb for powers of g). Exponents of 160 bits
/// (x, u), 256 (a, b) and 320 (a + u·x).
/// </summary>
[MemoryDiagnoser]
public class SrpArithmeticBenchmarks
{
    private static readonly Srp6Group Group = Srp6StandardGroups.rfc5054_2048;

    private SrpGroupArithmetic _arithmetic = null!;
    private BigInteger _base = null!;
    private BigInteger _exponent = null!;
    private NumericsInteger _numericsBase;
    private NumericsInteger _numericsExponent;
    private NumericsInteger _numericsModulus;
    private ulong[] _a = null!;
    private ulong[] _b = null!;
    private ulong[] _product = null!;
    private ulong[] _table = null!;

    [Params(160, 256, 320)]
    public int ExponentBits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2048);
        _arithmetic = SrpGroupArithmetic.For(Group.N, Group.G)!;
        _base = new BigInteger(2048, random).Mod(Group.N);
        _exponent = new BigInteger(ExponentBits, random).SetBit(ExponentBits - 1);
        _numericsModulus = new NumericsInteger(Group.N.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
        _numericsBase = new NumericsInteger(_base.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
        _numericsExponent = new NumericsInteger(_exponent.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
        int limbs = _arithmetic.Modulus.Length;
        _a = new ulong[limbs];
        _b = new ulong[limbs];
        _product = new ulong[limbs];
        _arithmetic.Modulus.ToMontgomery(_base, _a);
        _arithmetic.Modulus.ToMontgomery(_exponent, _b);
        _table = new ulong[256 * limbs];
    }

    [Benchmark(Baseline = true)]
    public BigInteger BouncyCastleVariableBase() => _base.ModPow(_exponent, Group.N);

    [Benchmark]
    public BigInteger BouncyCastleFixedBaseG() => Group.G.ModPow(_exponent, Group.N);

    [Benchmark]
    public NumericsInteger NumericsVariableBase() => NumericsInteger.ModPow(_numericsBase, _numericsExponent, _numericsModulus);

    [Benchmark]
    public BigInteger MontgomeryVariableBase() => _arithmetic.Pow(_base, _exponent, ExponentBits);

    [Benchmark]
    public BigInteger CombFixedBaseG() => _arithmetic.PowG(_exponent);

    /// <summary>One 2048-bit Montgomery product (a squaring or a multiplication of the loops above).</summary>
    [Benchmark]
    public ulong MontgomeryProduct()
    {
        _arithmetic.Modulus.Multiply(_a, _b, _product);
        return _product[0];
    }

    /// <summary>The whole-table read of one comb step (256 entries of 2048 bits): the price of not leaking the index.</summary>
    [Benchmark]
    public ulong CombTableRead()
    {
        ConstantTimeTable.Select(_table, _arithmetic.Modulus.Length, ExponentBits & 0xFF, _product);
        return _product[0];
    }
}
