namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// What a trust store does with an unknown fingerprint presented from a resource it has never seen for a
/// contact it already knows: a new device (another installation of the contact's client, with its own
/// certificate), as far as the protocol can tell.
/// </summary>
/// <remarks>
/// The resource is chosen by the contact's client and server, so a server in the middle can always present
/// a key of its own as a "new device". That is why a new device is a matter of policy, and why a contact with
/// a pinned fingerprint never gets a new device trusted automatically. Only applies with
/// <see cref="Trust.TrustOnFirstUse.Enabled"/>; without trust on first use every fingerprint must be pinned.
/// </remarks>
public enum NewDevicePolicy
{
    /// <summary>
    /// The default. A new device of a contact known only by first use is trusted on first use and reported as
    /// <see cref="TrustReason.NewDevice"/>, so the application can show a notice; a new device of a contact
    /// with any pinned fingerprint is refused as <see cref="TrustReason.NewDeviceNotConfirmed"/> until pinned.
    /// </summary>
    TrustOnFirstUse,

    /// <summary>
    /// Every new device is refused as <see cref="TrustReason.NewDeviceNotConfirmed"/> until pinned
    /// (<see cref="ITrustStore.PinAsync"/>, or a <see cref="PeerVerificationCallback"/> that accepts it).
    /// Only a contact's first fingerprint is trusted on first use.
    /// </summary>
    RequireConfirmation,
}
