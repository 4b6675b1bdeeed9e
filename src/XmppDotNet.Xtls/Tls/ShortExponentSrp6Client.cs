using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement.Srp;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using XmppDotNet.Xtls.Tls.Srp;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// BouncyCastle's SRP-6a client with a 256-bit private value a (<see cref="SrpPrivateValue"/>). In RFC 5054's
/// 2048-bit group A = g^a, g^x and S = (B - k·g^x)^(a + u·x) come from <see cref="SrpGroupArithmetic"/>; the steps,
/// the check of B (B mod N ≠ 0), u and the evidence messages are BouncyCastle's.
/// </summary>
internal sealed class ShortExponentSrp6Client : Srp6Client, TlsSrp6Client
{
    /// <summary>The bit length of the private value a drawn for this handshake; 0 before it is drawn.</summary>
    internal int PrivateValueBitLength => privA?.BitLength ?? 0;

    /// <summary>Computes x, draws a and returns A = g^a.</summary>
    public override BigInteger GenerateClientCredentials(byte[] salt, byte[] identity, byte[] password)
    {
        SrpGroupArithmetic? arithmetic = SrpGroupArithmetic.For(N, g);
        if (arithmetic is null)
        {
            return base.GenerateClientCredentials(salt, identity, password);
        }

        x = Srp6Utilities.CalculateX(digest, N, salt, identity, password);
        privA = SelectPrivateValue();
        pubA = arithmetic.PowG(privA);
        return pubA;
    }

    /// <summary>Computes S; an unacceptable B is the peer's illegal_parameter, as in BouncyCastle's own client.</summary>
    public override BigInteger CalculateSecret(BigInteger serverB)
    {
        try
        {
            SrpGroupArithmetic? arithmetic = SrpGroupArithmetic.For(N, g);
            if (arithmetic is null)
            {
                return base.CalculateSecret(serverB);
            }

            B = Srp6Utilities.ValidatePublicValue(N, serverB);
            u = Srp6Utilities.CalculateU(digest, N, pubA, B);
            BigInteger k = Srp6Utilities.CalculateK(digest, N, g);
            BigInteger kgx = arithmetic.PowG(x).Multiply(k).Mod(N);
            BigInteger exponent = u.Multiply(x).Add(privA);

            // a < 2^256 and u, x < 2^(hash bits): the bound is public, the exponent's own length is not used.
            int hashBits = digest.GetDigestSize() * 8;
            S = arithmetic.Pow(B.Subtract(kgx).Mod(N), exponent, Math.Max(SrpPrivateValue.Bits, 2 * hashBits) + 1);
            return S;
        }
        catch (CryptoException e)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, e);
        }
    }

    protected override BigInteger SelectPrivateValue() => SrpPrivateValue.Draw(random);
}
