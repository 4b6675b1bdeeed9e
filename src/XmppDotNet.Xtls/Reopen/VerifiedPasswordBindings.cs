using System.Security.Cryptography;
using System.Text;

namespace XmppDotNet.Xtls.Reopen;

/// <summary>
/// The SRP password bindings this process has already checked against a password, so that a re-open does not run
/// PBKDF2 again for a binding it made or verified itself with the same password. Held in memory only, never stored.
/// </summary>
/// <remarks>
/// An entry is HMAC-SHA256 under a random key of this process over the binding and the password: it says nothing
/// about the password without that key, and a changed password (or another binding) never matches one, so the check
/// falls back to PBKDF2 and fails as before. A new secret for an unchanged password takes the binding last made or
/// verified for it (<see cref="LatestFor"/>) instead of a fresh salt and PBKDF2 run. At most <see cref="Capacity"/>
/// entries of each kind; the oldest go first.
/// </remarks>
internal static class VerifiedPasswordBindings
{
    /// <summary>The most entries kept (32 bytes each).</summary>
    public const int Capacity = 1024;

    private const byte KnownKind = 0;
    private const byte LatestKind = 1;

    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly Lock Gate = new();
    private static readonly HashSet<Tag> Known = [];
    private static readonly Queue<Tag> Order = new();
    private static readonly Dictionary<Tag, byte[]> LatestByPassword = [];
    private static readonly Queue<Tag> PasswordOrder = new();

    /// <summary>Remembers that <paramref name="binding"/> was made or verified with <paramref name="password"/> for <paramref name="peer"/>.</summary>
    public static void Remember(ReadOnlySpan<byte> binding, ReadOnlySpan<char> password, string peer)
    {
        Tag tag = TagOf(KnownKind, binding, password, string.Empty);
        Tag passwordTag = TagOf(LatestKind, [], password, peer);
        byte[] copy = binding.ToArray();
        lock (Gate)
        {
            if (!LatestByPassword.ContainsKey(passwordTag))
            {
                PasswordOrder.Enqueue(passwordTag);
                if (PasswordOrder.Count > Capacity)
                {
                    LatestByPassword.Remove(PasswordOrder.Dequeue());
                }
            }

            LatestByPassword[passwordTag] = copy;
            if (!Known.Add(tag))
            {
                return;
            }

            Order.Enqueue(tag);
            if (Order.Count > Capacity)
            {
                Known.Remove(Order.Dequeue());
            }
        }
    }

    /// <summary>
    /// A binding this process made or verified with this very password for this peer, to bind a new secret without
    /// PBKDF2: the binding of an unchanged password tells nothing a fresh one would not. Kept per peer, so that peers
    /// sharing a password do not share a binding (which would show that they do).
    /// </summary>
    public static byte[]? LatestFor(ReadOnlySpan<char> password, string peer)
    {
        Tag passwordTag = TagOf(LatestKind, [], password, peer);
        lock (Gate)
        {
            return LatestByPassword.TryGetValue(passwordTag, out byte[]? binding) ? (byte[])binding.Clone() : null;
        }
    }

    /// <summary>Whether <paramref name="binding"/> was made or verified in this process with this very password.</summary>
    public static bool Contains(ReadOnlySpan<byte> binding, ReadOnlySpan<char> password)
    {
        Tag tag = TagOf(KnownKind, binding, password, string.Empty);
        lock (Gate)
        {
            return Known.Contains(tag);
        }
    }

    // The kind, the peer (UTF-8, then a zero byte, which no JID contains), the binding, then the password.
    private static Tag TagOf(byte kind, ReadOnlySpan<byte> binding, ReadOnlySpan<char> password, string peer)
    {
        int peerLength = Encoding.UTF8.GetByteCount(peer);
        int length = 1 + peerLength + 1 + binding.Length + Encoding.UTF8.GetByteCount(password);
        byte[] input = new byte[length];
        Span<byte> mac = stackalloc byte[32];
        try
        {
            input[0] = kind;
            Encoding.UTF8.GetBytes(peer, input.AsSpan(1));
            int offset = 1 + peerLength + 1;
            binding.CopyTo(input.AsSpan(offset));
            Encoding.UTF8.GetBytes(password, input.AsSpan(offset + binding.Length));
            HMACSHA256.HashData(Key, input, mac);
            return new Tag(
                BitConverter.ToUInt64(mac),
                BitConverter.ToUInt64(mac[8..]),
                BitConverter.ToUInt64(mac[16..]),
                BitConverter.ToUInt64(mac[24..]));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(mac);
        }
    }

    private readonly record struct Tag(ulong A, ulong B, ulong C, ulong D);
}
