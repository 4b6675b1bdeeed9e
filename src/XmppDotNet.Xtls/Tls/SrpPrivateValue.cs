using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// The SRP private values a and b: <see cref="Bits"/> bits long, as RFC 5054 §2.5.4 and §2.5.3 ask ("at least 256
/// bits"), uniformly random below the top bit, which is set (255 random bits). BouncyCastle would draw them as long
/// as the 2048-bit modulus, which makes every SRP exponentiation about eight times slower and buys nothing: the
/// discrete logarithm of g^a with such an a costs about 2^127.5 operations (Pollard's lambda), about the strength of
/// the group itself.
/// </summary>
internal static class SrpPrivateValue
{
    /// <summary>The length of a and b in bits.</summary>
    public const int Bits = 256;

    private static readonly BigInteger Min = BigInteger.One.ShiftLeft(Bits - 1);
    private static readonly BigInteger Max = BigInteger.One.ShiftLeft(Bits).Subtract(BigInteger.One);

    /// <summary>Draws a value in [2^255, 2^256 - 1] from <paramref name="random"/>.</summary>
    public static BigInteger Draw(SecureRandom random) => BigIntegers.CreateRandomInRange(Min, Max, random);
}
