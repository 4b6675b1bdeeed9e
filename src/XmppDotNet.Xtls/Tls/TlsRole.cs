namespace XmppDotNet.Xtls.Tls;

/// <summary>The TLS role of one end of a tunnel.</summary>
public enum TlsRole
{
    /// <summary>The TLS client: the initiator of the tunnel. It speaks first (ClientHello).</summary>
    Client,

    /// <summary>The TLS server: the responder of the tunnel. In <c>x509</c> it requires a client certificate.</summary>
    Server,
}
