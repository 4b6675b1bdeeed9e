using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>A copy of a stanza to one resource of a contact that was not delivered.</summary>
/// <param name="Resource">The resource's full JID (the bare JID when no resource was online).</param>
/// <param name="Reason">Why.</param>
/// <param name="Detail">More about why, for people.</param>
/// <param name="Cause">The underlying exception (an <see cref="XtlsTunnelException"/>, a disco#info error), or <c>null</c>.</param>
public sealed record ContactCopyFailure(Jid Resource, ContactSendFailureReason Reason, string Detail, Exception? Cause = null);
