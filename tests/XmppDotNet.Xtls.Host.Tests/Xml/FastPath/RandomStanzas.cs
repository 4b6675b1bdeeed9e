using System.Text;

namespace XmppDotNet.Xtls.Host.Tests.Xml.FastPath;

/// <summary>
/// Random elements near the edges of the fast path's subset: names with and without prefixes (declared, inherited,
/// reserved, undeclared), namespace declarations, attribute values and text with entities, character references,
/// astral characters, whitespace and the characters XML treats specially. Most are well-formed, many are not.
/// </summary>
internal sealed class RandomStanzas(int seed)
{
    private static readonly string[] LocalNames = ["message", "body", "iq", "x", "a", "b", "_c", "d-e", "f.g", "h1", "xmlns", "xml", "space", "lang", "id", "to"];
    private static readonly string[] Prefixes = ["", "", "", "", "p", "q", "stream", "xml", "xmlns", "undeclared"];
    private static readonly string[] Namespaces = ["jabber:client", "urn:p", "urn:q", "", "http://etherx.jabber.org/streams", "http://www.w3.org/XML/1998/namespace", "http://www.w3.org/2000/xmlns/", "a&amp;b"];
    private static readonly string[] Whitespace = [" ", " ", " ", "  ", "\t", "\n", "\r\n", ""];
    private static readonly string[] Pieces =
    [
        "hello", "x", " ", "  ", "\t", "\n", "\r", "\r\n", "&amp;", "&lt;", "&gt;", "&apos;", "&quot;", "&#65;", "&#x41;", "&#x1F600;",
        "&#0;", "&#xD800;", "&#xFFFE;", "&#x110000;", "&#9;", "&#xA;", "&#13;", "&#X41;", "&#;", "&#x;", "&nbsp;", "&", "&amp",
        "<", ">", "]", "]]", "]]>", "'", "\"", "é", "€", "😀", "\uFFFD", "\u00A0", "\u0001", "\u007F", "\u0085", "\u2028", "\uFFFF", "\uFFFE",
        "<!--c-->", "<![CDATA[d]]>", "<?pi x?>", "&#00000065;", "&#x0000041;", "&#99999999999;", "=", "/",
    ];

    // Text every XML reader takes as it is, references included.
    private static readonly string[] Plain = ["text", "a b", "42", "ünï", "x", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#65;", "&#x1F600;", "😀", "€", " ", "\n", "\t", ">", "]"];

    private readonly Random _random = new(seed);

    // How often this element takes an unusual name or piece of text: none, some or many.
    private int _spice;

    public string Next()
    {
        _spice = _random.Next(3) * 8;
        var builder = new StringBuilder();
        Element(builder, _random.Next(1, 4), declaredP: false);
        if (_random.Next(20) == 0)
        {
            builder.Append(Pick(["", " ", "<a/>", "x", "<!--c-->"]));
        }

        return builder.ToString();
    }

    private void Element(StringBuilder builder, int depth, bool declaredP)
    {
        string name = QualifiedName();
        builder.Append('<').Append(name);
        int attributes = _random.Next(0, 5);
        for (int i = 0; i < attributes; i++)
        {
            builder.Append(_random.Next(15) == 0 ? string.Empty : " ").Append(Pick(Whitespace));
            string attributeName = _random.Next(3) switch
            {
                0 => "xmlns" + (_random.Next(2) == 0 ? string.Empty : ":" + (Spicy() ? Pick(["p", "q", "xml", "xmlns", "stream"]) : "p")),
                _ => QualifiedName(),
            };
            declaredP |= attributeName == "xmlns:p";
            string value = attributeName.StartsWith("xmlns", StringComparison.Ordinal) && _random.Next(3) > 0 ? (Spicy() ? Pick(Namespaces) : Pick(Namespaces[..4])) : Text(3);
            char quote = _random.Next(2) == 0 ? '\'' : '"';
            builder.Append(attributeName).Append(Pick(["", "", " "])).Append('=').Append(Pick(["", "", "\t"]))
                .Append(quote).Append(value).Append(quote);
        }

        builder.Append(Pick(Whitespace.Where(w => w.Length > 0 || _random.Next(2) == 0).ToArray()));
        if (depth == 0 || _random.Next(6) == 0)
        {
            builder.Append("/>");
            return;
        }

        builder.Append('>');
        int children = _random.Next(0, 4);
        for (int i = 0; i < children; i++)
        {
            if (_random.Next(2) == 0)
            {
                builder.Append(Text(6));
            }
            else
            {
                Element(builder, depth - 1, declaredP);
            }
        }

        if (_random.Next(3) == 0)
        {
            builder.Append(Text(4));
        }

        builder.Append("</").Append(_random.Next(40) == 0 ? QualifiedName() : name).Append(Pick(["", "", " ", "\n"])).Append('>');
    }

    private string QualifiedName()
    {
        string prefix = Spicy() ? Pick(Prefixes) : _spice == 0 ? string.Empty : Pick(["", "", "p", "stream"]);
        string local = Spicy() ? Pick(LocalNames) : Pick(LocalNames[..10]);
        return prefix.Length == 0 ? local : prefix + ":" + local;
    }

    private string Text(int maxPieces)
    {
        var builder = new StringBuilder();
        int count = _random.Next(0, maxPieces + 1);
        for (int i = 0; i < count; i++)
        {
            builder.Append(Spicy() ? Pick(Pieces) : Pick(Plain));
        }

        return builder.ToString();
    }

    private bool Spicy() => _random.Next(32) < _spice;

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
