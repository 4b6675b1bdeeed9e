using System.Security.Cryptography;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Reopen;

/// <summary>
/// What one side keeps after a trusted tunnel with a device of a contact, so that the next tunnel between the
/// same two devices can skip certificates or SRP: the re-open key (a TLS 1.3 external PSK derived with the TLS
/// exporter) and what the trust decision of that tunnel was based on, which every use checks again.
/// </summary>
/// <remarks>
/// The key is as sensitive as a session key: it authenticates this side's device to the peer until it expires.
/// <see cref="Dispose"/> (which stores call when they drop a secret) zeroes it. It is never logged, and
/// <see cref="ToString"/> shows only addresses and dates.
/// </remarks>
public sealed class ReopenSecret : IDisposable
{
    private readonly byte[] _passwordBinding;

    /// <summary>Creates a secret (stores that persist secrets use this to load them).</summary>
    /// <param name="local">This side's bare JID (a full JID is reduced to its bare form).</param>
    /// <param name="peer">The peer device's full JID.</param>
    /// <param name="method">The method the first tunnel authenticated with.</param>
    /// <param name="key">The re-open key; the secret owns it from now on and disposes it.</param>
    /// <param name="created">When the secret was derived.</param>
    /// <param name="expires">When it stops being usable.</param>
    /// <param name="peerFingerprint">The peer's certificate fingerprint (<c>x509</c>), <c>null</c> for <c>srp</c>.</param>
    /// <param name="localFingerprint">The fingerprint of this side's certificate then (<c>x509</c>), or <c>null</c>.</param>
    /// <param name="passwordBinding">For <c>srp</c>: salt and PBKDF2-SHA256 hash of the password then, empty for <c>x509</c>.</param>
    /// <param name="trust">The trust decision of the first tunnel (<c>x509</c>), reported again by re-opened tunnels.</param>
    /// <exception cref="ArgumentException">The peer is not a full JID, the dates are reversed, or the method's evidence is missing.</exception>
    public ReopenSecret(
        Jid local,
        Jid peer,
        XtlsMethod method,
        TlsReopenKey key,
        DateTimeOffset created,
        DateTimeOffset expires,
        Fingerprint? peerFingerprint,
        Fingerprint? localFingerprint,
        ReadOnlySpan<byte> passwordBinding,
        TrustResult? trust)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(key);
        if (!peer.IsFull)
        {
            throw new ArgumentException("A re-open secret belongs to a device: the peer must be a full JID.", nameof(peer));
        }

        if (expires <= created)
        {
            throw new ArgumentException("A re-open secret must expire after it was created.", nameof(expires));
        }

        if (method == XtlsMethod.X509 ? peerFingerprint is null : passwordBinding.IsEmpty)
        {
            throw new ArgumentException("An x509 secret records the peer's fingerprint; an srp secret a password binding.", nameof(method));
        }

        Local = local.Bare;
        Peer = peer;
        Method = method;
        Key = key;
        Created = created;
        Expires = expires;
        PeerFingerprint = peerFingerprint;
        LocalFingerprint = localFingerprint;
        _passwordBinding = passwordBinding.ToArray();
        Trust = trust;
    }

    /// <summary>This side's bare JID.</summary>
    public Jid Local { get; }

    /// <summary>The peer device's full JID when the secret was derived.</summary>
    public Jid Peer { get; }

    /// <summary>The method of the tunnel the secret came from; a re-open reports it again.</summary>
    public XtlsMethod Method { get; }

    /// <summary>The re-open key and its PSK identity.</summary>
    public TlsReopenKey Key { get; }

    /// <summary>When the secret was derived.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>When the secret stops being usable.</summary>
    public DateTimeOffset Expires { get; }

    /// <summary>The peer's certificate fingerprint the first tunnel trusted (<c>x509</c>).</summary>
    public Fingerprint? PeerFingerprint { get; }

    /// <summary>This side's certificate fingerprint then (<c>x509</c>): a new identity of its own invalidates the secret.</summary>
    public Fingerprint? LocalFingerprint { get; }

    /// <summary>For <c>srp</c>: salt and slow hash of the shared password then; a changed password invalidates the secret.</summary>
    public ReadOnlySpan<byte> PasswordBinding => _passwordBinding;

    /// <summary>The trust decision of the first tunnel (<c>x509</c>).</summary>
    public TrustResult? Trust { get; }

    /// <summary>Whether the secret has expired at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    public bool IsExpired(DateTimeOffset now) => now >= Expires;

    /// <summary>Zeroes the key and the password binding.</summary>
    public void Dispose()
    {
        Key.Dispose();
        CryptographicOperations.ZeroMemory(_passwordBinding);
    }

    /// <inheritdoc />
    public override string ToString() => $"re-open secret {Local} -> {Peer} ({XtlsMethodNames.ToWire(Method)}, expires {Expires:u})";
}
