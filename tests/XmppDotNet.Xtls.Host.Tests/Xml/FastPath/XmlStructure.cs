using System.Text;
using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Tests.Xml.FastPath;

/// <summary>
/// A strict, readable description of an element tree for comparisons: every name with its namespace, attributes in
/// order (namespace declarations included), each node with its type, empty elements apart from empty content.
/// <see cref="XNode.DeepEquals"/> ignores attribute order; this does not.
/// </summary>
internal static class XmlStructure
{
    public static string Describe(XElement element)
    {
        var builder = new StringBuilder();
        Write(element, builder);
        return builder.ToString();
    }

    private static void Write(XElement element, StringBuilder builder)
    {
        builder.Append('<').Append(element.Name.ToString());
        foreach (XAttribute attribute in element.Attributes())
        {
            builder.Append(' ').Append(attribute.Name.ToString()).Append("=[").Append(Escape(attribute.Value)).Append(']');
        }

        if (element.IsEmpty)
        {
            builder.Append("/>");
            return;
        }

        builder.Append('>');
        foreach (XNode node in element.Nodes())
        {
            switch (node)
            {
                case XElement child:
                    Write(child, builder);
                    break;
                case XText text:
                    builder.Append(text.NodeType).Append('[').Append(Escape(text.Value)).Append(']');
                    break;
                default:
                    builder.Append(node.NodeType).Append('[').Append(Escape(node.ToString())).Append(']');
                    break;
            }
        }

        builder.Append("</>");
    }

    // Control characters and surrogates as code units, so that a difference shows in a message.
    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (c < 0x20 || char.IsSurrogate(c) || c is '[' or ']' or '\\')
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
