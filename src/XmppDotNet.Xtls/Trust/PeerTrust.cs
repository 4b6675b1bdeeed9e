using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// The final trust decision about a peer after the TLS handshake and before anything is delivered: the
/// trust store's verdict, optionally reviewed by the application.
/// </summary>
public static class PeerTrust
{
    /// <summary>
    /// Asks the store about <paramref name="presented"/>, then (if given) the callback, which sees the store's
    /// result and has the last word.
    /// </summary>
    /// <remarks>
    /// If the store trusted the fingerprint and the callback accepts, the store's result stands. If the callback
    /// refuses, the result is <see cref="TrustReason.RejectedByUser"/> and a first-use record the store just made
    /// (<see cref="TrustReason.FirstUse"/> or <see cref="TrustReason.NewDevice"/>) is undone, for that fingerprint
    /// only. If the store rejected the fingerprint (a changed key, a new device awaiting confirmation) and the
    /// callback accepts, the fingerprint is pinned with the peer's resource and the result is
    /// <see cref="TrustReason.AcceptedByUser"/>; if the callback refuses too, the store's result stands. If the
    /// callback throws, a first-use record the store just made is undone and the exception propagates.
    /// </remarks>
    /// <param name="store">The trust store.</param>
    /// <param name="peer">The peer's full JID (the tunnel's remote address), given as it is to the store and the
    /// callback; a bare JID works but tells the store nothing about the device.</param>
    /// <param name="presented">The fingerprint from <c>TlsSessionInfo.PeerFingerprint</c>.</param>
    /// <param name="callback">The application's review, or <c>null</c> for the store's verdict alone.</param>
    /// <param name="cancellationToken">Cancels the store operations and the callback.</param>
    public static async ValueTask<TrustResult> VerifyAsync(
        ITrustStore store,
        Jid peer,
        Fingerprint presented,
        PeerVerificationCallback? callback = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(peer);

        TrustResult stored = await store.VerifyAsync(peer, presented, cancellationToken).ConfigureAwait(false);
        if (callback is null)
        {
            return stored;
        }

        bool accepted;
        try
        {
            accepted = await callback(peer, presented, stored, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await UndoFirstUseAsync(store, peer, stored).ConfigureAwait(false);
            throw;
        }

        if (stored.IsTrusted)
        {
            if (accepted)
            {
                return stored;
            }

            await UndoFirstUseAsync(store, peer, stored).ConfigureAwait(false);
            return stored with { Decision = TrustDecision.Rejected, Reason = TrustReason.RejectedByUser };
        }

        if (!accepted)
        {
            return stored;
        }

        await store.PinAsync(peer, presented, cancellationToken).ConfigureAwait(false);
        return stored with { Decision = TrustDecision.Trusted, Reason = TrustReason.AcceptedByUser };
    }

    private static async ValueTask UndoFirstUseAsync(ITrustStore store, Jid peer, TrustResult stored)
    {
        if (stored.Reason is TrustReason.FirstUse or TrustReason.NewDevice)
        {
            // Not cancellable: a fingerprint the user refused must not stay recorded. Only that one: another
            // device of the contact may have been recorded meanwhile.
            await store.ForgetDeviceAsync(peer, stored.Presented, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
