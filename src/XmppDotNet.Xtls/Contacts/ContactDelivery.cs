using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>A copy of a stanza to a contact that was delivered.</summary>
/// <param name="Resource">The full JID it went to (the bare JID for a message sent in the clear to a contact with no resource online).</param>
/// <param name="ThroughTunnel"><c>true</c>: acknowledged by the peer through its tunnel; <c>false</c>: written in the clear (see <see cref="ContactPolicy.Opportunistic"/>).</param>
public sealed record ContactDelivery(Jid Resource, bool ThroughTunnel);
