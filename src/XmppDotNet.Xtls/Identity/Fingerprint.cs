using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace XmppDotNet.Xtls.Identity;

/// <summary>
/// The SHA-256 fingerprint of a DER-encoded X.509 certificate: how XTLS peers recognise each other.
/// </summary>
/// <remarks>
/// The text form is upper-case hex in colon-separated pairs, as <c>openssl x509 -noout -fingerprint -sha256</c>
/// prints it. Equality is constant-time. <c>default(Fingerprint)</c> is the empty fingerprint: it equals only
/// itself, formats as the empty string and has an empty <see cref="AsSpan"/>.
/// </remarks>
public readonly struct Fingerprint : IEquatable<Fingerprint>
{
    /// <summary>The length of a SHA-256 fingerprint in bytes.</summary>
    public const int Length = 32;

    private const int HexDigits = Length * 2;
    private const int ColonFormLength = HexDigits + Length - 1;

    private readonly byte[]? _bytes;

    private Fingerprint(byte[] bytes) => _bytes = bytes;

    /// <summary>Whether this is <c>default(Fingerprint)</c>, which stands for no fingerprint.</summary>
    public bool IsEmpty => _bytes is null;

    /// <summary>The fingerprint of a DER-encoded certificate.</summary>
    /// <param name="certificateDer">The certificate exactly as sent in the TLS handshake.</param>
    /// <exception cref="ArgumentException">The input is empty.</exception>
    public static Fingerprint Of(ReadOnlySpan<byte> certificateDer)
    {
        if (certificateDer.IsEmpty)
        {
            throw new ArgumentException("A certificate cannot be empty.", nameof(certificateDer));
        }

        return new Fingerprint(SHA256.HashData(certificateDer));
    }

    /// <summary>A fingerprint from its 32 raw bytes.</summary>
    /// <exception cref="ArgumentException">The input is not 32 bytes long.</exception>
    public static Fingerprint FromBytes(ReadOnlySpan<byte> sha256)
    {
        if (sha256.Length != Length)
        {
            throw new ArgumentException($"A SHA-256 fingerprint has {Length} bytes, not {sha256.Length}.", nameof(sha256));
        }

        return new Fingerprint(sha256.ToArray());
    }

    /// <summary>
    /// Parses 64 hex digits, either run together or in colon-separated pairs, in any case; surrounding
    /// white space is ignored.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <c>null</c>.</exception>
    /// <exception cref="FormatException">The text is not a SHA-256 fingerprint.</exception>
    public static Fingerprint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out Fingerprint fingerprint))
        {
            throw new FormatException(
                "A fingerprint is 64 hex digits, run together or in colon-separated pairs (AB:CD:...).");
        }

        return fingerprint;
    }

    /// <summary>Parses a fingerprint as <see cref="Parse"/> does, returning <c>false</c> instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Fingerprint fingerprint)
    {
        fingerprint = default;
        if (text is null)
        {
            return false;
        }

        ReadOnlySpan<char> span = text.AsSpan().Trim();
        bool colons = span.Length == ColonFormLength;
        if (!colons && span.Length != HexDigits)
        {
            return false;
        }

        var bytes = new byte[Length];
        int stride = colons ? 3 : 2;
        for (int i = 0; i < Length; i++)
        {
            int at = i * stride;
            if (colons && i > 0 && span[at - 1] != ':')
            {
                return false;
            }

            int high = HexValue(span[at]);
            int low = HexValue(span[at + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            bytes[i] = (byte)((high << 4) | low);
        }

        fingerprint = new Fingerprint(bytes);
        return true;
    }

    /// <summary>The 32 bytes of the fingerprint (empty for <c>default(Fingerprint)</c>).</summary>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>Upper-case hex in colon-separated pairs (<c>AB:CD:...</c>); empty for <c>default(Fingerprint)</c>.</summary>
    public override string ToString()
    {
        if (_bytes is null)
        {
            return string.Empty;
        }

        return string.Create(ColonFormLength, _bytes, static (chars, bytes) =>
        {
            const string digits = "0123456789ABCDEF";
            for (int i = 0; i < bytes.Length; i++)
            {
                int at = i * 3;
                chars[at] = digits[bytes[i] >> 4];
                chars[at + 1] = digits[bytes[i] & 0xF];
                if (i < bytes.Length - 1)
                {
                    chars[at + 2] = ':';
                }
            }
        });
    }

    /// <summary>Upper-case hex without separators (64 characters); empty for <c>default(Fingerprint)</c>.</summary>
    public string ToCompactString() => _bytes is null ? string.Empty : Convert.ToHexString(_bytes);

    /// <summary>Constant-time comparison of the two fingerprints.</summary>
    public bool Equals(Fingerprint other)
    {
        if (_bytes is null || other._bytes is null)
        {
            return _bytes is null && other._bytes is null;
        }

        return CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Fingerprint other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _bytes is null ? 0 : BitConverter.ToInt32(_bytes, 0);

    /// <summary>Constant-time equality.</summary>
    public static bool operator ==(Fingerprint left, Fingerprint right) => left.Equals(right);

    /// <summary>Constant-time inequality.</summary>
    public static bool operator !=(Fingerprint left, Fingerprint right) => !left.Equals(right);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}
