using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>Something the <see cref="TunnelManager"/> asks its driver to do or tells it, in order.</summary>
public abstract record TunnelOutput;

/// <summary>Send this IQ stanza (namespace <c>jabber:client</c>, <c>from</c> and <c>to</c> set) to the server.</summary>
/// <remarks>
/// A <c>data</c> IQ comes with its ciphertext apart: <see cref="Envelope"/> is the IQ with an empty <c>data</c>
/// element (<see cref="DataElement"/>) whose text is the Base64 of <see cref="DataPayload"/>, so that a driver can
/// write the Base64 straight into its output; <see cref="Stanza"/> builds the whole element (once) for anyone else.
/// </remarks>
/// <param name="Stanza">The stanza.</param>
public sealed record SendStanza(XElement Stanza) : TunnelOutput
{
    private readonly XElement _envelope = Stanza;
    private XElement? _whole;

    /// <summary>A <c>data</c> IQ: the envelope, its empty <c>data</c> element, and the ciphertext that is its text.</summary>
    internal SendStanza(XElement envelope, XElement dataElement, ReadOnlyMemory<byte> dataPayload)
        : this(envelope)
    {
        DataElement = dataElement;
        DataPayload = dataPayload;
    }

    /// <summary>The stanza, whole (for a <c>data</c> IQ, built from <see cref="Envelope"/> and <see cref="DataPayload"/> on first use).</summary>
    public XElement Stanza
    {
        get => DataElement is null ? _envelope : _whole ??= BuildWhole();
        init => _envelope = value;
    }

    /// <summary>The stanza; for a <c>data</c> IQ, without the text of <see cref="DataElement"/>.</summary>
    public XElement Envelope => _envelope;

    /// <summary>The empty <c>data</c> element inside <see cref="Envelope"/>, or <c>null</c> when this is not a <c>data</c> IQ.</summary>
    public XElement? DataElement { get; }

    /// <summary>The ciphertext whose Base64 is the text of <see cref="DataElement"/> (empty when there is none).</summary>
    public ReadOnlyMemory<byte> DataPayload { get; }

    private XElement BuildWhole()
    {
        var whole = new XElement(_envelope);
        whole.Element(DataElement!.Name)!.Value = XtlsBase64.Encode(DataPayload.Span);
        return whole;
    }
}

/// <summary>A peer asks for a tunnel: call <see cref="TunnelManager.Accept(Jid, XtlsOffer, DateTimeOffset)"/> or <see cref="TunnelManager.Refuse"/>.</summary>
/// <param name="Remote">The peer's full JID.</param>
/// <param name="Offer">The peer's offer, or <c>null</c>.</param>
public sealed record IncomingRequest(Jid Remote, XtlsOffer? Offer) : TunnelOutput
{
    /// <summary>The PSK identity of the peer's re-open offer (<c>reopen</c> in <c>start</c>), or <c>null</c>.</summary>
    public byte[]? ReopenIdentity { get; init; }
}

/// <summary>The peer accepted this side's <c>start</c>.</summary>
/// <param name="Remote">The peer's full JID.</param>
/// <param name="Offer">The peer's offer, or <c>null</c>.</param>
public sealed record ProceedReceived(Jid Remote, XtlsOffer? Offer) : TunnelOutput
{
    /// <summary>The re-open identity the peer echoed in <c>proceed</c> (it holds that key), or <c>null</c>.</summary>
    public byte[]? ReopenIdentity { get; init; }
}

/// <summary>
/// Both sides sent <c>start</c> at once and the peer's request won (its full JID sorts first): this
/// side's <see cref="TunnelManager.Open(Jid, string, XtlsOffer, DateTimeOffset)"/> became the responder of the peer's tunnel, accepted
/// automatically with the offer given to <c>Open</c>.
/// </summary>
/// <param name="Remote">The peer's full JID.</param>
/// <param name="Offer">The peer's offer, or <c>null</c>.</param>
public sealed record BecameResponder(Jid Remote, XtlsOffer? Offer) : TunnelOutput;

/// <summary>Create the TLS endpoint of this tunnel now: the initiator is the TLS client, the responder the TLS server.</summary>
/// <param name="Remote">The peer's full JID.</param>
/// <param name="AsClient">Whether this side is the TLS client.</param>
/// <param name="Method">The TLS method's wire name (<c>x509</c> or <c>srp</c>).</param>
public sealed record StartTls(Jid Remote, bool AsClient, string Method) : TunnelOutput;

/// <summary>
/// Ciphertext from the peer, in order, to be offered to the TLS endpoint. The data IQ that carried
/// it is answered only when the driver calls <see cref="TunnelManager.AcknowledgeData"/> after the TLS
/// layer has taken the bytes, so that an acknowledgement means the peer's data was accepted.
/// </summary>
/// <param name="Remote">The peer's full JID.</param>
/// <param name="Data">The bytes of one <c>data</c> chunk.</param>
/// <param name="IqId">The id of the data IQ, for <see cref="TunnelManager.AcknowledgeData"/>.</param>
public sealed record CiphertextReceived(Jid Remote, ReadOnlyMemory<byte> Data, string IqId) : TunnelOutput;

/// <summary>The peer acknowledged every byte up to the last one sent with this token.</summary>
/// <param name="Remote">The peer's full JID.</param>
/// <param name="Token">The token given to <see cref="TunnelManager.SendCiphertext"/>.</param>
public sealed record Acknowledged(Jid Remote, object Token) : TunnelOutput;

/// <summary>After a <see cref="TunnelBackpressureException"/>, the outbound queue has drained to half its bound: try again.</summary>
/// <param name="Remote">The peer's full JID.</param>
public sealed record SendCapacityAvailable(Jid Remote) : TunnelOutput;

/// <summary>
/// After <see cref="TunnelManager.IsSendWindowFull"/> returned <c>true</c>, the window has room again and nothing
/// waits in the queue: data held back to be written as one TLS record can be written now.
/// </summary>
/// <param name="Remote">The peer's full JID.</param>
public sealed record SendWindowOpen(Jid Remote) : TunnelOutput;

/// <summary>The tunnel is gone and forgotten; a new one to the same peer may be opened at once.</summary>
/// <param name="Remote">The peer's full JID.</param>
/// <param name="Reason">Why it ended.</param>
/// <param name="Detail">More about why, for logs (e.g. the stanza error condition), or <c>null</c>.</param>
/// <param name="Initiator">Whether this side was the initiator.</param>
/// <param name="UndeliveredTokens">Tokens whose bytes were not all acknowledged, in the order they were given.</param>
public sealed record TunnelEnded(Jid Remote, TunnelCloseReason Reason, string? Detail, bool Initiator, IReadOnlyList<object> UndeliveredTokens) : TunnelOutput;
