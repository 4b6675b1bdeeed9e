using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>One available resource of a contact, as the fan-out sees it.</summary>
/// <param name="Jid">Its full JID.</param>
/// <param name="Support">What is known about its XTLS support.</param>
/// <param name="HasTunnel">Whether a tunnel to it is open or being set up.</param>
/// <param name="Detail">Why the support is unknown, when it is.</param>
internal sealed record ContactResource(Jid Jid, ResourceSupport Support, bool HasTunnel, string? Detail = null);
