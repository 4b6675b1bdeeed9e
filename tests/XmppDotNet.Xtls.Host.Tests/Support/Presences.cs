using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Tests.Support;

/// <summary>Presence stanzas as a server delivers them.</summary>
internal static class Presences
{
    public static XElement Available(string from, int? priority = null, string? show = null, string? status = null, XElement? caps = null)
    {
        var presence = new XElement(XName.Get("presence", XmppNamespaces.Client), new XAttribute("from", from), new XAttribute("to", "romeo@montague.lit/orchard"));
        if (show is not null)
        {
            presence.Add(new XElement(XName.Get("show", XmppNamespaces.Client), show));
        }

        if (status is not null)
        {
            presence.Add(new XElement(XName.Get("status", XmppNamespaces.Client), status));
        }

        if (priority is not null)
        {
            presence.Add(new XElement(XName.Get("priority", XmppNamespaces.Client), priority.Value));
        }

        if (caps is not null)
        {
            presence.Add(caps);
        }

        return presence;
    }

    public static XElement OfType(string from, string type) =>
        new(XName.Get("presence", XmppNamespaces.Client), new XAttribute("from", from), new XAttribute("type", type));

    public static XElement Caps(string? node, string? ver, string? hash)
    {
        var c = new XElement(XName.Get("c", XmppNamespaces.Caps));
        if (hash is not null)
        {
            c.SetAttributeValue("hash", hash);
        }

        if (node is not null)
        {
            c.SetAttributeValue("node", node);
        }

        if (ver is not null)
        {
            c.SetAttributeValue("ver", ver);
        }

        return c;
    }
}
