using System.Xml.Linq;

namespace XmppDotNet.Xtls.Tests.Protocol;

/// <summary>XML equality that ignores attribute order and where namespaces are declared.</summary>
internal static class XmlEquivalence
{
    public static bool AreEquivalent(XElement a, XElement b)
    {
        if (a.Name != b.Name)
        {
            return false;
        }

        string[] attributesA = Attributes(a);
        string[] attributesB = Attributes(b);
        if (!attributesA.SequenceEqual(attributesB))
        {
            return false;
        }

        XElement[] childrenA = [.. a.Elements()];
        XElement[] childrenB = [.. b.Elements()];
        if (childrenA.Length == 0 && childrenB.Length == 0)
        {
            return a.Value == b.Value;
        }

        return childrenA.Length == childrenB.Length && childrenA.Zip(childrenB).All(pair => AreEquivalent(pair.First, pair.Second));
    }

    private static string[] Attributes(XElement element) =>
        [.. element.Attributes().Where(x => !x.IsNamespaceDeclaration).Select(x => $"{x.Name}={x.Value}").Order(StringComparer.Ordinal)];
}
