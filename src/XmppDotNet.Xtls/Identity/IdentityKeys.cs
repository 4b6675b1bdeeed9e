using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace XmppDotNet.Xtls.Identity;

/// <summary>Key generation, key type detection and key/certificate pairing checks for identities.</summary>
internal static class IdentityKeys
{
    private const int RsaGeneratedBits = 2048;
    private const int RsaMinimumBits = 2048;

    private static readonly X9ECParameters P256 = ECNamedCurveTable.GetByOid(SecObjectIdentifiers.SecP256r1);

    public static AsymmetricCipherKeyPair Generate(XtlsKeyType keyType, SecureRandom random)
    {
        IAsymmetricCipherKeyPairGenerator generator;
        switch (keyType)
        {
            case XtlsKeyType.EcdsaP256:
                generator = new ECKeyPairGenerator("EC");
                generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
                break;
            case XtlsKeyType.Ed25519:
                generator = new Ed25519KeyPairGenerator();
                generator.Init(new Ed25519KeyGenerationParameters(random));
                break;
            case XtlsKeyType.Rsa:
                generator = new RsaKeyPairGenerator();
                generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), random, RsaGeneratedBits, 100));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "Unknown key type.");
        }

        return generator.GenerateKeyPair();
    }

    /// <summary>The X.509 signature algorithm an identity of this type signs its own certificate with.</summary>
    public static string CertificateSignatureAlgorithm(XtlsKeyType keyType) => keyType switch
    {
        XtlsKeyType.EcdsaP256 => "SHA256WITHECDSA",
        XtlsKeyType.Ed25519 => "Ed25519",
        XtlsKeyType.Rsa => "SHA256WITHRSA",
        _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "Unknown key type."),
    };

    /// <summary>The key type of a private key, or an exception naming what is not supported.</summary>
    public static XtlsKeyType Detect(AsymmetricKeyParameter privateKey)
    {
        if (!privateKey.IsPrivate)
        {
            throw new XtlsIdentityException("The key is a public key, not a private key.");
        }

        return privateKey switch
        {
            ECPrivateKeyParameters ec when IsP256(ec.Parameters) => XtlsKeyType.EcdsaP256,
            ECPrivateKeyParameters => throw new XtlsIdentityException(
                "Only the P-256 (secp256r1) curve is supported for ECDSA identities."),
            Ed25519PrivateKeyParameters => XtlsKeyType.Ed25519,
            RsaKeyParameters rsa when rsa.Modulus.BitLength >= RsaMinimumBits => XtlsKeyType.Rsa,
            RsaKeyParameters rsa => throw new XtlsIdentityException(
                $"RSA keys need at least {RsaMinimumBits} bits; this one has {rsa.Modulus.BitLength}."),
            _ => throw new XtlsIdentityException(
                $"Unsupported key type {privateKey.GetType().Name}; use ECDSA P-256, Ed25519 or RSA."),
        };
    }

    /// <summary>Proves that the private key belongs to the certificate's public key by signing and verifying.</summary>
    public static void EnsurePair(AsymmetricKeyParameter privateKey, AsymmetricKeyParameter publicKey, XtlsKeyType keyType)
    {
        string algorithm = CertificateSignatureAlgorithm(keyType);
        byte[] challenge = new byte[32];
        new SecureRandom().NextBytes(challenge);
        bool matches;
        try
        {
            ISigner signer = SignerUtilities.GetSigner(algorithm);
            signer.Init(true, privateKey);
            signer.BlockUpdate(challenge, 0, challenge.Length);
            byte[] signature = signer.GenerateSignature();

            ISigner verifier = SignerUtilities.GetSigner(algorithm);
            verifier.Init(false, publicKey);
            verifier.BlockUpdate(challenge, 0, challenge.Length);
            matches = verifier.VerifySignature(signature);
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or CryptoException or InvalidKeyException)
        {
            throw new XtlsIdentityException("The private key does not belong to the certificate.", e);
        }

        if (!matches)
        {
            throw new XtlsIdentityException("The private key does not belong to the certificate.");
        }
    }

    private static bool IsP256(ECDomainParameters parameters) =>
        parameters.Curve.Equals(P256.Curve) && parameters.G.Equals(P256.G) && parameters.N.Equals(P256.N);
}
