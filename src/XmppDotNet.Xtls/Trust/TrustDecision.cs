namespace XmppDotNet.Xtls.Trust;

/// <summary>Whether a peer's certificate is trusted.</summary>
public enum TrustDecision
{
    /// <summary>Trusted: deliver what the tunnel carries.</summary>
    Trusted,

    /// <summary>Not trusted: close the tunnel without delivering anything.</summary>
    Rejected,
}
