using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// Remembers which certificate fingerprints belong to which contact (keyed by bare JID), one per device and
/// each with the resources it was seen on, and decides whether a presented fingerprint is trusted.
/// </summary>
/// <remarks>
/// <para>
/// A contact may have several devices, each with its own certificate. The store is given the peer's full JID
/// (a bare JID works too, but tells nothing about the device) and decides:
/// </para>
/// <list type="bullet">
/// <item>the contact's first fingerprint: with trust on first use, recorded and trusted
/// (<see cref="TrustReason.FirstUse"/>); without, rejected (<see cref="TrustReason.NotPinned"/>);</item>
/// <item>a fingerprint already known for the contact: trusted whatever the resource
/// (<see cref="TrustReason.Pinned"/> or <see cref="TrustReason.KnownFingerprint"/>), and the resource is
/// remembered for it;</item>
/// <item>an unknown fingerprint from a resource that presented a different one before, or from a bare JID, or
/// while a device of the contact has no known resource (recorded from a bare JID, or by an earlier version of
/// <see cref="FileTrustStore"/>; it may be that device): rejected as <see cref="TrustReason.Changed"/> (the
/// same device with a new key: a reinstall, or an attack);</item>
/// <item>an unknown fingerprint from a resource never seen for the contact: a new device, handled by the
/// store's <see cref="NewDevicePolicy"/>: by default trusted on first use with a notice
/// (<see cref="TrustReason.NewDevice"/>) while the contact is known by first use alone, and refused
/// (<see cref="TrustReason.NewDeviceNotConfirmed"/>) once it has a pinned fingerprint, until pinned;</item>
/// <item>beyond <c>MaxDevicesPerPeer</c> (32) devices of a contact, a new device is refused
/// (<see cref="TrustReason.TooManyDevices"/>); nothing is evicted.</item>
/// </list>
/// <para>
/// The limit: the resource string is chosen by the contact's client and server, so a server in the middle can
/// always present its own key as a "new device" of a contact. Telling a new device from a changed key helps
/// with honest servers; against a hostile one only pins (or SRP) protect, which is why a pinned contact's new
/// devices need confirmation. Conversely, a client that reuses one resource name on two devices makes the
/// second read as a changed key (clients usually add a random suffix, as two sessions cannot share a resource).
/// </para>
/// <para>
/// Pins are explicit decisions. Pinning a device keeps the contact's other devices (first-use ones stay
/// trusted, and are reported as such), but from then on new devices of the contact need confirmation. A
/// device is removed with <see cref="ForgetDeviceAsync"/>, a whole contact with <see cref="ForgetAsync"/>.
/// A device remembers at most 8 resources (the oldest is dropped, which only turns a later key change on that
/// resource into a new device). Fingerprints are compared in constant time. Implementations are thread-safe.
/// </para>
/// </remarks>
public interface ITrustStore
{
    /// <summary>Checks a presented fingerprint, recording it if it is trusted on first use.</summary>
    /// <param name="peer">The peer's full JID (the tunnel's remote address); a bare JID is accepted but gives
    /// no resource, so an unknown fingerprint of a known contact is then <see cref="TrustReason.Changed"/>.</param>
    /// <param name="presented">The fingerprint of the certificate the peer presented.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<TrustResult> VerifyAsync(Jid peer, Fingerprint presented, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pins a fingerprint for the contact: an explicit decision, e.g. after comparing fingerprints or accepting
    /// a new device or a changed key. The contact's other devices are kept.
    /// </summary>
    /// <param name="peer">The contact; if a full JID, its resource is remembered for the fingerprint.</param>
    /// <param name="fingerprint">The fingerprint to pin.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="InvalidOperationException">The contact already has the maximum number of devices on record.</exception>
    ValueTask PinAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Forgets everything known about the contact (reduced to its bare JID); returns whether there was anything.</summary>
    ValueTask<bool> ForgetAsync(Jid peer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets one device of the contact (reduced to its bare JID): its fingerprint, first-use or pinned, and the
    /// resources it was seen on; returns whether it was on record. The fingerprint is then unknown again.
    /// </summary>
    ValueTask<bool> ForgetDeviceAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default);
}
