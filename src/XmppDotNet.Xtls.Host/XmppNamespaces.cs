namespace XmppDotNet.Xtls.Host;

/// <summary>XML namespaces of XMPP core (RFC 6120) and the extensions the host speaks.</summary>
public static class XmppNamespaces
{
    /// <summary>The default namespace of client streams and of the stanzas in them.</summary>
    public const string Client = "jabber:client";

    /// <summary>The namespace of the stream element and its prefix <c>stream:</c>.</summary>
    public const string Streams = "http://etherx.jabber.org/streams";

    /// <summary>STARTTLS negotiation.</summary>
    public const string Tls = "urn:ietf:params:xml:ns:xmpp-tls";

    /// <summary>SASL negotiation.</summary>
    public const string Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";

    /// <summary>Resource binding.</summary>
    public const string Bind = "urn:ietf:params:xml:ns:xmpp-bind";

    /// <summary>The legacy session establishment feature (RFC 3921), still announced by some servers.</summary>
    public const string Session = "urn:ietf:params:xml:ns:xmpp-session";

    /// <summary>Stream error conditions.</summary>
    public const string StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";

    /// <summary>Stanza error conditions.</summary>
    public const string StanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";

    /// <summary>Service discovery: information about an entity (XEP-0030).</summary>
    public const string DiscoInfo = "http://jabber.org/protocol/disco#info";

    /// <summary>XMPP Ping (XEP-0199).</summary>
    public const string Ping = "urn:xmpp:ping";

    /// <summary>Entity capabilities (XEP-0115).</summary>
    public const string Caps = "http://jabber.org/protocol/caps";

    /// <summary>Data forms (XEP-0004), used in extended service discovery information (XEP-0128).</summary>
    public const string DataForms = "jabber:x:data";

    /// <summary>Roster management (RFC 6121 §2).</summary>
    public const string Roster = "jabber:iq:roster";

    /// <summary>Stream management (XEP-0198), version 3.</summary>
    public const string StreamManagement = "urn:xmpp:sm:3";

    /// <summary>Stream limits advertisement (XEP-0478): the largest element a server accepts on a stream.</summary>
    public const string StreamLimits = "urn:xmpp:stream-limits:0";
}
