using System.Text.Unicode;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml.FastPath;

/// <summary>What the fast path and the XmlReader path each make of the same bytes.</summary>
internal sealed record ReadOutcome(string? Fast, string Full)
{
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Fragment = [new(string.Empty, "jabber:client")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> Stream =
    [
        new(string.Empty, "jabber:client"),
        new("stream", "http://etherx.jabber.org/streams"),
    ];

    /// <summary>Whether the fast path built an element (rather than declining).</summary>
    public bool Accepted => Fast is not null;

    /// <summary>Reads the bytes (valid UTF-8) both ways; an error is described by its stream error condition.</summary>
    public static ReadOutcome Of(byte[] utf8, IReadOnlyList<KeyValuePair<string, string>> namespaces)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw new ArgumentException("The fast path takes valid UTF-8 only.", nameof(utf8));
        }

        string? fast = null;
        XElement? element = FastElementReader.TryRead(utf8, namespaces);
        if (element is not null)
        {
            fast = Completed(element, namespaces);
        }

        string full;
        try
        {
            full = XmlStructure.Describe(RestrictedXmlReader.ReadElementWithXmlReader(utf8, utf8.Length, namespaces));
        }
        catch (XmlStreamException exception)
        {
            full = "error: " + exception.Condition;
        }

        return new ReadOutcome(fast, full);
    }

    private static string Completed(XElement element, IReadOnlyList<KeyValuePair<string, string>> namespaces)
    {
        try
        {
            ParsedElementNamespaces.Complete(element, namespaces);
            return XmlStructure.Describe(element);
        }
        catch (XmlStreamException exception)
        {
            return "error: " + exception.Condition;
        }
    }
}
