using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Tls;

/// <summary>Turns an <see cref="XtlsIdentity"/> into the BouncyCastle credentials one handshake needs.</summary>
internal static class IdentityCredentials
{
    private static readonly SignatureAndHashAlgorithm EcdsaSha256 =
        SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private static readonly SignatureAndHashAlgorithm RsaPkcs1Sha256 =
        SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa);

    /// <summary>
    /// Credentials that sign with the identity's key, using the first algorithm the key supports that the peer
    /// listed; <c>null</c> if there is none.
    /// </summary>
    /// <param name="context">The connection.</param>
    /// <param name="crypto">The connection's crypto provider.</param>
    /// <param name="identity">This end's identity.</param>
    /// <param name="peerAlgorithms">The peer's signature_algorithms (<c>null</c>: the peer sent none).</param>
    /// <param name="certificateRequestContext">In TLS 1.3 the client echoes the server's request context.</param>
    public static TlsCredentialedSigner? Signer(
        TlsContext context,
        BcTlsCrypto crypto,
        XtlsIdentity identity,
        IList<SignatureAndHashAlgorithm>? peerAlgorithms,
        byte[]? certificateRequestContext)
    {
        bool tls13 = TlsUtilities.IsTlsV13(context);
        SignatureAndHashAlgorithm? algorithm = Choose(identity.KeyType, tls13, peerAlgorithms);
        if (algorithm is null)
        {
            return null;
        }

        Certificate certificate = CertificateOf(crypto, identity, tls13, certificateRequestContext);
        return new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context), crypto, identity.PrivateKey, certificate, algorithm);
    }

    /// <summary>RSA key-transport credentials for the legacy <c>TLS_RSA_WITH_3DES_EDE_CBC_SHA</c> suite.</summary>
    public static TlsCredentialedDecryptor RsaDecryptor(BcTlsCrypto crypto, XtlsIdentity identity)
    {
        if (identity.PrivateKey is not RsaKeyParameters)
        {
            throw new TlsFatalAlert(AlertDescription.internal_error, "RSA key exchange needs an RSA identity.");
        }

        return new BcDefaultTlsCredentialedDecryptor(
            crypto, CertificateOf(crypto, identity, tls13: false, null), identity.PrivateKey);
    }

    private static Certificate CertificateOf(BcTlsCrypto crypto, XtlsIdentity identity, bool tls13, byte[]? requestContext)
    {
        // The identity's parsed certificate is shared by every connection that presents it: parsing the DER
        // again per handshake left a copy of the whole ASN.1 tree in each open tunnel.
        TlsCertificate certificate = new BcTlsCertificate(crypto, identity.Certificate.CertificateStructure);
        return tls13
            ? new Certificate(requestContext ?? TlsUtilities.EmptyBytes, [new CertificateEntry(certificate, null)])
            : new Certificate([certificate]);
    }

    private static SignatureAndHashAlgorithm? Choose(
        XtlsKeyType keyType, bool tls13, IList<SignatureAndHashAlgorithm>? peerAlgorithms)
    {
        SignatureAndHashAlgorithm[] preferred = keyType switch
        {
            XtlsKeyType.EcdsaP256 => [EcdsaSha256],
            XtlsKeyType.Ed25519 => [SignatureAndHashAlgorithm.ed25519],
            XtlsKeyType.Rsa when tls13 => [SignatureAndHashAlgorithm.rsa_pss_rsae_sha256, SignatureAndHashAlgorithm.rsa_pss_rsae_sha384],
            XtlsKeyType.Rsa => [SignatureAndHashAlgorithm.rsa_pss_rsae_sha256, RsaPkcs1Sha256],
            _ => [],
        };

        if (peerAlgorithms is null)
        {
            // A TLS 1.2 peer without signature_algorithms; TLS 1.3 always sends them.
            return tls13 || preferred.Length == 0 ? null : preferred[^1];
        }

        return preferred.FirstOrDefault(peerAlgorithms.Contains);
    }
}
