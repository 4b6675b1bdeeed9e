using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>Reads and checks the <c>stream:stream</c> start tag that opens an XMPP stream (RFC 6120 §4.7–4.8).</summary>
internal static class StreamHeaderReader
{
    /// <summary>The qualified name the stream element must have (RFC 6120 §4.8.5).</summary>
    public static ReadOnlySpan<byte> QualifiedName => "stream:stream"u8;

    private static readonly IReadOnlyList<KeyValuePair<string, string>> NoNamespaces = [];

    /// <summary>Parses the header and returns it with the namespace declarations it puts in scope.</summary>
    /// <param name="startTag">The tag, from '&lt;' to '&gt;'.</param>
    /// <param name="nameLength">The length of the element name in bytes.</param>
    /// <param name="isEmptyElementTag">Whether the tag ended with '/&gt;'.</param>
    /// <param name="expectedDefaultNamespace">The content namespace the header must declare.</param>
    /// <exception cref="XmlStreamException">The header is malformed or not an XMPP stream header.</exception>
    public static (StreamHeader Header, IReadOnlyList<KeyValuePair<string, string>> Namespaces) Read(
        ReadOnlySpan<byte> startTag, int nameLength, bool isEmptyElementTag, string expectedDefaultNamespace)
    {
        XElement element = RestrictedXmlReader.ReadStartTag(startTag, isEmptyElementTag, NoNamespaces);
        if (element.Name.NamespaceName != XmppNamespaces.Streams)
        {
            throw new XmlStreamException(
                StreamErrorConditions.InvalidNamespace,
                $"The stream element is in the namespace '{element.Name.NamespaceName}', not '{XmppNamespaces.Streams}'.");
        }

        if (element.Name.LocalName != "stream")
        {
            throw new XmlStreamException(
                StreamErrorConditions.BadFormat, $"The stream opens with '{element.Name.LocalName}' instead of 'stream'.");
        }

        if (!startTag.Slice(1, nameLength).SequenceEqual(QualifiedName))
        {
            throw new XmlStreamException(
                StreamErrorConditions.BadNamespacePrefix, "The stream element must use the prefix 'stream'.");
        }

        if (isEmptyElementTag)
        {
            throw new XmlStreamException(StreamErrorConditions.BadFormat, "The stream header is an empty element.");
        }

        var namespaces = new List<KeyValuePair<string, string>>();
        string? defaultNamespace = null;
        foreach (XAttribute attribute in element.Attributes())
        {
            if (!attribute.IsNamespaceDeclaration)
            {
                continue;
            }

            string prefix = attribute.Name.Namespace == XNamespace.Xmlns ? attribute.Name.LocalName : string.Empty;
            namespaces.Add(new KeyValuePair<string, string>(prefix, attribute.Value));
            if (prefix.Length == 0)
            {
                defaultNamespace = attribute.Value;
            }
        }

        if (defaultNamespace != expectedDefaultNamespace)
        {
            throw new XmlStreamException(
                StreamErrorConditions.InvalidNamespace,
                $"The stream's content namespace is '{defaultNamespace}', not '{expectedDefaultNamespace}'.");
        }

        var header = new StreamHeader(
            From: (string?)element.Attribute("from"),
            To: (string?)element.Attribute("to"),
            Id: (string?)element.Attribute("id"),
            Version: (string?)element.Attribute("version"),
            Lang: (string?)element.Attribute(XNamespace.Xml + "lang"),
            DefaultNamespace: defaultNamespace);
        return (header, namespaces);
    }
}
