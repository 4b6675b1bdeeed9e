namespace XmppDotNet.Xtls.Trust;

/// <summary>Why a <see cref="TrustResult"/> came out as it did.</summary>
public enum TrustReason
{
    /// <summary>The fingerprint is one the user pinned (explicitly or by accepting it when asked).</summary>
    Pinned,

    /// <summary>No fingerprint was known for the contact; this one has been recorded and trusted on first use.</summary>
    FirstUse,

    /// <summary>The fingerprint is one recorded on first use (of the contact or of one of its devices).</summary>
    KnownFingerprint,

    /// <summary>
    /// Rejected: an unknown fingerprint from a resource that presented a different one before (the same
    /// device with a new key: a reinstall, or an attack), or from a bare JID, which says nothing about the
    /// device, or while a device of the contact has no known resource and may be the one that changed.
    /// <see cref="TrustResult.Known"/> is the fingerprint expected instead.
    /// </summary>
    Changed,

    /// <summary>No fingerprint is known for the contact and trust on first use is disabled.</summary>
    NotPinned,

    /// <summary>The store rejected the fingerprint, the user accepted it, and it is now pinned.</summary>
    AcceptedByUser,

    /// <summary>The user refused a fingerprint the store would have trusted.</summary>
    RejectedByUser,

    /// <summary>
    /// Trusted, with a notice to show: an unknown fingerprint from a resource never seen for a contact known
    /// only by first use, recorded and trusted on first use as a new device (<see cref="NewDevicePolicy.TrustOnFirstUse"/>).
    /// A server in the middle could present its own key this way: tell the user.
    /// </summary>
    NewDevice,

    /// <summary>
    /// Rejected: an unknown fingerprint from a resource never seen for the contact, which has a pinned
    /// fingerprint (or the policy is <see cref="NewDevicePolicy.RequireConfirmation"/>, or trust on first use
    /// is disabled). Pin it to accept the device.
    /// </summary>
    NewDeviceNotConfirmed,

    /// <summary>
    /// Rejected: an unknown fingerprint from a new resource of a contact that already has the maximum number
    /// of devices on record. Forget one of them first (<see cref="ITrustStore.ForgetDeviceAsync"/>).
    /// </summary>
    TooManyDevices,
}
