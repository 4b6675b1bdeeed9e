using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement.Srp;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using XmppDotNet.Xtls.Tls.Srp;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// BouncyCastle's SRP-6a server with a 256-bit private value b (<see cref="SrpPrivateValue"/>). In RFC 5054's
/// 2048-bit group g^b of B = kv + g^b and S = (A·v^u)^b come from <see cref="SrpGroupArithmetic"/>; the steps, the
/// check of A (A mod N ≠ 0) and u are BouncyCastle's.
/// </summary>
internal sealed class ShortExponentSrp6Server : Srp6Server, TlsSrp6Server
{
    /// <summary>The bit length of the private value b drawn for this handshake; 0 before it is drawn.</summary>
    internal int PrivateValueBitLength => privB?.BitLength ?? 0;

    /// <summary>Draws b and returns B = kv + g^b mod N.</summary>
    public override BigInteger GenerateServerCredentials()
    {
        SrpGroupArithmetic? arithmetic = SrpGroupArithmetic.For(N, g);
        if (arithmetic is null)
        {
            return base.GenerateServerCredentials();
        }

        BigInteger k = Srp6Utilities.CalculateK(digest, N, g);
        privB = SelectPrivateValue();
        pubB = k.Multiply(v).Mod(N).Add(arithmetic.PowG(privB)).Mod(N);
        return pubB;
    }

    /// <summary>Computes S; an unacceptable A is the peer's illegal_parameter, as in BouncyCastle's own server.</summary>
    public override BigInteger CalculateSecret(BigInteger clientA)
    {
        try
        {
            SrpGroupArithmetic? arithmetic = SrpGroupArithmetic.For(N, g);
            if (arithmetic is null)
            {
                return base.CalculateSecret(clientA);
            }

            A = Srp6Utilities.ValidatePublicValue(N, clientA);
            u = Srp6Utilities.CalculateU(digest, N, A, pubB);
            BigInteger vu = arithmetic.Pow(v, u, digest.GetDigestSize() * 8);
            S = arithmetic.Pow(vu.Multiply(A).Mod(N), privB, SrpPrivateValue.Bits);
            return S;
        }
        catch (CryptoException e)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, e);
        }
    }

    protected override BigInteger SelectPrivateValue() => SrpPrivateValue.Draw(random);
}
