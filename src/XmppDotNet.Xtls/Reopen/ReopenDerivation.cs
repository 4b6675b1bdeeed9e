using System.Security.Cryptography;
using System.Text;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Reopen;

/// <summary>
/// How a re-open secret is derived from a tunnel and bound to what authenticated it: the exporter label and
/// context, the split of its output into key and PSK identity, and the SRP password binding.
/// </summary>
internal static class ReopenDerivation
{
    /// <summary>The TLS exporter label (RFC 8446 7.5).</summary>
    public const string ExporterLabel = "EXPORTER-XTLS-reopen";

    /// <summary>Key, then identity.</summary>
    public const int ExportLength = TlsReopenKey.KeyLength + IdentityLength;

    public const int IdentityLength = 16;

    private const int SaltLength = 16;
    private const int HashLength = 32;

    // Slow enough that a stolen store does not hand out the password cheaply, quick enough for a re-open.
    private const int Pbkdf2Iterations = 10_000;

    /// <summary>
    /// The exporter context: both bare JIDs in i;octet (ordinal byte) order, then the method's wire name, UTF-8,
    /// each followed by a zero byte. Both ends compute the same bytes whoever initiated.
    /// </summary>
    public static TlsExportRequest ExportRequest(Jid local, Jid peer, XtlsMethod method)
    {
        byte[] a = Encoding.UTF8.GetBytes(local.Bare.ToString());
        byte[] b = Encoding.UTF8.GetBytes(peer.Bare.ToString());
        if (a.AsSpan().SequenceCompareTo(b) > 0)
        {
            (a, b) = (b, a);
        }

        byte[] name = Encoding.UTF8.GetBytes(XtlsMethodNames.ToWire(method));
        byte[] context = [.. a, 0, .. b, 0, .. name, 0];
        return new TlsExportRequest(ExporterLabel, context, ExportLength);
    }

    /// <summary>Splits exported material into the re-open key; the material is cleared.</summary>
    public static TlsReopenKey KeyFrom(byte[] exported)
    {
        try
        {
            return new TlsReopenKey(exported.AsSpan(TlsReopenKey.KeyLength, IdentityLength), exported.AsSpan(0, TlsReopenKey.KeyLength));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(exported);
        }
    }

    /// <summary>A fresh salt and the PBKDF2-SHA256 hash of the password with it.</summary>
    public static byte[] BindPassword(ReadOnlySpan<char> password)
    {
        byte[] binding = new byte[SaltLength + HashLength];
        RandomNumberGenerator.Fill(binding.AsSpan(0, SaltLength));
        Hash(password, binding.AsSpan(0, SaltLength), binding.AsSpan(SaltLength));
        return binding;
    }

    /// <summary>Whether the password is the one bound, compared in constant time.</summary>
    public static bool MatchesPassword(ReadOnlySpan<byte> binding, ReadOnlySpan<char> password)
    {
        if (binding.Length != SaltLength + HashLength)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[HashLength];
        try
        {
            Hash(password, binding[..SaltLength], hash);
            return CryptographicOperations.FixedTimeEquals(hash, binding[SaltLength..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    private static void Hash(ReadOnlySpan<char> password, ReadOnlySpan<byte> salt, Span<byte> destination)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(password)];
        try
        {
            Encoding.UTF8.GetBytes(password, bytes);
            Rfc2898DeriveBytes.Pbkdf2(bytes, salt, destination, Pbkdf2Iterations, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
