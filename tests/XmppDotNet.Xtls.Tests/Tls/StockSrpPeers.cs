using System.Text;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>
/// BouncyCastle's own SRP client and server with its stock crypto, whose private values are as long as the
/// modulus: the engine, with its 256-bit values, must interoperate with them.
/// </summary>
internal static class StockSrpPeers
{
    public static BcEndpoint Client(string user, string password)
    {
        var protocol = new TlsClientProtocol();
        protocol.Connect(new StockClient(new BcTlsCrypto(new SecureRandom()), Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(password)));
        return new BcEndpoint("stock SRP client", protocol);
    }

    public static BcEndpoint Server(string user, string password)
    {
        var crypto = new BcTlsCrypto(new SecureRandom());
        var identities = SrpVerifierIdentityManager.Create(crypto, Encoding.UTF8.GetBytes(user), password);
        var protocol = new TlsServerProtocol();
        protocol.Accept(new StockServer(crypto, identities));
        return new BcEndpoint("stock SRP server", protocol);
    }

    private sealed class StockClient(BcTlsCrypto crypto, byte[] user, byte[] password) : SrpTlsClient(crypto, user, password)
    {
        public override bool RequiresExtendedMasterSecret() => true;

        protected override int[] GetSupportedCipherSuites() => CipherSuitePolicy.SrpCipherSuites();
    }

    private sealed class StockServer(BcTlsCrypto crypto, TlsSrpIdentityManager identities) : SrpTlsServer(crypto, identities)
    {
        public override bool RequiresExtendedMasterSecret() => true;

        protected override int[] GetSupportedCipherSuites() => CipherSuitePolicy.SrpCipherSuites();
    }
}
