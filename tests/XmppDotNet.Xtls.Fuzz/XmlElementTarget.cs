using System.Text.Unicode;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Tests.Xml.FastPath;
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
            full = XmlStructure.Describe(RestrictedXmlReader.ReadElementWithXmlReader(element, element.Length, scope));
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
        string described = XmlStructure.Describe(fast);
        if (described != full)
        {
            throw new InvalidOperationException($"The fast path read another element:\n  fast: {described}\n  full: {full}");
        }
    }
}
