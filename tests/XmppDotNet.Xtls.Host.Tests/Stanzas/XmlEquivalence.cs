using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Tests.Stanzas;

/// <summary>
/// Compares elements as XML infosets: names, attribute sets (order and namespace declarations
/// ignored), child elements in order, and text. XNode.DeepEquals also compares xmlns attributes
/// and attribute order, which differ between parsed and built trees without changing the meaning.
/// </summary>
internal static class XmlEquivalence
{
    internal static bool AreEquivalent(XElement a, XElement b)
    {
        if (a.Name != b.Name)
        {
            return false;
        }

        var attributesA = Attributes(a);
        var attributesB = Attributes(b);
        if (attributesA.Count != attributesB.Count || attributesA.Except(attributesB).Any())
        {
            return false;
        }

        XElement[] childrenA = a.Elements().ToArray();
        XElement[] childrenB = b.Elements().ToArray();
        if (childrenA.Length != childrenB.Length)
        {
            return false;
        }

        if (childrenA.Length == 0)
        {
            return a.Value == b.Value;
        }

        return childrenA.Zip(childrenB).All(pair => AreEquivalent(pair.First, pair.Second));
    }

    private static HashSet<(XName, string)> Attributes(XElement e) =>
        e.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => (a.Name, a.Value)).ToHashSet();
}
