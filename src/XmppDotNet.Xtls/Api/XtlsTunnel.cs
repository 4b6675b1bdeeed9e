using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls;

/// <summary>An open XTLS tunnel: who is at the other end and what protects it.</summary>
/// <param name="Peer">The peer's full JID.</param>
/// <param name="Initiator">Whether this side opened the tunnel (and is the TLS client).</param>
/// <param name="Method">How the peer was authenticated.</param>
/// <param name="ProtocolVersion">The TLS version, e.g. <c>TLSv1.3</c>.</param>
/// <param name="CipherSuite">The IANA name of the cipher suite.</param>
/// <param name="PeerFingerprint">The SHA-256 fingerprint of the peer's certificate (<c>x509</c>), or <c>null</c> (<c>srp</c>).</param>
/// <param name="LocalFingerprint">The fingerprint of the certificate this side presented, or <c>null</c>.</param>
public sealed record XtlsTunnel(
    Jid Peer,
    bool Initiator,
    XtlsMethod Method,
    string ProtocolVersion,
    string CipherSuite,
    Fingerprint? PeerFingerprint,
    Fingerprint? LocalFingerprint)
{
    /// <summary>When the tunnel was established, by the session's clock.</summary>
    public DateTimeOffset Opened { get; init; }

    /// <summary>
    /// How the peer's certificate came to be trusted, or <c>null</c> (<c>srp</c>: the shared password
    /// authenticated it). <see cref="TrustReason.NewDevice"/> means a contact's device never seen before was
    /// trusted on first use: show the user a notice.
    /// </summary>
    public TrustResult? Trust { get; init; }

    /// <summary>
    /// Whether the tunnel was re-opened with the secret of an earlier tunnel between the same two devices
    /// (<see cref="XtlsOptions.ReopenTunnels"/>) instead of a certificate or SRP handshake. Its
    /// <see cref="PeerFingerprint"/>, <see cref="Method"/> and <see cref="Trust"/> are those of the earlier
    /// tunnel, checked again before the secret was used.
    /// </summary>
    public bool Reopened { get; init; }
}
