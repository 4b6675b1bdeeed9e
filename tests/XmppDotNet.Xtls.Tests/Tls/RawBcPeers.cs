using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>
/// Plain BouncyCastle peers configured beyond what the engine allows: a TLS 1.2-only client, a client with no
/// certificate, a 2008-style peer that knows only TLS_RSA_WITH_3DES_EDE_CBC_SHA.
/// </summary>
internal static class RawBcPeers
{
    public static BcEndpoint Client(ProtocolVersion[] versions, int[] suites, XtlsIdentity? identity, bool extendedMasterSecret = true)
    {
        var protocol = new TlsClientProtocol();
        protocol.Connect(new RawClient(new BcTlsCrypto(new SecureRandom()), versions, suites, identity, extendedMasterSecret));
        return new BcEndpoint("raw client", protocol);
    }

    public static BcEndpoint Server(ProtocolVersion[] versions, int[] suites, XtlsIdentity identity, bool extendedMasterSecret = true)
    {
        var protocol = new TlsServerProtocol();
        protocol.Accept(new RawServer(new BcTlsCrypto(new SecureRandom()), versions, suites, identity, extendedMasterSecret));
        return new BcEndpoint("raw server", protocol);
    }

    private sealed class RawClient(BcTlsCrypto crypto, ProtocolVersion[] versions, int[] suites, XtlsIdentity? identity, bool ems)
        : DefaultTlsClient(crypto)
    {
        private XtlsIdentity? Identity => identity;

        private BcTlsCrypto BcCrypto => crypto;

        public override TlsAuthentication GetAuthentication() => new Authentication(this);

        public override bool ShouldUseExtendedMasterSecret() => ems;

        protected override ProtocolVersion[] GetSupportedVersions() => versions;

        protected override int[] GetSupportedCipherSuites() => suites;

        private sealed class Authentication(RawClient client) : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
            }

            public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest)
            {
                if (client.Identity is null)
                {
                    return null!;
                }

                bool tls13 = TlsUtilities.IsTlsV13(client.m_context);
                return IdentityCredentials.Signer(
                    client.m_context, client.BcCrypto, client.Identity, certificateRequest.SupportedSignatureAlgorithms,
                    tls13 ? certificateRequest.GetCertificateRequestContext() : null)!;
            }
        }
    }

    private sealed class RawServer(BcTlsCrypto crypto, ProtocolVersion[] versions, int[] suites, XtlsIdentity identity, bool ems)
        : DefaultTlsServer(crypto)
    {
        public override bool ShouldUseExtendedMasterSecret() => ems;

        public override TlsCredentials GetCredentials()
        {
            SecurityParameters parameters = m_context.SecurityParameters;
            return parameters.KeyExchangeAlgorithm == KeyExchangeAlgorithm.RSA && !TlsUtilities.IsTlsV13(m_context)
                ? IdentityCredentials.RsaDecryptor(crypto, identity)
                : IdentityCredentials.Signer(m_context, crypto, identity, parameters.ClientSigAlgs, null)!;
        }

        protected override ProtocolVersion[] GetSupportedVersions() => versions;

        protected override int[] GetSupportedCipherSuites() => suites;
    }
}
