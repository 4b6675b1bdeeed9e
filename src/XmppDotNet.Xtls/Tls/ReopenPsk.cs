using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace XmppDotNet.Xtls.Tls;

/// <summary>Turns a <see cref="TlsReopenKey"/> into BouncyCastle's external PSK, on either side.</summary>
internal static class ReopenPsk
{
    /// <summary>
    /// TLS 1.3 suites whose hash matches the PSK's PRF (SHA-256): BouncyCastle's server does not yet constrain
    /// its suite choice to the selected PSK, so a peer holding a re-open key offers and accepts only these.
    /// </summary>
    public static readonly int[] Suites =
    [
        CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>The external PSK a client offers: a copy, since BouncyCastle clears the secret it is given.</summary>
    public static TlsPskExternal ForClient(BcTlsCrypto crypto, TlsReopenKey key) =>
        new BasicTlsPskExternal(key.CopyIdentity(), crypto.CreateSecret(key.CopyKey()));

    /// <summary>The external PSK a server selects: the key whose identity the client offered, or <c>null</c>.</summary>
    public static TlsPskExternal? Select(BcTlsCrypto crypto, TlsReopenKey? key, IList<PskIdentity>? offered)
    {
        if (key is null || offered is null)
        {
            return null;
        }

        foreach (PskIdentity identity in offered)
        {
            if (key.Matches(identity.Identity))
            {
                return new BasicTlsPskExternal(key.CopyIdentity(), crypto.CreateSecret(key.CopyKey()));
            }
        }

        return null;
    }
}
