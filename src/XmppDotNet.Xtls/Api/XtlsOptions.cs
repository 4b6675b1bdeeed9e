using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls;

/// <summary>How a session uses XTLS. Set with <see cref="XtlsClientBuilderExtensions.UseXtls"/>.</summary>
public sealed class XtlsOptions
{
    /// <summary>
    /// This side's certificate and key for the <c>x509</c> method. Default: a new ECDSA P-256
    /// identity per process; applications that want stable fingerprints load or save one
    /// (<see cref="XtlsIdentity.LoadOrCreate"/>).
    /// </summary>
    public XtlsIdentity? Identity { get; set; }

    /// <summary>
    /// Decides whether a peer's certificate is trusted, keyed by bare JID. Default: trust on first
    /// use kept in memory (a changed fingerprint is refused); use a <see cref="FileTrustStore"/> to
    /// remember peers across runs.
    /// </summary>
    public ITrustStore? TrustStore { get; set; }

    /// <summary>
    /// Asked when the trust store rejects a certificate (unknown under a pin-only policy, or changed):
    /// returning <c>true</c> accepts and remembers it. For interactive applications.
    /// </summary>
    public PeerVerificationCallback? VerifyPeer { get; set; }

    /// <summary>
    /// The password shared with a peer for the <c>srp</c> method, by the peer's bare JID; <c>null</c>
    /// when there is none. The array is cleared once the TLS layer has derived what it needs.
    /// </summary>
    public Func<Jid, char[]?>? SrpPassword { get; set; }

    /// <summary>The method <see cref="XtlsService.OpenAsync"/> uses unless told otherwise.</summary>
    public XtlsMethod DefaultMethod { get; set; } = XtlsMethod.X509;

    /// <summary>
    /// Whether an incoming request is accepted. Default: accept (the certificate is still checked against the trust store).
    /// The token is cancelled when the request is withdrawn before the answer: the peer sent a newer start or
    /// broke the protocol, the decision timed out, or the session ended; an answer given after that is ignored.
    /// </summary>
    public Func<IncomingTunnelRequest, CancellationToken, ValueTask<bool>>? AcceptIncoming { get; set; }

    /// <summary>
    /// The policy for contacts without one of their own (see <see cref="XtlsContacts.SetPolicy"/>):
    /// how messages and IQ requests to other accounts are protected. Default
    /// <see cref="ContactPolicy.Opportunistic"/>: nothing goes in the clear to a device that can do XTLS,
    /// while contacts without XTLS stay reachable. A message or IQ request to a contact's full JID without
    /// a tunnel first asks the peer (disco#info, remembered for <see cref="AutoEncryptCacheTime"/>); if it
    /// announces XTLS the stanza waits for a new tunnel and fails if the tunnel fails; if it does not, the
    /// stanza goes in the clear (<see cref="ContactPolicy.Opportunistic"/>) or fails
    /// (<see cref="ContactPolicy.Required"/>). A message to a contact's bare JID is fanned out to its
    /// resources (see <see cref="XtlsContacts"/>). <see cref="ContactPolicy.Off"/> uses tunnels only where
    /// the application opened them.
    /// </summary>
    public ContactPolicy DefaultContactPolicy { get; set; } = ContactPolicy.Opportunistic;

    /// <summary>How many contacts may have a policy of their own (beyond: <see cref="ContactPolicyLimitException"/>). Default 10,000.</summary>
    public int MaxContactPolicies { get; set; } = 10_000;

    /// <summary>
    /// Opens a tunnel as soon as a contact whose policy is not <see cref="ContactPolicy.Off"/> becomes
    /// available with XTLS (by its caps, or disco#info), and so again after each new login. Off by
    /// default: without it the next message to the contact's bare JID opens what is missing.
    /// </summary>
    public bool OpenOnPresence { get; set; }

    /// <summary>How many tunnels the contact layer opens at once (fan-out and presence together). Default 8.</summary>
    public int MaxConcurrentContactOpens { get; set; } = 8;

    /// <summary>How long a fan-out waits for a resource's disco#info answer before reporting its support unknown. Default 10 s.</summary>
    public TimeSpan SupportQueryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After an established tunnel ended other than by an orderly close (a close_notify inside TLS)
    /// or the end of the session, stanzas to that full JID are refused with an
    /// <see cref="XtlsTunnelException"/> instead of going out in the clear, until a new tunnel opens
    /// or <see cref="XtlsService.AllowClearText"/> is called; a server forging a <c>close</c> or
    /// corrupting a chunk cannot turn the conversation into plaintext. On by default. The session
    /// remembers up to twice <see cref="TunnelManagerOptions.MaxTunnels"/> such peers (at least 4096);
    /// beyond that it forgets the oldest failure first.
    /// </summary>
    public bool RefuseClearTextAfterFailure { get; set; } = true;

    /// <summary>How long a peer's answer to the support question (asked for a full-JID send without a tunnel) is remembered.</summary>
    public TimeSpan AutoEncryptCacheTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Re-open tunnels quickly: after a trusted tunnel, both sides keep a secret derived from it with the TLS
    /// exporter, and the next tunnel between the same two devices (after a close, a new session, a new login)
    /// authenticates with it as a TLS 1.3 external PSK instead of certificates or SRP. On by default: the key
    /// exchange stays psk_dhe_ke (fresh Diffie-Hellman, so forward secrecy holds), the default store is memory
    /// only, every use checks again what the first tunnel's trust was based on (the peer's certificate still known
    /// to the trust store, this side's certificate unchanged, the SRP password unchanged), each secret is used once,
    /// and a peer that does not know the secret gets a full handshake without an error. Off: nothing of it appears
    /// on the wire. See <see cref="Reopen.IReopenSecretStore"/>.
    /// </summary>
    public bool ReopenTunnels { get; set; } = true;

    /// <summary>
    /// Where re-open secrets are kept; default a new <see cref="Reopen.InMemoryReopenSecretStore"/> per session
    /// object (it survives reconnections of the same client, not the process). A store that persists secrets must
    /// protect them like session keys.
    /// </summary>
    public Reopen.IReopenSecretStore? ReopenStore { get; set; }

    /// <summary>How long a re-open secret stays usable after the tunnel it came from opened. Default 7 days; at most 90.</summary>
    public TimeSpan ReopenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Offer the legacy cipher suites of the 2008 text (3DES); off by default and insecure.</summary>
    public bool AllowLegacyCipherSuites { get; set; }

    /// <summary>The lowest TLS version for <c>x509</c> (SRP always uses TLS 1.2).</summary>
    public TlsProtocolVersion MinimumTlsVersion { get; set; } = TlsProtocolVersion.Tls13;

    /// <summary>The protocol limits: chunk size, window, timeouts, tunnel counts.</summary>
    public TunnelManagerOptions Tunnels { get; } = new();

    /// <summary>The largest stanza accepted through a tunnel, in bytes (bigger: the tunnel fails with <c>LimitExceeded</c>).</summary>
    public int MaxInnerStanzaBytes { get; set; } = 262_144;

    /// <summary>
    /// How many stanzas may wait for a tunnel's handshake per peer, and how many messages to one contact may
    /// wait to be fanned out to its devices (beyond: <see cref="Tunnels.TunnelBackpressureException"/>).
    /// </summary>
    public int MaxQueuedStanzasPerTunnel { get; set; } = 256;

    /// <summary>How many bytes of decrypted stanzas may wait for the trust decision per peer.</summary>
    public int MaxHeldPlaintextBytes { get; set; } = 1 << 20;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public void Validate()
    {
        Tunnels.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInnerStanzaBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedStanzasPerTunnel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeldPlaintextBytes, MaxInnerStanzaBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxContactPolicies, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentContactOpens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SupportQueryTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReopenLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ReopenLifetime, TimeSpan.FromDays(90));
        if (!Enum.IsDefined(DefaultContactPolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultContactPolicy), DefaultContactPolicy, "Unknown policy.");
        }
    }
}
