using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement.Srp;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// BouncyCastle's SRP-6a server with a 256-bit private value b (<see cref="SrpPrivateValue"/>). Everything else,
/// B = kv + g^b, the check of A (A mod N ≠ 0), u and S, stays BouncyCastle's.
/// </summary>
internal sealed class ShortExponentSrp6Server : Srp6Server, TlsSrp6Server
{
    /// <summary>The bit length of the private value b drawn for this handshake; 0 before it is drawn.</summary>
    internal int PrivateValueBitLength => privB?.BitLength ?? 0;

    /// <summary>Computes S; an unacceptable A is the peer's illegal_parameter, as in BouncyCastle's own server.</summary>
    public override BigInteger CalculateSecret(BigInteger clientA)
    {
        try
        {
            return base.CalculateSecret(clientA);
        }
        catch (CryptoException e)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, e);
        }
    }

    protected override BigInteger SelectPrivateValue() => SrpPrivateValue.Draw(random);
}
