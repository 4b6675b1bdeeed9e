namespace XmppDotNet.Xtls.Contacts;

/// <summary>
/// How messages and IQ requests to another account (a contact) are protected. Applies to JIDs with a
/// localpart other than this session's own account; servers, components and this account's other
/// resources are never affected.
/// </summary>
public enum ContactPolicy
{
    /// <summary>No automatic encryption: stanzas use a tunnel only if one is open to that full JID.</summary>
    Off,

    /// <summary>
    /// Through a tunnel to every resource that supports XTLS (opened on demand); in the clear only to a
    /// resource known not to support it. A message to a contact with no resource online goes to the bare
    /// JID in the clear, so that the server can store it offline.
    /// </summary>
    Opportunistic,

    /// <summary>Never in the clear: with no tunnel possible the send fails with a typed exception.</summary>
    Required,
}
