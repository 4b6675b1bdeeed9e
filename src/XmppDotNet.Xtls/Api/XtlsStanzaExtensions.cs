using System.Diagnostics.CodeAnalysis;
using System.Xml.Linq;

namespace XmppDotNet.Xtls;

/// <summary>Marks on stanzas: received through a tunnel, or to be sent in the clear.</summary>
public static class XtlsStanzaExtensions
{
    /// <summary>Whether the stanza arrived through an authenticated XTLS tunnel, and which.</summary>
    public static bool IsFromXtlsTunnel(this XElement stanza, [NotNullWhen(true)] out XtlsTunnel? tunnel)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        tunnel = stanza.Annotation<ReceivedThroughTunnel>()?.Tunnel;
        return tunnel is not null;
    }

    /// <summary>Whether the stanza arrived through an authenticated XTLS tunnel.</summary>
    public static bool IsFromXtlsTunnel(this XElement stanza) => stanza.IsFromXtlsTunnel(out _);

    /// <summary>
    /// Sends this stanza in the clear even if a tunnel to its recipient is open: an explicit choice,
    /// since by default every stanza to a peer with a tunnel goes through it.
    /// </summary>
    /// <returns>The same stanza.</returns>
    public static XElement SendInClear(this XElement stanza)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        if (stanza.Annotation<InClear>() is null)
        {
            stanza.AddAnnotation(InClear.Instance);
        }

        return stanza;
    }

    internal static bool IsMarkedInClear(this XElement stanza) => stanza.Annotation<InClear>() is not null;

    // A copy the contact layer planned for a tunnel: if the tunnel is gone when it is written, it fails instead of taking another path.
    internal static XElement OnlyThroughTunnel(this XElement stanza)
    {
        stanza.AddAnnotation(TunnelOnly.Instance);
        return stanza;
    }

    internal static bool IsOnlyThroughTunnel(this XElement stanza) => stanza.Annotation<TunnelOnly>() is not null;

    internal static void MarkReceived(this XElement stanza, XtlsTunnel tunnel) => stanza.AddAnnotation(new ReceivedThroughTunnel(tunnel));

    private sealed record ReceivedThroughTunnel(XtlsTunnel Tunnel);

    private sealed class InClear
    {
        public static readonly InClear Instance = new();
    }

    private sealed class TunnelOnly
    {
        public static readonly TunnelOnly Instance = new();
    }
}
