namespace XmppDotNet.Xtls.Identity;

/// <summary>The key algorithm of an <see cref="XtlsIdentity"/>.</summary>
public enum XtlsKeyType
{
    /// <summary>ECDSA on NIST P-256 (secp256r1), signing with SHA-256. The default: fast and universally supported.</summary>
    EcdsaP256,

    /// <summary>Ed25519 (RFC 8032). The fastest; supported by current TLS stacks.</summary>
    Ed25519,

    /// <summary>
    /// RSA, 2048 bits when generated (loaded keys must have at least 2048). Slow to generate; needed only by
    /// the legacy <c>TLS_RSA_WITH_3DES_EDE_CBC_SHA</c> suite, which requires an RSA server certificate.
    /// </summary>
    Rsa,
}
