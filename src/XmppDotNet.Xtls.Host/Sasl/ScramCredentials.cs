using System.Security.Cryptography;
using System.Text;

namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>
/// What a SCRAM server stores for one user (RFC 5802 §3): salt, iteration count, StoredKey and ServerKey.
/// The password itself is not kept.
/// </summary>
public sealed class ScramCredentials
{
    /// <summary>The iteration count used when none is given (the RFC 7677 minimum).</summary>
    public const int DefaultIterations = 4096;

    /// <summary>The smallest iteration count <see cref="Create"/> accepts (RFC 7677 §4 recommends at least 4096).</summary>
    public const int MinIterations = 4096;

    /// <summary>The largest iteration count accepted, the same bound the client enforces.</summary>
    public const int MaxIterations = ScramClientMechanism.MaxIterations;

    /// <summary>The length of a generated salt in bytes.</summary>
    public const int DefaultSaltLength = 16;

    private readonly byte[] _salt;
    private readonly byte[] _storedKey;
    private readonly byte[] _serverKey;

    private ScramCredentials(ScramHash hash, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey)
    {
        Hash = hash;
        _salt = salt;
        Iterations = iterations;
        _storedKey = storedKey;
        _serverKey = serverKey;
    }

    /// <summary>The hash function the keys belong to.</summary>
    public ScramHash Hash { get; }

    /// <summary>The salt (a copy).</summary>
    public byte[] Salt => _salt.ToArray();

    /// <summary>The iteration count.</summary>
    public int Iterations { get; }

    /// <summary>StoredKey = H(HMAC(SaltedPassword, "Client Key")) (a copy).</summary>
    public byte[] StoredKey => _storedKey.ToArray();

    /// <summary>ServerKey = HMAC(SaltedPassword, "Server Key") (a copy).</summary>
    public byte[] ServerKey => _serverKey.ToArray();

    internal ReadOnlySpan<byte> SaltSpan => _salt;

    internal ReadOnlySpan<byte> StoredKeySpan => _storedKey;

    internal ReadOnlySpan<byte> ServerKeySpan => _serverKey;

    /// <summary>Derives the stored credentials from a password.</summary>
    /// <param name="hash">SHA-1 or SHA-256.</param>
    /// <param name="password">The password, prepared with SASLprep as the client does (as a query).</param>
    /// <param name="salt">The salt (at least one byte), or <c>null</c> for <see cref="DefaultSaltLength"/> random bytes.</param>
    /// <param name="iterations">The iteration count, in [<see cref="MinIterations"/>, <see cref="MaxIterations"/>].</param>
    /// <exception cref="ArgumentException">The salt is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The iteration count is out of bounds.</exception>
    /// <exception cref="SaslPrepException">SASLprep rejects the password.</exception>
    public static ScramCredentials Create(ScramHash hash, string password, byte[]? salt = null, int iterations = DefaultIterations)
    {
        ScramFunctions.ThrowIfUndefined(hash, nameof(hash));
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        if (salt is { Length: 0 })
        {
            throw new ArgumentException("The salt must not be empty.", nameof(salt));
        }

        byte[] saltCopy = salt?.ToArray() ?? RandomNumberGenerator.GetBytes(DefaultSaltLength);
        byte[] passwordBytes = Encoding.UTF8.GetBytes(SaslPrep.Prepare(password, allowUnassigned: true));
        byte[] saltedPassword = ScramFunctions.SaltedPassword(hash, passwordBytes, saltCopy, iterations);
        byte[] clientKey = ScramFunctions.ClientKey(hash, saltedPassword);
        byte[] storedKey = ScramFunctions.Hash(hash, clientKey);
        byte[] serverKey = ScramFunctions.ServerKey(hash, saltedPassword);
        ScramFunctions.Clear(passwordBytes, saltedPassword, clientKey);
        return new ScramCredentials(hash, saltCopy, iterations, storedKey, serverKey);
    }

    /// <summary>Rebuilds credentials from stored values (for example a user database), validating their shape.</summary>
    /// <exception cref="ArgumentException">The salt is empty or a key has the wrong length for the hash.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The iteration count is not in [1, <see cref="MaxIterations"/>].</exception>
    public static ScramCredentials FromStoredKeys(ScramHash hash, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey)
    {
        ScramFunctions.ThrowIfUndefined(hash, nameof(hash));
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentNullException.ThrowIfNull(storedKey);
        ArgumentNullException.ThrowIfNull(serverKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        if (salt.Length == 0)
        {
            throw new ArgumentException("The salt must not be empty.", nameof(salt));
        }

        int size = ScramFunctions.HashSize(hash);
        if (storedKey.Length != size)
        {
            throw new ArgumentException($"StoredKey must be {size} bytes for {ScramFunctions.MechanismName(hash)}.", nameof(storedKey));
        }

        if (serverKey.Length != size)
        {
            throw new ArgumentException($"ServerKey must be {size} bytes for {ScramFunctions.MechanismName(hash)}.", nameof(serverKey));
        }

        return new ScramCredentials(hash, salt.ToArray(), iterations, storedKey.ToArray(), serverKey.ToArray());
    }
}
