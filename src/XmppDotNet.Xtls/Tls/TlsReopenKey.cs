using System.Security.Cryptography;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// A re-open secret for the TLS layer: a TLS 1.3 external pre-shared key and the identity it is offered
/// under. The client offers it (psk_dhe_ke only, so every re-opened connection still gets fresh
/// Diffie-Hellman keys); the server accepts it when the client offers this identity.
/// </summary>
/// <remarks>
/// The instance keeps private copies of both arrays. <see cref="Dispose"/> zeroes them; the engine makes its own
/// copies for BouncyCastle (which clears them in turn), so disposing the key after <see cref="TlsEngine.Create"/>
/// is safe. The key is never logged or written into a <see cref="object.ToString"/>.
/// </remarks>
public sealed class TlsReopenKey : IDisposable
{
    /// <summary>The length of the key, in bytes (an HKDF-SHA256 input: the PSK's PRF is SHA-256).</summary>
    public const int KeyLength = 32;

    /// <summary>The shortest identity accepted, in bytes: shorter ones could be guessed.</summary>
    public const int MinIdentityLength = 16;

    /// <summary>The longest identity accepted, in bytes.</summary>
    public const int MaxIdentityLength = 64;

    private readonly byte[] _identity;
    private readonly byte[] _key;
    private bool _disposed;

    /// <summary>Creates a key from copies of <paramref name="identity"/> and <paramref name="key"/>.</summary>
    /// <param name="identity">The PSK identity, <see cref="MinIdentityLength"/> to <see cref="MaxIdentityLength"/> bytes.</param>
    /// <param name="key">The secret, exactly <see cref="KeyLength"/> bytes.</param>
    /// <exception cref="ArgumentException">A length is out of range.</exception>
    public TlsReopenKey(ReadOnlySpan<byte> identity, ReadOnlySpan<byte> key)
    {
        if (identity.Length is < MinIdentityLength or > MaxIdentityLength)
        {
            throw new ArgumentException($"A re-open identity has {MinIdentityLength} to {MaxIdentityLength} bytes.", nameof(identity));
        }

        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"A re-open key has {KeyLength} bytes.", nameof(key));
        }

        _identity = identity.ToArray();
        _key = key.ToArray();
    }

    /// <summary>The PSK identity (not secret: it travels in the ClientHello).</summary>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public ReadOnlySpan<byte> Identity
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _identity;
        }
    }

    /// <summary>Whether <paramref name="identity"/> is this key's identity, compared in constant time.</summary>
    /// <param name="identity">An identity a client offered.</param>
    public bool Matches(ReadOnlySpan<byte> identity) =>
        !_disposed && CryptographicOperations.FixedTimeEquals(identity, _identity);

    /// <summary>
    /// Copies the secret into <paramref name="destination"/>, for a store that keeps it elsewhere (encrypted at rest,
    /// as sensitive as a session key). Nothing else reads it.
    /// </summary>
    /// <param name="destination">At least <see cref="KeyLength"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public void CopyKeyTo(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < KeyLength)
        {
            throw new ArgumentException($"The destination needs {KeyLength} bytes.", nameof(destination));
        }

        _key.CopyTo(destination);
    }

    /// <summary>Zeroes the identity and the key.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_identity);
        CryptographicOperations.ZeroMemory(_key);
    }

    /// <summary>A fresh copy of the secret, for a BouncyCastle secret that takes ownership of (and clears) its array.</summary>
    internal byte[] CopyKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_key.Clone();
    }

    /// <summary>A fresh copy of the identity.</summary>
    internal byte[] CopyIdentity()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_identity.Clone();
    }
}
