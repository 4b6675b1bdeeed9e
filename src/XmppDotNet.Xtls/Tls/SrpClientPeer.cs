using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// The BouncyCastle SRP client: TLS 1.2, the two SRP_SHA suites without certificates, RFC 5054's 2048-bit
/// group only, extended master secret and encrypt-then-MAC required.
/// </summary>
internal sealed class SrpClientPeer(BcTlsCrypto crypto, HandshakeState state, SrpClientCredentials credentials)
    : SrpTlsClient(crypto, credentials)
{
    public override TlsSrpConfigVerifier GetSrpConfigVerifier() =>
        new DefaultTlsSrpConfigVerifier([SrpVerifierIdentityManager.Group]);

    public override bool RequiresExtendedMasterSecret() => true;

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);

        // The SRP suites are CBC: MAC-then-encrypt would leave them open to padding oracles.
        if (serverExtensions is null || !TlsExtensionsUtilities.HasEncryptThenMacExtension(serverExtensions))
        {
            throw state.Reject(
                TlsFailureReason.HandshakeFailure,
                AlertDescription.handshake_failure,
                "The server did not negotiate encrypt-then-MAC, which the CBC-based SRP suites require.");
        }
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        state.Complete(m_context);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        state.AlertReceived(alertLevel, alertDescription);
    }

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, CipherSuitePolicy.SrpCipherSuites());

    protected override CertificateStatusRequest GetCertificateStatusRequest() => null!;
}
