namespace XmppDotNet.Xtls.Trust;

/// <summary>Why a <see cref="TrustResult"/> came out as it did.</summary>
public enum TrustReason
{
    /// <summary>The fingerprint is one the user pinned (explicitly or by accepting it when asked).</summary>
    Pinned,

    /// <summary>No fingerprint was known for the peer; this one has been recorded and trusted on first use.</summary>
    FirstUse,

    /// <summary>The fingerprint is the one recorded on first use.</summary>
    KnownFingerprint,

    /// <summary>The peer presented a different fingerprint from the one(s) known: a new device, a reinstall, or an attack.</summary>
    Changed,

    /// <summary>No fingerprint is known for the peer and trust on first use is disabled.</summary>
    NotPinned,

    /// <summary>The store rejected the fingerprint, the user accepted it, and it is now pinned.</summary>
    AcceptedByUser,

    /// <summary>The user refused a fingerprint the store would have trusted.</summary>
    RejectedByUser,
}
