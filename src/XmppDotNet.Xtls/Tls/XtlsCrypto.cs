using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using XmppDotNet.Xtls.Tls.Srp;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// BouncyCastle's crypto for one engine, with SRP private values of 256 bits instead of the modulus' length
/// (<see cref="SrpPrivateValue"/>) and, in RFC 5054's 2048-bit group, faster exponentiation
/// (<see cref="SrpGroupArithmetic"/>): an SRP handshake then costs a fraction of its former CPU time. The SRP
/// hash (SHA-1, as RFC 5054 fixes it), the group and every check are BouncyCastle's.
/// </summary>
internal sealed class XtlsCrypto(SecureRandom random) : BcTlsCrypto(random)
{
    public override TlsSrp6Client CreateSrp6Client(TlsSrpConfig srpConfig)
    {
        var client = new ShortExponentSrp6Client();
        client.Init(GroupOf(srpConfig), CreateDigest(CryptoHashAlgorithm.sha1), SecureRandom);
        return client;
    }

    public override TlsSrp6Server CreateSrp6Server(TlsSrpConfig srpConfig, BigInteger srpVerifier)
    {
        var server = new ShortExponentSrp6Server();
        server.Init(GroupOf(srpConfig), srpVerifier, CreateDigest(CryptoHashAlgorithm.sha1), SecureRandom);
        return server;
    }

    public override TlsSrp6VerifierGenerator CreateSrp6VerifierGenerator(TlsSrpConfig srpConfig)
    {
        BigInteger[] ng = srpConfig.GetExplicitNG();
        SrpGroupArithmetic? arithmetic = SrpGroupArithmetic.For(ng[0], ng[1]);
        return arithmetic is null
            ? base.CreateSrp6VerifierGenerator(srpConfig)
            : new CombSrp6VerifierGenerator(arithmetic, CreateDigest(CryptoHashAlgorithm.sha1));
    }

    private static Srp6GroupParameters GroupOf(TlsSrpConfig srpConfig)
    {
        BigInteger[] ng = srpConfig.GetExplicitNG();
        return new Srp6GroupParameters(ng[0], ng[1]);
    }
}
