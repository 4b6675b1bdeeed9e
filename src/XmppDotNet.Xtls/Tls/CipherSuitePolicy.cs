using System.Globalization;
using Org.BouncyCastle.Tls;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// The one place that says what the engine offers and accepts: protocol versions, cipher suites, groups and
/// signature algorithms, plus the IANA names of what it can negotiate.
/// </summary>
internal static class CipherSuitePolicy
{
    private static readonly int[] Tls13Suites =
    [
        CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];

    // TLS 1.2: forward secret ECDHE with AEAD only. Ed25519 keys use the ECDSA suites (RFC 8422).
    private static readonly int[] Tls12EcdsaSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    private static readonly int[] Tls12RsaSuites =
    [
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    // The 2008 text's mandatory suite; TLS_DH_RSA_WITH_AES_256_CBC_SHA is left out because BouncyCastle
    // cannot negotiate static-DH suites.
    private static readonly int[] LegacySuites = [CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA];

    private static readonly int[] SrpSuites =
    [
        CipherSuite.TLS_SRP_SHA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_SRP_SHA_WITH_AES_128_CBC_SHA,
    ];

    private static readonly Dictionary<int, string> SuiteNames = new()
    {
        [CipherSuite.TLS_AES_128_GCM_SHA256] = "TLS_AES_128_GCM_SHA256",
        [CipherSuite.TLS_AES_256_GCM_SHA384] = "TLS_AES_256_GCM_SHA384",
        [CipherSuite.TLS_CHACHA20_POLY1305_SHA256] = "TLS_CHACHA20_POLY1305_SHA256",
        [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256] = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384] = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        [CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256] = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256] = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        [CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384] = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        [CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256] = "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        [CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA] = "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        [CipherSuite.TLS_SRP_SHA_WITH_AES_256_CBC_SHA] = "TLS_SRP_SHA_WITH_AES_256_CBC_SHA",
        [CipherSuite.TLS_SRP_SHA_WITH_AES_128_CBC_SHA] = "TLS_SRP_SHA_WITH_AES_128_CBC_SHA",
    };

    /// <summary>Key exchange groups: X25519 first, P-256 for peers without it.</summary>
    public static readonly int[] Groups = [NamedGroup.x25519, NamedGroup.secp256r1];

    /// <summary>
    /// Signature algorithms accepted from the peer (handshake signatures and the self-signature of its
    /// certificate) and offered to it.
    /// </summary>
    public static readonly IList<SignatureAndHashAlgorithm> SignatureAlgorithms =
    [
        SignatureAndHashAlgorithm.ed25519,
        SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
        SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
        SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
        SignatureAndHashAlgorithm.rsa_pss_rsae_sha384,
        SignatureAndHashAlgorithm.rsa_pss_pss_sha256,
        SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
        SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha384, SignatureAlgorithm.rsa),
    ];

    public static bool UsesLegacy(TlsEngineOptions options) =>
        options.Method == XtlsMethod.X509 && options.AllowLegacyCipherSuites;

    public static ProtocolVersion[] Versions(TlsEngineOptions options)
    {
        if (options.Method == XtlsMethod.Srp)
        {
            return ProtocolVersion.TLSv12.Only();
        }

        return options.MinimumVersion == TlsProtocolVersion.Tls13
            ? ProtocolVersion.TLSv13.Only()
            : ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12);
    }

    /// <summary>The client cannot know the server's key type, so it offers the TLS 1.2 suites for both.</summary>
    public static int[] X509ClientSuites(TlsEngineOptions options)
    {
        var suites = new List<int>(Tls13SuitesFor(options));
        if (options.MinimumVersion == TlsProtocolVersion.Tls12)
        {
            suites.AddRange(Tls12EcdsaSuites);
            suites.AddRange(Tls12RsaSuites);
            if (UsesLegacy(options))
            {
                suites.AddRange(LegacySuites);
            }
        }

        return [.. suites];
    }

    /// <summary>BouncyCastle's TLS 1.2 suite selection ignores the key type, so the list is filtered by it.</summary>
    public static int[] X509ServerSuites(TlsEngineOptions options, XtlsKeyType keyType)
    {
        var suites = new List<int>(Tls13SuitesFor(options));
        if (options.MinimumVersion == TlsProtocolVersion.Tls12)
        {
            if (keyType == XtlsKeyType.Rsa)
            {
                suites.AddRange(Tls12RsaSuites);
                if (UsesLegacy(options))
                {
                    suites.AddRange(LegacySuites);
                }
            }
            else
            {
                suites.AddRange(Tls12EcdsaSuites);
            }
        }

        return [.. suites];
    }

    // With a re-open key, only the suites whose hash is the PSK's (SHA-256): see ReopenPsk.Suites.
    private static int[] Tls13SuitesFor(TlsEngineOptions options) => options.ReopenKey is null ? Tls13Suites : ReopenPsk.Suites;

    public static int[] SrpCipherSuites() => (int[])SrpSuites.Clone();

    public static string SuiteName(int cipherSuite) =>
        SuiteNames.TryGetValue(cipherSuite, out string? name)
            ? name
            : string.Create(CultureInfo.InvariantCulture, $"0x{cipherSuite:X4}");

    public static string VersionName(ProtocolVersion version)
    {
        if (ProtocolVersion.TLSv13.Equals(version))
        {
            return "TLSv1.3";
        }

        return ProtocolVersion.TLSv12.Equals(version) ? "TLSv1.2" : version.ToString();
    }
}
