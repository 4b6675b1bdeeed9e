using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Tls;

/// <summary>How a <see cref="TlsEngine"/> is set up. Checked by <see cref="TlsEngine.Create"/>.</summary>
public sealed class TlsEngineOptions
{
    /// <summary>The TLS role: the tunnel's initiator is the <see cref="TlsRole.Client"/>, the responder the <see cref="TlsRole.Server"/>.</summary>
    public required TlsRole Role { get; init; }

    /// <summary>The authentication method negotiated for the tunnel.</summary>
    public required XtlsMethod Method { get; init; }

    /// <summary>This end's certificate and key; required for <see cref="XtlsMethod.X509"/>, ignored for SRP.</summary>
    public XtlsIdentity? Identity { get; init; }

    /// <summary>
    /// The fingerprint the peer's certificate must have (for example from a XEP-0250 offer or a pin), checked
    /// inside the handshake: a different certificate fails it with a bad_certificate alert the peer receives.
    /// <c>x509</c> only.
    /// </summary>
    public Fingerprint? ExpectedPeerFingerprint { get; init; }

    /// <summary>
    /// A synchronous check of the peer's certificate fingerprint inside the handshake; returning <c>false</c>
    /// (or throwing) fails it with bad_certificate. Must be quick and must not block: asynchronous decisions
    /// (trust stores, prompts) belong after the handshake, using <see cref="TlsEngine.SessionInfo"/>.
    /// <c>x509</c> only.
    /// </summary>
    public Func<Fingerprint, bool>? PeerCertificateCheck { get; init; }

    /// <summary>
    /// The SRP user name: the initiator's bare JID, on both ends. It is parsed and normalised as a JID and its
    /// bare form is used, encoded as UTF-8. Required for <see cref="XtlsMethod.Srp"/>.
    /// </summary>
    public string? SrpUserName { get; init; }

    /// <summary>
    /// The shared SRP password (UTF-8 on the wire; a <c>char[]</c> converts implicitly). Required for
    /// <see cref="XtlsMethod.Srp"/>. The engine keeps no reference to this memory: it encodes a private copy,
    /// which the server clears as soon as it has computed the verifier and the client as soon as the handshake
    /// ends (or the engine is disposed). Clearing the caller's own buffer is up to the caller.
    /// </summary>
    public ReadOnlyMemory<char> SrpPassword { get; init; }

    /// <summary>
    /// The lowest protocol version accepted for <c>x509</c>: TLS 1.3 by default. With <see cref="TlsProtocolVersion.Tls12"/>
    /// TLS 1.2 is allowed too, with ECDHE key exchange and AEAD suites only. SRP always uses TLS 1.2.
    /// </summary>
    public TlsProtocolVersion MinimumVersion { get; init; } = TlsProtocolVersion.Tls13;

    /// <summary>
    /// Allows the obsolete mandatory suite of the 2008 text, <c>TLS_RSA_WITH_3DES_EDE_CBC_SHA</c> (no forward
    /// secrecy, 64-bit blocks), for <c>x509</c> on TLS 1.2; off by default. Requires
    /// <see cref="MinimumVersion"/> = <see cref="TlsProtocolVersion.Tls12"/>, and on the server an RSA identity.
    /// It also stops requiring the extended master secret, which 2008-era peers lack. The other suite of that
    /// text, <c>TLS_DH_RSA_WITH_AES_256_CBC_SHA</c> (static Diffie-Hellman), cannot be negotiated by
    /// BouncyCastle at all and is never offered. Ignored for SRP.
    /// </summary>
    public bool AllowLegacyCipherSuites { get; init; }

    /// <summary>
    /// Whether the peer certificate's validity period and key usage are checked (on by default): a certificate
    /// that is expired or not yet valid at <see cref="TimeProvider"/>'s time is rejected with certificate_expired,
    /// one whose key usage extension lacks digitalSignature with bad_certificate. Turn it off only for peers whose
    /// clocks or certificates cannot be fixed; the fingerprint still decides who the peer is.
    /// </summary>
    public bool CheckCertificateValidity { get; init; } = true;

    /// <summary>
    /// The re-open key of an earlier tunnel with this peer, or <c>null</c>. A client offers it as a TLS 1.3
    /// external PSK with psk_dhe_ke only (fresh Diffie-Hellman keys each time); a server accepts it when offered.
    /// For <c>x509</c> the ClientHello carries everything a certificate handshake needs as well, so a server that
    /// does not hold the key completes a certificate handshake in the same exchange, and a client whose offer
    /// is not taken verifies the server's certificate as usual (TLS 1.3 only, SHA-256 suites only). For <c>srp</c>
    /// (TLS 1.2, which has no external PSKs) the handshake becomes a TLS 1.3 PSK-only one without SRP: it fails
    /// with unknown_psk_identity if the other side does not hold the key, and the caller starts over with a full SRP
    /// handshake. <see cref="TlsSessionInfo.Reopened"/> tells which way a handshake went. The engine copies the key;
    /// the caller may dispose it after <see cref="TlsEngine.Create"/>.
    /// </summary>
    public TlsReopenKey? ReopenKey { get; init; }

    /// <summary>
    /// Keying material to export when the handshake completes (for the re-open key of the next connection), or
    /// <c>null</c>. Taken with <see cref="TlsEngine.TakeExportedKeyingMaterial"/>.
    /// </summary>
    public TlsExportRequest? Export { get; init; }

    /// <summary>The clock for certificate validity checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
