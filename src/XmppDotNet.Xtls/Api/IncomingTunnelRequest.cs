using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls;

/// <summary>A peer asks to open a tunnel; the accept policy decides.</summary>
/// <param name="Peer">The peer's full JID.</param>
/// <param name="Offer">The peer's XEP-0250-style offer (its certificate fingerprint, SRP), or <c>null</c>.</param>
public sealed record IncomingTunnelRequest(Jid Peer, XtlsOffer? Offer);
