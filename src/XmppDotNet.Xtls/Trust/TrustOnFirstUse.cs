namespace XmppDotNet.Xtls.Trust;

/// <summary>Whether a trust store trusts (and records) the first fingerprint it sees for a peer.</summary>
public enum TrustOnFirstUse
{
    /// <summary>Only pinned fingerprints are trusted; an unknown peer is rejected with <see cref="TrustReason.NotPinned"/>.</summary>
    Disabled,

    /// <summary>The first fingerprint seen for a peer is recorded and trusted; a different one later is rejected.</summary>
    Enabled,
}
