using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement.Srp;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls.Crypto;

namespace XmppDotNet.Xtls.Tls.Srp;

/// <summary>
/// The SRP verifier v = g^x, x = H(salt | H(user ":" password)) as in BouncyCastle's generator, with g^x from the
/// group's comb table. The server computes one per engine and one per handshake for RFC 5054's simulated users.
/// </summary>
internal sealed class CombSrp6VerifierGenerator(SrpGroupArithmetic arithmetic, IDigest digest) : TlsSrp6VerifierGenerator
{
    public BigInteger GenerateVerifier(byte[] salt, byte[] identity, byte[] password)
    {
        BigInteger x = Srp6Utilities.CalculateX(digest, arithmetic.Modulus.Modulus, salt, identity, password);
        return arithmetic.PowG(x);
    }
}
