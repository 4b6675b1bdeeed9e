namespace XmppDotNet.Xtls.Tls;

/// <summary>Why a TLS engine failed. <see cref="TlsEngineException.AlertFromPeer"/> tells which side detected it.</summary>
public enum TlsFailureReason
{
    /// <summary>
    /// This end refused the peer's certificate: fingerprint not the expected one, the check callback said no,
    /// expired or not yet valid, key usage without digitalSignature, or unusable for the negotiated algorithms.
    /// </summary>
    PeerCertificateRejected,

    /// <summary>The peer refused this end's certificate (it sent a certificate alert).</summary>
    CertificateRejectedByPeer,

    /// <summary>The client presented no certificate, but <c>x509</c> requires one.</summary>
    CertificateRequired,

    /// <summary>
    /// SRP authentication failed: a wrong password or an unknown user name. The two look the same on purpose,
    /// so a client cannot probe which user names exist.
    /// </summary>
    SrpAuthenticationFailed,

    /// <summary>A record failed its integrity check: tampered with, corrupted, truncated inside, or reordered.</summary>
    BadRecordMac,

    /// <summary>A handshake signature or Finished value did not verify.</summary>
    DecryptError,

    /// <summary>No acceptable parameters in common: cipher suites, groups, signature algorithms, required extensions.</summary>
    HandshakeFailure,

    /// <summary>No protocol version in common (for example a TLS 1.2-only peer and a TLS 1.3-only engine).</summary>
    ProtocolVersion,

    /// <summary>Malformed or unexpected protocol data (decode errors, messages out of order, oversized records).</summary>
    ProtocolError,

    /// <summary>The peer closed (close_notify or user_canceled) before the handshake completed.</summary>
    ClosedDuringHandshake,

    /// <summary>The peer sent another fatal alert, such as internal_error.</summary>
    PeerAlert,

    /// <summary>An internal error in this engine.</summary>
    InternalError,
}
