using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// The server of a re-open of an <c>srp</c> tunnel, the counterpart of <see cref="ReopenPskClient"/>: TLS 1.3,
/// the re-open key as an external PSK (psk_dhe_ke), no certificate. A client that does not offer the key is
/// refused with unknown_psk_identity.
/// </summary>
internal sealed class ReopenPskServer : DefaultTlsServer
{
    private readonly BcTlsCrypto _crypto;
    private readonly HandshakeState _state;
    private readonly TlsReopenKey _key;

    public ReopenPskServer(BcTlsCrypto crypto, HandshakeState state, TlsReopenKey key)
        : base(crypto)
    {
        _crypto = crypto;
        _state = state;
        _key = key;
    }

    public override int[] GetSupportedGroups() => [.. CipherSuitePolicy.Groups];

    // BouncyCastle's server has no selection callback: a PSK returned here is the one selected (a bad binder
    // fails the handshake).
    public override TlsPskExternal? GetExternalPsk(IList<PskIdentity> identities)
    {
        TlsPskExternal? selected = ReopenPsk.Select(_crypto, _key, identities);
        _state.PskNotified(selected);
        return selected;
    }

    // Asked only when no PSK was selected: this server has no certificate to fall back on.
    public override TlsCredentials GetCredentials() =>
        throw _state.Reject(
            TlsFailureReason.HandshakeFailure,
            AlertDescription.unknown_psk_identity,
            "The client did not offer the re-open key this side holds.");

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

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv13.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, ReopenPsk.Suites);
}
