namespace XmppDotNet.Xtls.Host.Pipeline;

/// <summary>
/// Names of the handlers in an XMPP client pipeline, head to tail.
/// </summary>
/// <remarks>
/// A connection's pipeline holds <see cref="Tls"/>, <see cref="XmlDecoder"/>, <see cref="XmlEncoder"/>,
/// <see cref="Negotiation"/> and <see cref="StreamManagement"/>; the session's pipeline above it
/// (<see cref="Session.ISession.Channel"/>) holds <see cref="Caps"/>, the plugins' handlers and <see cref="StanzaHandler"/>.
/// Plugins place their handlers explicitly, normally just before <see cref="StanzaHandler"/>:
/// the stanza handler consumes what reaches it, so anything appended after it would see nothing.
/// </remarks>
public static class XmppPipelineNames
{
    /// <summary>The TLS handler added by STARTTLS (absent before it and on in-memory transports).</summary>
    public const string Tls = "tls";

    /// <summary>Bytes to stream events.</summary>
    public const string XmlDecoder = "xml-decoder";

    /// <summary>Stream events and stanzas to bytes.</summary>
    public const string XmlEncoder = "xml-encoder";

    /// <summary>Stream negotiation: header, STARTTLS, SASL, resource binding, stream errors.</summary>
    public const string Negotiation = "negotiation";

    /// <summary>
    /// Last handler of a connection's pipeline: XEP-0198 counting and acks, and the bridge to the session's
    /// pipeline (<see cref="Session.ISession.Channel"/>), which outlives a resumed connection.
    /// </summary>
    public const string StreamManagement = "stream-management";

    /// <summary>Outbound only: adds our entity capabilities (XEP-0115) to available presence.</summary>
    public const string Caps = "caps";

    /// <summary>Stanza dispatch: IQ correlation, predicate handlers, the application.</summary>
    public const string StanzaHandler = "stanza-handler";
}
