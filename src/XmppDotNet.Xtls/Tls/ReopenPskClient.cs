using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// The client of a re-open of an <c>srp</c> tunnel: TLS 1.3 with the re-open key as an external PSK
/// (psk_dhe_ke) and nothing else. SRP exists only in TLS 1.2, so this handshake cannot fall back to it in
/// the same exchange: a server that does not select the key fails it, and the tunnel is opened again with a
/// full SRP handshake.
/// </summary>
internal sealed class ReopenPskClient : DefaultTlsClient
{
    private readonly BcTlsCrypto _crypto;
    private readonly HandshakeState _state;
    private readonly TlsReopenKey _key;

    public ReopenPskClient(BcTlsCrypto crypto, HandshakeState state, TlsReopenKey key)
        : base(crypto)
    {
        _crypto = crypto;
        _state = state;
        _key = key;
    }

    public override TlsAuthentication GetAuthentication() => new PskOnly(_state);

    public override IList<TlsPskExternal> GetExternalPsks() => [ReopenPsk.ForClient(_crypto, _key)];

    public override short[] GetPskKeyExchangeModes() => [PskKeyExchangeMode.psk_dhe_ke];

    public override bool ShouldUseCompatibilityMode() => false;

    public override void NotifySelectedPsk(TlsPsk selectedPsk)
    {
        base.NotifySelectedPsk(selectedPsk);
        _state.PskNotified(selectedPsk);
    }

    public override void NotifyHandshakeComplete()
    {
        if (!_state.PskSelected)
        {
            // Unreachable with BouncyCastle (a server without the PSK must send a certificate, refused below);
            // kept so that no handshake without the secret can ever count as authenticated.
            throw _state.Reject(TlsFailureReason.HandshakeFailure, AlertDescription.handshake_failure, "The server did not use the re-open key.");
        }

        base.NotifyHandshakeComplete();
        _state.Complete(m_context);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        _state.AlertReceived(alertLevel, alertDescription);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv13.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, ReopenPsk.Suites);

    protected override IList<int> GetSupportedGroups(IList<int> namedGroupRoles) => [.. CipherSuitePolicy.Groups];

    protected override IList<SignatureAndHashAlgorithm> GetSupportedSignatureAlgorithms() =>
        [.. CipherSuitePolicy.SignatureAlgorithms];

    protected override CertificateStatusRequest GetCertificateStatusRequest() => null!;

    // A server that answers with a certificate did not accept the key: there is nothing to verify it against.
    private sealed class PskOnly(HandshakeState state) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            throw state.Reject(
                TlsFailureReason.HandshakeFailure,
                AlertDescription.unknown_psk_identity,
                "The server does not know the re-open key (it answered with a certificate).");

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => null;
    }
}
