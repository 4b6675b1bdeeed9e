namespace XmppDotNet.Xtls.Trust;

/// <summary>How a fingerprint came to be on record for a peer.</summary>
internal enum TrustSource
{
    /// <summary>Recorded automatically the first time the peer was seen.</summary>
    FirstUse,

    /// <summary>Pinned by an explicit decision.</summary>
    Pinned,
}
