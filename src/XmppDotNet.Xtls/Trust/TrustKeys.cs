using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// Argument checks shared by the stores: a contact is keyed by its bare JID, the resource (if the JID is
/// full) says which device spoke, and the fingerprint must not be empty.
/// </summary>
internal static class TrustKeys
{
    public static (string Peer, string? Resource) Of(Jid peer, Fingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (fingerprint.IsEmpty)
        {
            throw new ArgumentException("The fingerprint is empty.", nameof(fingerprint));
        }

        return (peer.Bare.ToString(), peer.Resource);
    }
}
