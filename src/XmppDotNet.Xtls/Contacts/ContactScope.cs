using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>Which addresses the contact policies govern.</summary>
internal static class ContactScope
{
    /// <summary>
    /// Whether a recipient is another account: a JID with a localpart whose bare JID is not our own.
    /// Servers and components (no localpart) and our own other resources are not contacts.
    /// </summary>
    public static bool IsContact(Jid self, Jid recipient) => recipient.Local is not null && recipient.Bare != self.Bare;
}
