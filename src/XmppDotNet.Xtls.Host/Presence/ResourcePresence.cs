using XmppDotNet.Xtls.Host.Caps;

namespace XmppDotNet.Xtls.Host.Presence;

/// <summary>The current presence of one available resource of a contact.</summary>
/// <param name="Jid">The resource's full JID.</param>
/// <param name="Priority">The announced priority (-128 to 127; 0 when absent or invalid).</param>
/// <param name="Show">The availability sub-state (<c>away</c>, <c>chat</c>, <c>dnd</c> or <c>xa</c>), or <c>null</c> for plain available.</param>
/// <param name="Status">The first status text, cut to <see cref="PresenceBook.MaxStatusLength"/> characters, or <c>null</c>.</param>
/// <param name="Caps">The entity capabilities announcement, or <c>null</c> when the presence carried none (or only the legacy form without a hash).</param>
/// <param name="Since">When the resource became available (kept across later presence changes of the same resource).</param>
public sealed record ResourcePresence(Jid Jid, int Priority, string? Show, string? Status, CapsAnnouncement? Caps, DateTimeOffset Since);
