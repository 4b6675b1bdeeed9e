using System.Xml.Linq;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Pipeline;

/// <summary>What <see cref="InnerStanzaDecoder"/> made of one element of a tunnel's decrypted stream.</summary>
internal abstract record InnerStanzaResult;

/// <summary>A <c>jabber:client</c> stanza from the tunnel's peer to this side, with <c>from</c> and <c>to</c> set to the tunnel's ends.</summary>
internal sealed record InnerStanzaAccepted(XElement Stanza) : InnerStanzaResult;

/// <summary>A stanza dropped for its addresses; the tunnel goes on.</summary>
internal sealed record InnerStanzaRejected(XtlsRejection Rejection, string StanzaName) : InnerStanzaResult;

/// <summary>The decrypted stream broke a rule: the tunnel must end, and the decoder accepts nothing more.</summary>
internal sealed record InnerStanzaFailed(TunnelCloseReason Reason, string Detail) : InnerStanzaResult;
