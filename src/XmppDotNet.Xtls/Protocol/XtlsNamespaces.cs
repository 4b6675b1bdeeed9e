namespace XmppDotNet.Xtls.Protocol;

/// <summary>XML namespaces of XTLS and of the offers that may ride in its <c>start</c> and <c>proceed</c>.</summary>
public static class XtlsNamespaces
{
    /// <summary>The XTLS protocol: <c>start</c>, <c>proceed</c>, <c>data</c>, <c>close</c>, <c>closed</c>.</summary>
    public const string Xtls = "urn:xmpp:tmp:xtls";

    /// <summary>Client-to-client TLS offers (XEP-0250): the <c>offer</c> element.</summary>
    public const string C2cTls = "urn:xmpp:tmp:c2ctls";

    /// <summary>Public key information inside an offer: the <c>keyinfo</c> element.</summary>
    public const string PubKey = "urn:xmpp:tmp:pubkey";
}
