using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Reopen;

/// <summary>
/// The re-open logic of one session: takes a secret for a tunnel about to be opened or accepted, after checking
/// again what its trust was based on; remembers a fresh secret when a tunnel opens; drops secrets whose basis
/// changed. Never lets a secret outlive a change of trust.
/// </summary>
internal sealed class ReopenCoordinator
{
    private readonly XtlsOptions _options;
    private readonly ITrustStore _trust;
    private readonly XtlsIdentity _identity;
    private readonly TimeProvider _time;

    public ReopenCoordinator(XtlsOptions options, ITrustStore trust, XtlsIdentity identity, TimeProvider time)
    {
        _options = options;
        _trust = trust;
        _identity = identity;
        _time = time;
        Store = options.ReopenStore ?? new InMemoryReopenSecretStore();
    }

    public IReopenSecretStore Store { get; }

    public bool Enabled => _options.ReopenTunnels;

    /// <summary>Initiator: the secret to offer to this device for this method, still valid, or <c>null</c>.</summary>
    public async Task<ReopenTicket?> TakeForOpenAsync(Jid local, Jid peer, XtlsMethod method)
    {
        if (!Enabled)
        {
            return null;
        }

        ReopenSecret? secret;
        try
        {
            secret = Store.Take(local, peer, Now);
        }
#pragma warning disable CA1031 // The application's store failing costs the re-open, never the tunnel.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }

        if (secret is null)
        {
            return null;
        }

        if (secret.Method != method)
        {
            Return(secret); // kept for a later open with its own method
            return null;
        }

        return await CheckedAsync(secret, peer).ConfigureAwait(false);
    }

    /// <summary>Responder: the secret whose identity the peer offered, still valid, or <c>null</c>.</summary>
    public async Task<ReopenTicket?> TakeForAcceptAsync(Jid local, Jid peer, byte[] identity)
    {
        if (!Enabled)
        {
            return null;
        }

        ReopenSecret? secret;
        try
        {
            secret = Store.TakeByIdentity(local, peer, identity, Now);
        }
#pragma warning disable CA1031 // The application's store failing costs the re-open, never the tunnel.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }

        return secret is null ? null : await CheckedAsync(secret, peer).ConfigureAwait(false);
    }

    /// <summary>After a tunnel opened with a trusted peer: keep a fresh secret for the next one (the material is cleared).</summary>
    /// <remarks>
    /// Whatever fails here (the application's password callback or store, a secret that cannot be made) costs the next
    /// re-open, never this tunnel: nothing is thrown, and the key is cleared.
    /// </remarks>
    public void Remember(Jid local, Jid peer, TlsSessionInfo info, Fingerprint? peerFingerprint, TrustResult? trust, byte[] exported)
    {
        TlsReopenKey key = ReopenDerivation.KeyFrom(exported);
        ReopenSecret? secret = null;
        byte[] binding = [];
        try
        {
            if (!Enabled)
            {
                key.Dispose();
                return;
            }

            if (info.Method == XtlsMethod.Srp)
            {
                char[]? password = _options.SrpPassword?.Invoke(peer.Bare);
                if (password is null)
                {
                    key.Dispose();
                    return;
                }

                try
                {
                    binding = ReopenDerivation.BindPassword(password);
                }
                finally
                {
                    Array.Clear(password);
                }
            }

            DateTimeOffset now = Now;
            secret = new ReopenSecret(
                local,
                peer,
                info.Method,
                key,
                now,
                now + _options.ReopenLifetime,
                info.Method == XtlsMethod.X509 ? peerFingerprint : null,
                info.Method == XtlsMethod.X509 ? _identity.Fingerprint : null,
                binding,
                trust);
            Store.Add(secret, now);
        }
#pragma warning disable CA1031 // The application's callback or store failing costs the next re-open, never this tunnel.
        catch (Exception)
#pragma warning restore CA1031
        {
            if (secret is not null)
            {
                secret.Dispose();
            }
            else
            {
                key.Dispose();
            }
        }
        finally
        {
            Array.Clear(binding);
        }
    }

    /// <summary>A certificate handshake with this device saw <paramref name="seen"/>: a secret based on another certificate goes.</summary>
    public void NoteCertificate(Jid local, Jid peer, Fingerprint seen)
    {
        ReopenSecret? secret;
        try
        {
            secret = Store.Take(local, peer, Now);
        }
#pragma warning disable CA1031 // A store that fails here holds nothing this handshake could use.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        if (secret is null)
        {
            return;
        }

        if (secret.PeerFingerprint is { } known && known.Equals(seen))
        {
            Return(secret);
        }
        else
        {
            secret.Dispose();
        }
    }

    /// <summary>Puts a secret taken but not used back into the store.</summary>
    public void Return(ReopenSecret secret)
    {
        try
        {
            Store.Add(secret, Now);
        }
#pragma warning disable CA1031 // The application's store failing costs the next re-open only.
        catch (Exception)
#pragma warning restore CA1031
        {
            secret.Dispose();
        }
    }

    /// <summary>The peer device was not trusted: nothing may re-open a tunnel with it.</summary>
    public void Forget(Jid local, Jid peer)
    {
        try
        {
            Store.Remove(local, peer);
        }
#pragma warning disable CA1031 // Nothing to add: the full handshake that failed decides the tunnel anyway.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private async Task<ReopenTicket?> CheckedAsync(ReopenSecret secret, Jid peer)
    {
        bool valid;
        try
        {
            valid = secret.Method == XtlsMethod.X509 ? await CertificateStillTrustedAsync(secret, peer).ConfigureAwait(false) : PasswordUnchanged(secret, peer);
        }
#pragma warning disable CA1031 // A store or callback that fails cannot vouch for the secret: a full handshake decides instead.
        catch (Exception)
#pragma warning restore CA1031
        {
            valid = false;
        }

        if (!valid)
        {
            secret.Dispose();
            return null;
        }

        return new ReopenTicket(secret);
    }

    // The secret stands only while the store still knows the certificate it was based on and this side still
    // presents the same one. A store that answers "first use" or "new device" had forgotten the device
    // (ForgetDeviceAsync, a reset): that record is undone, and a full handshake asks again.
    private async Task<bool> CertificateStillTrustedAsync(ReopenSecret secret, Jid peer)
    {
        if (secret.PeerFingerprint is not { } fingerprint || secret.LocalFingerprint is not { } local || !local.Equals(_identity.Fingerprint))
        {
            return false;
        }

        TrustResult result = await _trust.VerifyAsync(peer, fingerprint).ConfigureAwait(false);
        if (result.Reason is TrustReason.FirstUse or TrustReason.NewDevice)
        {
            await _trust.ForgetDeviceAsync(peer, fingerprint).ConfigureAwait(false);
            return false;
        }

        return result.IsTrusted && result.Reason is TrustReason.Pinned or TrustReason.KnownFingerprint;
    }

    private bool PasswordUnchanged(ReopenSecret secret, Jid peer)
    {
        char[]? password = _options.SrpPassword?.Invoke(peer.Bare);
        if (password is null)
        {
            return false;
        }

        try
        {
            return ReopenDerivation.MatchesPassword(secret.PasswordBinding, password);
        }
        finally
        {
            Array.Clear(password);
        }
    }
}
