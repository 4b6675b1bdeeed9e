using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>The outcome of checking a peer's certificate fingerprint against what is known about the peer.</summary>
/// <param name="Decision">Trusted or rejected.</param>
/// <param name="Reason">Why.</param>
/// <param name="Presented">The fingerprint the peer presented.</param>
/// <param name="Known">The fingerprint on record that matched, or for <see cref="TrustReason.Changed"/> the one
/// expected instead; <c>null</c> if nothing matched (a first use, a new device).</param>
public sealed record TrustResult(TrustDecision Decision, TrustReason Reason, Fingerprint Presented, Fingerprint? Known)
{
    /// <summary>Whether <see cref="Decision"/> is <see cref="TrustDecision.Trusted"/>.</summary>
    public bool IsTrusted => Decision == TrustDecision.Trusted;
}
