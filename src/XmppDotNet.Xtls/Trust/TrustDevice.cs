using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>One device of a contact in a <see cref="TrustBook"/>: a fingerprint, how it came to be trusted, and where it was seen.</summary>
internal sealed class TrustDevice
{
    public TrustDevice(Fingerprint fingerprint, TrustSource source)
    {
        Fingerprint = fingerprint;
        Source = source;
    }

    public Fingerprint Fingerprint { get; }

    public TrustSource Source { get; set; }

    /// <summary>The resources the fingerprint was presented from, most recently added first; empty if unknown.</summary>
    public List<string> Resources { get; } = [];
}
