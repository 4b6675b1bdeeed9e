using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// Makes a parsed element stand on its own: its names may use prefixes the stream header declared, which the
/// element itself does not carry. LINQ to XML then serializes such a name with the default namespace, and
/// throws where the element redeclares that one (<c>&lt;stream:x xmlns='urn:y'/&gt;</c> inside a stanza).
/// </summary>
internal static class ParsedElementNamespaces
{
    /// <summary>Rejects names XML forbids, and declares, where needed, the stream's prefixes an element relies on.</summary>
    /// <param name="root">The element as loaded.</param>
    /// <param name="inherited">The namespace declarations of the stream in scope while it was parsed.</param>
    /// <exception cref="XmlStreamException">An element is named with the reserved prefix <c>xmlns</c>.</exception>
    public static void Complete(XElement root, IReadOnlyList<KeyValuePair<string, string>> inherited)
    {
        foreach (XElement element in root.DescendantsAndSelf())
        {
            XNamespace ns = element.Name.Namespace;
            if (ns == XNamespace.Xmlns)
            {
                throw new XmlStreamException(StreamErrorConditions.NotWellFormed, "An element is named with the reserved prefix 'xmlns'.");
            }

            if (NeedsPrefix(element))
            {
                string? prefix = inherited
                    .Where(d => d.Key.Length > 0 && d.Value == ns.NamespaceName && element.GetNamespaceOfPrefix(d.Key) is null)
                    .Select(d => d.Key)
                    .FirstOrDefault();
                if (prefix is not null)
                {
                    element.SetAttributeValue(XNamespace.Xmlns + prefix, ns.NamespaceName);
                }
            }
        }
    }

    // The element's namespace has no prefix inside the tree, and its own default namespace declaration is another.
    private static bool NeedsPrefix(XElement element)
    {
        XNamespace ns = element.Name.Namespace;
        XAttribute? ownDefault = element.Attribute("xmlns");
        return ns != XNamespace.None
            && ownDefault is not null
            && ownDefault.Value != ns.NamespaceName
            && element.GetPrefixOfNamespace(ns) is null;
    }
}
