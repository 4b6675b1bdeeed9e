using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>Argument checks shared by the stores: the key is the bare JID, the fingerprint must not be empty.</summary>
internal static class TrustKeys
{
    public static string Of(Jid peer, Fingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (fingerprint.IsEmpty)
        {
            throw new ArgumentException("The fingerprint is empty.", nameof(fingerprint));
        }

        return peer.Bare.ToString();
    }
}
