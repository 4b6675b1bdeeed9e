using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement.Srp;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// BouncyCastle's SRP-6a client with a 256-bit private value a (<see cref="SrpPrivateValue"/>). Everything else,
/// the check of B (B mod N ≠ 0), u, S and the evidence messages, stays BouncyCastle's.
/// </summary>
internal sealed class ShortExponentSrp6Client : Srp6Client, TlsSrp6Client
{
    /// <summary>The bit length of the private value a drawn for this handshake; 0 before it is drawn.</summary>
    internal int PrivateValueBitLength => privA?.BitLength ?? 0;

    /// <summary>Computes S; an unacceptable B is the peer's illegal_parameter, as in BouncyCastle's own client.</summary>
    public override BigInteger CalculateSecret(BigInteger serverB)
    {
        try
        {
            return base.CalculateSecret(serverB);
        }
        catch (CryptoException e)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, e);
        }
    }

    protected override BigInteger SelectPrivateValue() => SrpPrivateValue.Draw(random);
}
