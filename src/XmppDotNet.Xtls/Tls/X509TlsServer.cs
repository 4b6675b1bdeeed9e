using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// The BouncyCastle server for the <c>x509</c> method: the tunnel's responder. It requests a client
/// certificate and refuses the handshake without one.
/// </summary>
internal sealed class X509TlsServer : DefaultTlsServer
{
    private readonly BcTlsCrypto _crypto;
    private readonly HandshakeState _state;
    private readonly XtlsIdentity _identity;
    private readonly PeerCertificateVerifier _verifier;

    public X509TlsServer(BcTlsCrypto crypto, HandshakeState state, XtlsIdentity identity)
        : base(crypto)
    {
        _crypto = crypto;
        _state = state;
        _identity = identity;
        _verifier = new PeerCertificateVerifier(state);
    }

    public override int[] GetSupportedGroups() => [.. CipherSuitePolicy.Groups];

    // BouncyCastle selects only psk_dhe_ke; without a matching identity the certificate handshake goes on.
    // BouncyCastle's server has no selection callback: a PSK returned here is the one selected (a bad binder
    // fails the handshake).
    public override TlsPskExternal? GetExternalPsk(IList<PskIdentity> identities)
    {
        TlsPskExternal? selected = ReopenPsk.Select(_crypto, _state.Options.ReopenKey, identities);
        _state.PskNotified(selected);
        return selected;
    }

    public override bool RequiresExtendedMasterSecret() => !CipherSuitePolicy.UsesLegacy(_state.Options);

    public override TlsCredentials GetCredentials()
    {
        SecurityParameters parameters = m_context.SecurityParameters;
        if (!TlsUtilities.IsTlsV13(m_context) && parameters.KeyExchangeAlgorithm == KeyExchangeAlgorithm.RSA)
        {
            return IdentityCredentials.RsaDecryptor(_crypto, _identity);
        }

        // TLS 1.3, ECDHE_ECDSA (including Ed25519) and ECDHE_RSA: sign with an algorithm the client listed.
        return IdentityCredentials.Signer(m_context, _crypto, _identity, parameters.ClientSigAlgs, null)
            ?? throw _state.Reject(
                TlsFailureReason.HandshakeFailure,
                AlertDescription.handshake_failure,
                "The client accepts no signature algorithm this server's key can make.");
    }

    public override CertificateRequest GetCertificateRequest()
    {
        if (TlsUtilities.IsTlsV13(m_context))
        {
            return new CertificateRequest(TlsUtilities.EmptyBytes, CipherSuitePolicy.SignatureAlgorithms, null, null);
        }

        short[] types = [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign];
        return new CertificateRequest(types, CipherSuitePolicy.SignatureAlgorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate) =>
        _verifier.Verify(clientCertificate, TlsUtilities.IsTlsV13(m_context));

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
        TlsUtilities.GetSupportedCipherSuites(Crypto, CipherSuitePolicy.X509ServerSuites(_state.Options, _identity.KeyType));

    // TLS 1.2 ECDHE: only the groups of the policy, in the client's order (the default takes any curve).
    protected override int SelectECDH(int minimumCurveBits)
    {
        int[]? clientGroups = m_context.SecurityParameters.ClientSupportedGroups;
        if (clientGroups is null)
        {
            return NamedGroup.secp256r1;
        }

        foreach (int group in clientGroups)
        {
            if (CipherSuitePolicy.Groups.Contains(group) && NamedGroup.GetCurveBits(group) >= minimumCurveBits)
            {
                return group;
            }
        }

        return -1;
    }
}
