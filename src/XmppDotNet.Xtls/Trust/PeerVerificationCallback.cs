using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// Asks the application (typically the user) about a peer's fingerprint after the trust store has given its
/// verdict (e.g. <see cref="TrustReason.NewDevice"/> to announce, <see cref="TrustReason.NewDeviceNotConfirmed"/>
/// to confirm). Returning <c>true</c> accepts: a rejected fingerprint is then pinned. Returning <c>false</c>
/// refuses: a fingerprint the store trusted is vetoed (and a first-use record is undone). See
/// <see cref="PeerTrust.VerifyAsync"/>.
/// </summary>
/// <param name="peer">The peer's full JID (its resource names the device), as given to <see cref="PeerTrust.VerifyAsync"/>.</param>
/// <param name="presented">The fingerprint the peer presented.</param>
/// <param name="storeResult">What the trust store decided, with the fingerprint it knew if any.</param>
/// <param name="cancellationToken">Cancelled when the tunnel gives up waiting.</param>
public delegate ValueTask<bool> PeerVerificationCallback(
    Jid peer, Fingerprint presented, TrustResult storeResult, CancellationToken cancellationToken);
