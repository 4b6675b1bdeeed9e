using System.Text;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>
/// How many ciphertext bytes one <c>data</c> IQ of a tunnel may carry: what the path is known to accept. Without
/// an announced stanza limit that is the configured chunk size; with one, never more than fits it (every IQ
/// passes the local server first), and to a peer on the same server (then the only one on the path) a whole
/// TLS record, as far as the limit allows.
/// </summary>
/// <remarks>
/// Only a limit too small for the smallest chunk (about 700 bytes with short addresses, far below the 10,000 bytes
/// RFC 6120 §13.12 requires a server to accept) is exceeded: such a server cannot carry a tunnel anyway.
/// </remarks>
internal static class ChunkSizing
{
    /// <summary>What the IQ and <c>data</c> elements take around the Base64, besides the two addresses.</summary>
    internal const int EnvelopeBytes = 320;

    /// <summary>An address may grow this much in an attribute when every character is escaped (<c>"</c> as <c>&amp;quot;</c>).</summary>
    internal const int WorstEscapeFactor = 6;

    /// <summary>The raw bytes per <c>data</c> IQ for a tunnel between <paramref name="local"/> and <paramref name="remote"/>.</summary>
    /// <param name="options">The manager's options.</param>
    /// <param name="serverMaxStanzaBytes">The largest stanza the local server announced it accepts, or <see langword="null"/>.</param>
    /// <param name="local">This session's full JID.</param>
    /// <param name="remote">The peer's full JID.</param>
    public static int For(TunnelManagerOptions options, int? serverMaxStanzaBytes, Jid local, Jid remote)
    {
        if (serverMaxStanzaBytes is not { } limit)
        {
            return options.ChunkSize;
        }

        long envelope = EnvelopeBytes + (WorstEscapeFactor * ((long)Encoding.UTF8.GetByteCount(local.ToString()) + Encoding.UTF8.GetByteCount(remote.ToString())));
        long base64Room = limit - envelope;

        // Every 3 raw bytes take 4 Base64 characters. A limit below what even the smallest chunk needs (far below the
        // 10,000 bytes RFC 6120 requires a server to accept) leaves the smallest chunk.
        long fits = Math.Max(base64Room / 4 * 3, TunnelManagerOptions.MinChunkSize);

        // Grown only to a peer on the same domain: one on another is reached through its own server too, whose limit
        // nobody announced. The announced limit caps the configured size in any case.
        bool grow = options.UseStreamLimits && string.Equals(local.Domain, remote.Domain, StringComparison.OrdinalIgnoreCase);
        return (int)Math.Min(fits, grow ? TunnelManagerOptions.WholeRecordChunkSize : options.ChunkSize);
    }
}
