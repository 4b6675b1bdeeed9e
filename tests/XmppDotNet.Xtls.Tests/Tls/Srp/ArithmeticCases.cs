using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls.Crypto;

namespace XmppDotNet.Xtls.Tests.Tls.Srp;

/// <summary>Moduli, bases and exponents that the SRP arithmetic is checked on against BouncyCastle's ModPow.</summary>
internal static class ArithmeticCases
{
    /// <summary>Odd moduli: the SRP groups, one limb, limb-boundary and all-ones shapes, the smallest.</summary>
    public static IEnumerable<TestCaseData> Moduli()
    {
        yield return Named("rfc5054-2048", Srp6StandardGroups.rfc5054_2048.N);
        yield return Named("rfc5054-1024", Srp6StandardGroups.rfc5054_1024.N);
        yield return Named("rfc5054-4096", Srp6StandardGroups.rfc5054_4096.N);
        yield return Named("3", BigInteger.Three);
        yield return Named("2^63-1", BigInteger.ValueOf(0x7FFF_FFFF_FFFF_FFFF));
        yield return Named("2^64+1", BigInteger.One.ShiftLeft(64).Add(BigInteger.One));
        yield return Named("2^192-1", BigInteger.One.ShiftLeft(192).Subtract(BigInteger.One));
        yield return Named("2^255+95", BigInteger.One.ShiftLeft(255).Add(BigInteger.ValueOf(95)));
        yield return Named("random-700-bit", new BigInteger(700, new Random(7)).SetBit(699).SetBit(0));
    }

    /// <summary>0, 1, 2, all ones, only the top bit, the top bit and 1, and random values, all below 2^bits.</summary>
    public static IEnumerable<BigInteger> Exponents(int bits, Random random) =>
        Candidates(bits, random).Where(e => e.BitLength <= bits);

    private static IEnumerable<BigInteger> Candidates(int bits, Random random)
    {
        yield return BigInteger.Zero;
        yield return BigInteger.One;
        yield return BigInteger.Two;
        yield return BigInteger.One.ShiftLeft(bits).Subtract(BigInteger.One);
        yield return BigInteger.One.ShiftLeft(bits - 1);
        yield return BigInteger.One.ShiftLeft(bits - 1).Add(BigInteger.One);
        for (int i = 0; i < 6; i++)
        {
            yield return new BigInteger(random.Next(1, bits + 1), random);
        }
    }

    private static TestCaseData Named(string name, BigInteger modulus) => new TestCaseData(modulus).SetArgDisplayNames(name);

    /// <summary>0, 1, N - 1, N, N + 1, 2N + 3, a negative value, a random value far above N and random values below N.</summary>
    public static IEnumerable<BigInteger> Bases(BigInteger n, Random random)
    {
        yield return BigInteger.Zero;
        yield return BigInteger.One;
        yield return n.Subtract(BigInteger.One);
        yield return n;
        yield return n.Add(BigInteger.One);
        yield return n.ShiftLeft(1).Add(BigInteger.Three);
        yield return BigInteger.ValueOf(-12345);
        yield return new BigInteger(n.BitLength + 100, random);
        for (int i = 0; i < 3; i++)
        {
            yield return new BigInteger(n.BitLength, random).Mod(n);
        }
    }
}
