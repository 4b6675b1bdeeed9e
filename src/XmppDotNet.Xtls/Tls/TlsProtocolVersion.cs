namespace XmppDotNet.Xtls.Tls;

/// <summary>A TLS protocol version, used as the lowest one an engine accepts.</summary>
public enum TlsProtocolVersion
{
    /// <summary>TLS 1.2 (RFC 5246), with ECDHE and AEAD suites only unless legacy suites are allowed.</summary>
    Tls12,

    /// <summary>TLS 1.3 (RFC 8446).</summary>
    Tls13,
}
