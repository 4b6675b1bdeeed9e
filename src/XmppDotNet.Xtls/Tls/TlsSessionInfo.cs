using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Tls;

/// <summary>What a completed handshake negotiated and who the peer is.</summary>
/// <param name="Method">The authentication method.</param>
/// <param name="ProtocolVersion">The protocol version, e.g. <c>TLSv1.3</c> or <c>TLSv1.2</c>.</param>
/// <param name="CipherSuite">The IANA name of the cipher suite, e.g. <c>TLS_AES_128_GCM_SHA256</c>.</param>
/// <param name="PeerFingerprint">The SHA-256 fingerprint of the peer's certificate (<c>x509</c>); <c>null</c> for SRP.</param>
/// <param name="PeerCertificateDer">The peer's DER certificate (<c>x509</c>); <c>null</c> for SRP.</param>
/// <param name="LocalFingerprint">The fingerprint of the certificate this end presented (<c>x509</c>); <c>null</c> for SRP.</param>
public sealed record TlsSessionInfo(
    XtlsMethod Method,
    string ProtocolVersion,
    string CipherSuite,
    Fingerprint? PeerFingerprint,
    byte[]? PeerCertificateDer,
    Fingerprint? LocalFingerprint)
{
    /// <summary>
    /// Whether the handshake was a re-open: both ends authenticated with the re-open key of an earlier tunnel
    /// (<see cref="TlsEngineOptions.ReopenKey"/>) instead of certificates or SRP. <see cref="PeerFingerprint"/> and
    /// <see cref="PeerCertificateDer"/> are then <c>null</c>: no certificate was exchanged.
    /// </summary>
    public bool Reopened { get; init; }
}
