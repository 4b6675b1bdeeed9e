using System.Buffers;
using System.Text;
using System.Text.Unicode;
using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// Builds an <see cref="XElement"/> straight from UTF-8 bytes for the plain XML stanzas are made of, and declines
/// (returns <c>null</c>) on everything else, which <see cref="RestrictedXmlReader"/> then reads with
/// <see cref="System.Xml.XmlReader"/>. What it accepts it builds exactly as <c>XElement.Load</c> over that reader
/// would: the same names, attributes in document order (namespace declarations included), text and empty content.
/// </summary>
/// <remarks>
/// The subset: one element and nothing around it; ASCII NCNames with at most one colon; a prefix declared in the
/// element or its ancestors, passed in, or <c>xml</c> (but no element in the <c>xml</c> or <c>xmlns</c> prefix, no
/// element named <c>xmlns</c>, no <c>xml:space</c>, no declaration of a reserved prefix or namespace, no prefixed
/// declaration of the empty namespace); at most <see cref="MaxAttributes"/> attributes per element, none twice, and <see cref="MaxDeclarations"/> namespace
/// declarations in scope;
/// attribute values without '&lt;', TAB, LF or CR; text without CR or <c>]]&gt;</c>; only the predefined entities
/// and character references to XML characters; no comment, processing instruction, CDATA section or DOCTYPE;
/// every character an XML character. The input must already be valid UTF-8.
/// </remarks>
internal ref struct FastElementReader
{
    /// <summary>More attributes on one element are left to the full reader (the duplicate check here is quadratic).</summary>
    public const int MaxAttributes = 32;

    /// <summary>Deeper nesting is left to the full reader; the stream parser's depth limit is far lower.</summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// More namespace declarations in scope at once are left to the full reader (the lookup here is linear, and
    /// XmlReader hashes them).
    /// </summary>
    public const int MaxDeclarations = 64;

    private const string XmlNamespaceName = "http://www.w3.org/XML/1998/namespace";
    private const string XmlnsNamespaceName = "http://www.w3.org/2000/xmlns/";

    private static readonly XName XmlnsAttributeName = XNamespace.None + "xmlns";

    private readonly ReadOnlySpan<byte> _utf8;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _inherited;

    // The open elements, innermost last; the attributes and content of each, in order, from its ItemsStart;
    // the namespace declarations of the open elements; the attributes of the start tag being read.
    private readonly List<Frame> _frames = [];
    private readonly List<object> _items = [];
    private readonly List<KeyValuePair<string, XNamespace>> _bindings = [];
    private readonly List<RawAttribute> _attributes = [];
    private int _position;
    private XElement? _root;

    private FastElementReader(ReadOnlySpan<byte> utf8, IReadOnlyList<KeyValuePair<string, string>> inherited)
    {
        _utf8 = utf8;
        _inherited = inherited;
    }

    /// <summary>Reads one element, or returns <c>null</c> if the bytes are not in the subset (well-formed or not).</summary>
    /// <param name="utf8">The element's bytes, valid UTF-8.</param>
    /// <param name="inherited">The namespace declarations in scope (prefix "" for the default namespace), later ones shadowing earlier.</param>
    public static XElement? TryRead(ReadOnlySpan<byte> utf8, IReadOnlyList<KeyValuePair<string, string>> inherited)
    {
        foreach (KeyValuePair<string, string> declaration in inherited)
        {
            if (declaration.Key is "xml" or "xmlns" || IsReservedNamespace(declaration.Value) || (declaration.Key.Length > 0 && declaration.Value.Length == 0))
            {
                return null;
            }
        }

        if (utf8.IsEmpty || utf8[0] != (byte)'<')
        {
            return null;
        }

        var reader = new FastElementReader(utf8, inherited);
        return reader.Read();
    }

    private XElement? Read()
    {
        if (!ReadStartTag())
        {
            return null;
        }

        while (_frames.Count > 0)
        {
            if (!ReadText() || _position + 1 >= _utf8.Length)
            {
                return null;
            }

            bool ok = _utf8[_position + 1] == (byte)'/' ? ReadEndTag() : ReadStartTag();
            if (!ok)
            {
                return null;
            }
        }

        return _position == _utf8.Length ? _root : null;
    }

    // At '<': the name, attributes and '>' or '/>'. An empty-element tag closes at once.
    private bool ReadStartTag()
    {
        int nameStart = _position + 1;
        int nameLength = QualifiedNameLength(nameStart, out int colon);
        if (nameLength <= 0 || _frames.Count == MaxDepth)
        {
            return false;
        }

        _position = nameStart + nameLength;
        _attributes.Clear();
        bool isEmpty;
        while (true)
        {
            bool spaced = SkipWhitespace();
            if (_position >= _utf8.Length)
            {
                return false;
            }

            byte b = _utf8[_position];
            if (b == (byte)'>')
            {
                _position++;
                isEmpty = false;
                break;
            }

            if (b == (byte)'/')
            {
                if (_position + 1 >= _utf8.Length || _utf8[_position + 1] != (byte)'>')
                {
                    return false;
                }

                _position += 2;
                isEmpty = true;
                break;
            }

            if (!spaced || _attributes.Count == MaxAttributes || !ReadAttribute())
            {
                return false;
            }
        }

        int bindingsBefore = _bindings.Count;
        if (!Declare() || !TryResolveElementName(nameStart, nameLength, colon, out XName? name))
        {
            return false;
        }

        var frame = new Frame(name, nameStart, nameLength, _items.Count, _attributes.Count, bindingsBefore);
        foreach (RawAttribute attribute in _attributes)
        {
            if (!TryResolveAttributeName(attribute, out XName? attributeName))
            {
                return false;
            }

            for (int i = frame.ItemsStart; i < _items.Count; i++)
            {
                if (((XAttribute)_items[i]).Name == attributeName)
                {
                    return false;
                }
            }

            _items.Add(new XAttribute(attributeName, attribute.Value));
        }

        _frames.Add(frame);
        if (isEmpty)
        {
            Close(isEmptyElementTag: true);
        }

        return true;
    }

    // At "</": the open element's name, optional whitespace and '>'.
    private bool ReadEndTag()
    {
        Frame frame = _frames[^1];
        int nameStart = _position + 2;
        ReadOnlySpan<byte> openName = _utf8.Slice(frame.NameStart, frame.NameLength);
        if (!_utf8[nameStart..].StartsWith(openName))
        {
            return false;
        }

        _position = nameStart + frame.NameLength;
        SkipWhitespace();
        if (_position >= _utf8.Length || _utf8[_position] != (byte)'>')
        {
            return false;
        }

        _position++;
        Close(isEmptyElementTag: false);
        return true;
    }

    // As XElement.Load does: content as one object list, and a start and end tag with nothing between as empty text.
    private void Close(bool isEmptyElementTag)
    {
        Frame frame = _frames[^1];
        _frames.RemoveAt(_frames.Count - 1);
        int count = _items.Count - frame.ItemsStart;
        if (!isEmptyElementTag && count == frame.AttributeCount)
        {
            _items.Add(string.Empty);
            count++;
        }

        XElement element;
        switch (count)
        {
            case 0:
                element = new XElement(frame.Name);
                break;
            case 1:
                element = new XElement(frame.Name, _items[frame.ItemsStart]);
                break;
            default:
                var content = new object[count];
                _items.CopyTo(frame.ItemsStart, content, 0, count);
                element = new XElement(frame.Name, content);
                break;
        }

        _items.RemoveRange(frame.ItemsStart, count);
        _bindings.RemoveRange(frame.BindingsBefore, _bindings.Count - frame.BindingsBefore);
        if (_frames.Count == 0)
        {
            _root = element;
        }
        else
        {
            _items.Add(element);
        }
    }

    // Name S? '=' S? value, at the name.
    private bool ReadAttribute()
    {
        int nameStart = _position;
        int nameLength = QualifiedNameLength(nameStart, out int colon);
        if (nameLength <= 0)
        {
            return false;
        }

        _position += nameLength;
        SkipWhitespace();
        if (_position >= _utf8.Length || _utf8[_position] != (byte)'=')
        {
            return false;
        }

        _position++;
        SkipWhitespace();
        if (_position >= _utf8.Length)
        {
            return false;
        }

        byte quote = _utf8[_position];
        SearchValues<byte> stops;
        if (quote == (byte)'"')
        {
            stops = Utf8XmlSyntax.QuoteValueStops;
        }
        else if (quote == (byte)'\'')
        {
            stops = Utf8XmlSyntax.ApostropheValueStops;
        }
        else
        {
            return false;
        }

        if (!TryDecode(_position + 1, stops, quote, out string? value, out int end))
        {
            return false;
        }

        _position = end + 1;
        _attributes.Add(new RawAttribute(nameStart, nameLength, colon, value));
        return true;
    }

    // Character data up to the next '<', added as one string if there is any.
    private bool ReadText()
    {
        if (_position < _utf8.Length && _utf8[_position] == (byte)'<')
        {
            return true;
        }

        if (!TryDecode(_position, Utf8XmlSyntax.TextStops, (byte)'<', out string? text, out int end))
        {
            return false;
        }

        _items.Add(text);
        _position = end;
        return true;
    }

    // Decodes from start to the terminator, which is one of the stops. Text without references is decoded in one go.
    private readonly bool TryDecode(int start, SearchValues<byte> stops, byte terminator, out string value, out int end)
    {
        value = string.Empty;
        end = start;
        char[]? chars = null;
        int written = 0;
        int segment = start;
        int position = start;
        try
        {
            while (true)
            {
                int found = _utf8[position..].IndexOfAny(stops);
                if (found < 0)
                {
                    return false;
                }

                position += found;
                byte b = _utf8[position];
                if (b == terminator)
                {
                    break;
                }

                if (b == (byte)'&')
                {
                    if (chars is null)
                    {
                        // UTF-16 never needs more chars than UTF-8 has bytes, nor a reference more chars than its bytes.
                        int length = _utf8[position..].IndexOf(terminator);
                        if (length < 0)
                        {
                            return false;
                        }

                        chars = ArrayPool<char>.Shared.Rent(position + length - start);
                    }

                    written += Transcode(_utf8[segment..position], chars.AsSpan(written));
                    (int consumed, int count) = Utf8XmlSyntax.DecodeReference(_utf8[position..], chars.AsSpan(written));
                    if (consumed == 0)
                    {
                        return false;
                    }

                    written += count;
                    position += consumed;
                    segment = position;
                    continue;
                }

                bool allowed = b == (byte)']' ? !_utf8[position..].StartsWith("]]>"u8) : b == 0xEF && !Utf8XmlSyntax.IsNonCharacterAt(_utf8, position);
                if (!allowed)
                {
                    return false;
                }

                position++;
            }

            if (chars is null)
            {
                value = Encoding.UTF8.GetString(_utf8[start..position]);
            }
            else
            {
                written += Transcode(_utf8[segment..position], chars.AsSpan(written));
                value = new string(chars, 0, written);
            }

            end = position;
            return true;
        }
        finally
        {
            if (chars is not null)
            {
                // The text may be decrypted content: nothing of it stays behind in the shared pool.
                chars.AsSpan(0, written).Clear();
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }

    // The namespace declarations of the start tag just read, in scope for its names and its content.
    private readonly bool Declare()
    {
        foreach (RawAttribute attribute in _attributes)
        {
            ReadOnlySpan<byte> name = _utf8.Slice(attribute.NameStart, attribute.NameLength);
            if (!name.StartsWith("xmlns"u8))
            {
                continue;
            }

            if (_bindings.Count == MaxDeclarations)
            {
                return false;
            }

            if (name.Length == 5)
            {
                if (IsReservedNamespace(attribute.Value))
                {
                    return false;
                }

                _bindings.Add(new KeyValuePair<string, XNamespace>(string.Empty, XNamespace.Get(attribute.Value)));
            }
            else if (attribute.Colon == 5 && name.StartsWith("xmlns:"u8))
            {
                ReadOnlySpan<byte> prefix = name[6..];
                if (prefix.SequenceEqual("xml"u8) || prefix.SequenceEqual("xmlns"u8) || attribute.Value.Length == 0 || IsReservedNamespace(attribute.Value))
                {
                    return false;
                }

                _bindings.Add(new KeyValuePair<string, XNamespace>(Encoding.ASCII.GetString(prefix), XNamespace.Get(attribute.Value)));
            }
        }

        return true;
    }

    private readonly bool TryResolveElementName(int nameStart, int nameLength, int colon, out XName name)
    {
        name = XmlnsAttributeName;
        ReadOnlySpan<byte> qualified = _utf8.Slice(nameStart, nameLength);
        ReadOnlySpan<byte> prefix = colon < 0 ? [] : qualified[..colon];
        ReadOnlySpan<byte> local = qualified[(colon + 1)..];
        if (prefix.SequenceEqual("xml"u8) || prefix.SequenceEqual("xmlns"u8) || (colon < 0 && local.SequenceEqual("xmlns"u8)))
        {
            return false;
        }

        XNamespace? ns = Lookup(prefix);
        if (ns is null)
        {
            return false;
        }

        name = ns.GetName(Encoding.ASCII.GetString(local));
        return true;
    }

    private readonly bool TryResolveAttributeName(RawAttribute attribute, out XName name)
    {
        name = XmlnsAttributeName;
        ReadOnlySpan<byte> qualified = _utf8.Slice(attribute.NameStart, attribute.NameLength);
        if (attribute.Colon < 0)
        {
            // Unprefixed attributes, and so the default namespace declaration, are in no namespace.
            if (!qualified.SequenceEqual("xmlns"u8))
            {
                name = XNamespace.None.GetName(Encoding.ASCII.GetString(qualified));
            }

            return true;
        }

        ReadOnlySpan<byte> prefix = qualified[..attribute.Colon];
        ReadOnlySpan<byte> local = qualified[(attribute.Colon + 1)..];
        XNamespace? ns;
        if (prefix.SequenceEqual("xmlns"u8))
        {
            ns = XNamespace.Xmlns;
        }
        else if (prefix.SequenceEqual("xml"u8))
        {
            // XmlReader checks the value of xml:space; the subset leaves it out.
            if (local.SequenceEqual("space"u8))
            {
                return false;
            }

            ns = XNamespace.Xml;
        }
        else
        {
            ns = Lookup(prefix);
        }

        if (ns is null)
        {
            return false;
        }

        name = ns.GetName(Encoding.ASCII.GetString(local));
        return true;
    }

    // The namespace of a prefix ("" for the default): declared inside the element, else passed in; null if unbound.
    private readonly XNamespace? Lookup(ReadOnlySpan<byte> prefix)
    {
        for (int i = _bindings.Count - 1; i >= 0; i--)
        {
            if (AsciiEquals(prefix, _bindings[i].Key))
            {
                return _bindings[i].Value;
            }
        }

        for (int i = _inherited.Count - 1; i >= 0; i--)
        {
            if (AsciiEquals(prefix, _inherited[i].Key))
            {
                return XNamespace.Get(_inherited[i].Value);
            }
        }

        return prefix.IsEmpty ? XNamespace.None : null;
    }

    // An NCName, or two joined by a colon, at start: its length (0 or less if there is none) and where the colon is.
    private readonly int QualifiedNameLength(int start, out int colon)
    {
        colon = -1;
        int first = Utf8XmlSyntax.NameLength(_utf8[start..]);
        if (first <= 0)
        {
            return first;
        }

        int end = start + first;
        if (end < _utf8.Length && _utf8[end] == (byte)':')
        {
            int second = Utf8XmlSyntax.NameLength(_utf8[(end + 1)..]);
            if (second <= 0)
            {
                return -1;
            }

            colon = first;
            end += 1 + second;
            if (end < _utf8.Length && _utf8[end] == (byte)':')
            {
                return -1;
            }
        }

        return end - start;
    }

    private bool SkipWhitespace()
    {
        int start = _position;
        while (_position < _utf8.Length && Utf8XmlSyntax.IsWhitespace(_utf8[_position]))
        {
            _position++;
        }

        return _position > start;
    }

    // Valid UTF-8 into room enough; cheaper per call than Encoding.UTF8 for the short runs between references.
    private static int Transcode(ReadOnlySpan<byte> utf8, Span<char> destination)
    {
        Utf8.ToUtf16(utf8, destination, out _, out int written, replaceInvalidSequences: true, isFinalBlock: true);
        return written;
    }

    private static bool AsciiEquals(ReadOnlySpan<byte> ascii, string text)
    {
        if (ascii.Length != text.Length)
        {
            return false;
        }

        for (int i = 0; i < ascii.Length; i++)
        {
            if (ascii[i] != text[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsReservedNamespace(string ns) => ns is XmlNamespaceName or XmlnsNamespaceName;

    /// <summary>An open element: its name, where its qualified name is in the input, and where its items and bindings start.</summary>
    private readonly record struct Frame(XName Name, int NameStart, int NameLength, int ItemsStart, int AttributeCount, int BindingsBefore);

    /// <summary>An attribute as written: where its qualified name is, its colon (-1 for none) and its decoded value.</summary>
    private readonly record struct RawAttribute(int NameStart, int NameLength, int Colon, string Value);
}
