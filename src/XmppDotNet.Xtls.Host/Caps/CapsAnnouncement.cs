using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Caps;

/// <summary>
/// An entity capabilities announcement (XEP-0115) as carried in presence:
/// <c>&lt;c xmlns='http://jabber.org/protocol/caps' hash='…' node='…' ver='…'/&gt;</c>.
/// </summary>
/// <param name="Node">The software's node URI.</param>
/// <param name="Ver">The verification string (Base64 of the hash).</param>
/// <param name="Hash">The hash algorithm's name as registered with IANA, e.g. <c>sha-1</c>.</param>
public sealed record CapsAnnouncement(string Node, string Ver, string Hash)
{
    /// <summary>The longest attribute value accepted; longer ones make the announcement ignored.</summary>
    internal const int MaxAttributeLength = 1024;

    /// <summary>The caps element of a presence stanza, if it is in the current form (all three attributes present).</summary>
    /// <returns>The announcement, or <c>null</c> if there is none, it lacks an attribute (the legacy form has no hash) or an attribute is empty or too long.</returns>
    internal static CapsAnnouncement? FromPresence(XElement presence)
    {
        XElement? c = presence.Element(XName.Get("c", XmppNamespaces.Caps));
        if (c is null)
        {
            return null;
        }

        string? node = (string?)c.Attribute("node");
        string? ver = (string?)c.Attribute("ver");
        string? hash = (string?)c.Attribute("hash");
        return IsUsable(node) && IsUsable(ver) && IsUsable(hash) ? new CapsAnnouncement(node!, ver!, hash!) : null;
    }

    private static bool IsUsable(string? value) => value is { Length: > 0 and <= MaxAttributeLength };
}
