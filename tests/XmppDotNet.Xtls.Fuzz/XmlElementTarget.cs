using System.Globalization;
using System.Text;
using System.Text.Unicode;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Fuzz;

/// <summary>
/// The fast element reader against <see cref="System.Xml.XmlReader"/>: the first byte picks the namespaces in scope,
/// the rest is one element. Where the fast path builds an element it must be exactly the one XmlReader builds (names,
/// attributes in order, namespace declarations, nodes, empty or not); where XmlReader fails it must decline.
/// </summary>
internal static class XmlElementTarget
{
    private static readonly IReadOnlyList<KeyValuePair<string, string>>[] Scopes =
    [
        [new(string.Empty, "jabber:client")],
        [new(string.Empty, "jabber:client"), new("stream", "http://etherx.jabber.org/streams")],
        [new(string.Empty, "urn:p"), new("p", "urn:p"), new("q", "urn:q"), new("q", "urn:q2")],
        [],
    ];

    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        IReadOnlyList<KeyValuePair<string, string>> scope = Scopes[input[0] % Scopes.Length];
        byte[] element = input[1..];
        if (!Utf8.IsValid(element))
        {
            // ReadElement refuses invalid UTF-8 before either path sees it.
            return;
        }

        XElement? fast = FastElementReader.TryRead(element, scope);
        string full;
        try
        {
            full = Describe(RestrictedXmlReader.ReadElementWithXmlReader(element, element.Length, scope));
        }
        catch (XmlStreamException exception)
        {
            if (fast is not null)
            {
                throw new InvalidOperationException($"The fast path accepted what XmlReader rejects ({exception.Message}).");
            }

            return;
        }

        if (fast is null)
        {
            return;
        }

        ParsedElementNamespaces.Complete(fast, scope);
        string described = Describe(fast);
        if (described != full)
        {
            throw new InvalidOperationException($"The fast path read another element:\n  fast: {described}\n  full: {full}");
        }
    }

    // Strict: every name with its namespace, attributes in order, each node with its type, empty apart from "".
    private static string Describe(XElement element)
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
            if (node is XElement child)
            {
                Write(child, builder);
            }
            else
            {
                builder.Append(node.NodeType).Append('[').Append(Escape(node is XText text ? text.Value : node.ToString())).Append(']');
            }
        }

        builder.Append("</>");
    }

    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (c < 0x20 || char.IsSurrogate(c) || c is '[' or ']' or '\\')
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
