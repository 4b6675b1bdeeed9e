using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Tls;

/// <summary>The BouncyCastle client for the <c>x509</c> method: the tunnel's initiator.</summary>
internal sealed class X509TlsClient : DefaultTlsClient
{
    private readonly BcTlsCrypto _crypto;
    private readonly HandshakeState _state;
    private readonly XtlsIdentity _identity;
    private readonly PeerCertificateVerifier _verifier;

    public X509TlsClient(BcTlsCrypto crypto, HandshakeState state, XtlsIdentity identity)
        : base(crypto)
    {
        _crypto = crypto;
        _state = state;
        _identity = identity;
        _verifier = new PeerCertificateVerifier(state);
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    // The re-open key rides along with everything a certificate handshake needs: a server that does not
    // know it simply completes the certificate handshake in the same exchange.
    public override IList<TlsPskExternal>? GetExternalPsks() =>
        _state.Options.ReopenKey is { } key ? [ReopenPsk.ForClient(_crypto, key)] : null;

    public override void NotifySelectedPsk(TlsPsk selectedPsk)
    {
        base.NotifySelectedPsk(selectedPsk);
        _state.PskNotified(selectedPsk);
    }

    // No middlebox compatibility mode: nothing between the peers inspects TLS, and it costs bytes.
    public override bool ShouldUseCompatibilityMode() => false;

    public override bool RequiresExtendedMasterSecret() => !CipherSuitePolicy.UsesLegacy(_state.Options);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _state.Complete(m_context);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        _state.AlertReceived(alertLevel, alertDescription);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => CipherSuitePolicy.Versions(_state.Options);

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, CipherSuitePolicy.X509ClientSuites(_state.Options));

    // psk_dhe_ke only: a re-opened connection gets fresh Diffie-Hellman keys (forward secrecy).
    public override short[] GetPskKeyExchangeModes() => [PskKeyExchangeMode.psk_dhe_ke];

    protected override IList<int> GetSupportedGroups(IList<int> namedGroupRoles) => [.. CipherSuitePolicy.Groups];

    protected override IList<SignatureAndHashAlgorithm> GetSupportedSignatureAlgorithms() =>
        [.. CipherSuitePolicy.SignatureAlgorithms];

    // No OCSP stapling request: certificates are trusted by fingerprint, not by a CA.
    protected override CertificateStatusRequest GetCertificateStatusRequest() => null!;

    private sealed class Authentication(X509TlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client._verifier.Verify(serverCertificate.Certificate, TlsUtilities.IsTlsV13(client.m_context));

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest)
        {
            bool tls13 = TlsUtilities.IsTlsV13(client.m_context);
            return IdentityCredentials.Signer(
                    client.m_context,
                    client._crypto,
                    client._identity,
                    certificateRequest.SupportedSignatureAlgorithms,
                    tls13 ? certificateRequest.GetCertificateRequestContext() : null)
                ?? throw client._state.Reject(
                    TlsFailureReason.HandshakeFailure,
                    AlertDescription.handshake_failure,
                    "The server accepts no signature algorithm this client's key can make.");
        }
    }
}
