using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>The primitives of RFC 5802 §2.2 (H, HMAC, Hi) for each <see cref="ScramHash"/>.</summary>
[SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "SCRAM-SHA-1 is mandatory to implement in RFC 6120; HMAC-SHA-1 and PBKDF2-HMAC-SHA-1 are not broken by SHA-1 collisions.")]
internal static class ScramFunctions
{
    /// <summary>Throws unless the value is a member of <see cref="ScramHash"/>.</summary>
    internal static void ThrowIfUndefined(ScramHash hash, string parameterName)
    {
        if (hash is not (ScramHash.Sha1 or ScramHash.Sha256))
        {
            throw new ArgumentOutOfRangeException(parameterName, hash, "Unknown SCRAM hash.");
        }
    }

    /// <summary>The mechanism name for a hash.</summary>
    internal static string MechanismName(ScramHash hash) =>
        hash == ScramHash.Sha1 ? SaslMechanismNames.ScramSha1 : SaslMechanismNames.ScramSha256;

    /// <summary>The output length of the hash in bytes.</summary>
    internal static int HashSize(ScramHash hash) =>
        hash == ScramHash.Sha1 ? SHA1.HashSizeInBytes : SHA256.HashSizeInBytes;

    /// <summary>H(data).</summary>
    internal static byte[] Hash(ScramHash hash, ReadOnlySpan<byte> data) =>
        hash == ScramHash.Sha1 ? SHA1.HashData(data) : SHA256.HashData(data);

    /// <summary>HMAC(key, data).</summary>
    internal static byte[] Hmac(ScramHash hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        hash == ScramHash.Sha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    /// <summary>Hi(password, salt, i): PBKDF2 with the hash's HMAC and one block of output.</summary>
    internal static byte[] SaltedPassword(ScramHash hash, ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(
            password,
            salt,
            iterations,
            hash == ScramHash.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256,
            HashSize(hash));

    /// <summary>ClientKey = HMAC(SaltedPassword, "Client Key").</summary>
    internal static byte[] ClientKey(ScramHash hash, ReadOnlySpan<byte> saltedPassword) =>
        Hmac(hash, saltedPassword, "Client Key"u8);

    /// <summary>ServerKey = HMAC(SaltedPassword, "Server Key").</summary>
    internal static byte[] ServerKey(ScramHash hash, ReadOnlySpan<byte> saltedPassword) =>
        Hmac(hash, saltedPassword, "Server Key"u8);

    /// <summary>Overwrites each array with zeros (null entries are skipped).</summary>
    internal static void Clear(params byte[]?[] secrets)
    {
        foreach (byte[]? secret in secrets)
        {
            if (secret is not null)
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }
    }
}
