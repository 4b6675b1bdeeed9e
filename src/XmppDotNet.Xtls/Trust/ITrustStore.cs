using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// Remembers which certificate fingerprints belong to which peer, keyed by bare JID (a full JID is reduced to
/// its bare form), and decides whether a presented fingerprint is trusted.
/// </summary>
/// <remarks>
/// Rules: with trust on first use, the first fingerprint seen for a peer is recorded and trusted
/// (<see cref="TrustReason.FirstUse"/>), the same one later is <see cref="TrustReason.KnownFingerprint"/>, a
/// different one is rejected as <see cref="TrustReason.Changed"/> until <see cref="PinAsync"/> accepts it.
/// Pins are explicit decisions: once a peer has a pin, only its pinned fingerprints are trusted (the
/// first-use record is dropped); pin each of a peer's devices to accept several. Fingerprints are compared in
/// constant time. Implementations are thread-safe.
/// </remarks>
public interface ITrustStore
{
    /// <summary>Checks a presented fingerprint, recording it if this is the peer's first use.</summary>
    ValueTask<TrustResult> VerifyAsync(Jid peer, Fingerprint presented, CancellationToken cancellationToken = default);

    /// <summary>Pins a fingerprint for the peer: an explicit decision, e.g. after comparing fingerprints or accepting a changed key.</summary>
    ValueTask PinAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Forgets everything known about the peer; returns whether there was anything.</summary>
    ValueTask<bool> ForgetAsync(Jid peer, CancellationToken cancellationToken = default);
}
