namespace XmppDotNet.Xtls.Tls;

/// <summary>How the two ends of an XTLS tunnel authenticate each other inside TLS.</summary>
/// <remarks>The wire names are in <see cref="XtlsMethodNames"/>. The 2008 text's <c>openpgp</c> method is not supported.</remarks>
public enum XtlsMethod
{
    /// <summary>
    /// <c>x509</c>: TLS 1.3 (1.2 if allowed) with mutual authentication by self-signed certificates, trusted by
    /// their SHA-256 fingerprints.
    /// </summary>
    X509,

    /// <summary><c>srp</c>: TLS 1.2 with SRP (RFC 5054): both ends prove knowledge of a shared password.</summary>
    Srp,
}
