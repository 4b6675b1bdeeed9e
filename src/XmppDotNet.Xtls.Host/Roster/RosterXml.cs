using System.Diagnostics.CodeAnalysis;
using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>Reading and writing <c>jabber:iq:roster</c> items.</summary>
internal static class RosterXml
{
    public static readonly XName Query = XName.Get("query", XmppNamespaces.Roster);
    public static readonly XName Item = XName.Get("item", XmppNamespaces.Roster);
    public static readonly XName Group = XName.Get("group", XmppNamespaces.Roster);

    /// <summary>Reads an item; <paramref name="remove"/> tells a <c>subscription='remove'</c>.</summary>
    /// <returns><c>false</c> if the item has no valid JID or an unknown subscription value.</returns>
    public static bool TryRead(XElement element, [NotNullWhen(true)] out RosterItem? item, out bool remove)
    {
        item = null;
        remove = false;
        if (!Jid.TryParse((string?)element.Attribute("jid"), out Jid? jid) || jid.IsFull)
        {
            return false;
        }

        RosterSubscription subscription;
        switch ((string?)element.Attribute("subscription"))
        {
            case null or "none":
                subscription = RosterSubscription.None;
                break;
            case "to":
                subscription = RosterSubscription.To;
                break;
            case "from":
                subscription = RosterSubscription.From;
                break;
            case "both":
                subscription = RosterSubscription.Both;
                break;
            case "remove":
                subscription = RosterSubscription.None;
                remove = true;
                break;
            default:
                return false;
        }

        IReadOnlyList<string> groups = [.. element.Elements(Group).Select(g => g.Value).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal)];
        item = new RosterItem(jid, (string?)element.Attribute("name") is { Length: > 0 } name ? name : null, subscription, (string?)element.Attribute("ask") == "subscribe", groups);
        return true;
    }

    public static string Name(RosterSubscription subscription) => subscription switch
    {
        RosterSubscription.To => "to",
        RosterSubscription.From => "from",
        RosterSubscription.Both => "both",
        _ => "none",
    };

    /// <summary>An item element as a server sends it.</summary>
    public static XElement Write(RosterItem item)
    {
        var element = new XElement(Item, new XAttribute("jid", item.Jid.ToString()), new XAttribute("subscription", Name(item.Subscription)));
        if (item.Name is not null)
        {
            element.SetAttributeValue("name", item.Name);
        }

        if (item.AskSubscribe)
        {
            element.SetAttributeValue("ask", "subscribe");
        }

        element.Add(item.Groups.Select(g => new XElement(Group, g)));
        return element;
    }
}
