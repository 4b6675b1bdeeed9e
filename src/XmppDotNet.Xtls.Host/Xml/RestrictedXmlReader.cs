using System.Text;
using System.Text.Unicode;
using System.Xml;
using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// Parses one complete construct of an XML stream with <see cref="XmlReader"/>: no DTD, no external resources,
/// checked characters, and the namespace declarations of the stream header in scope.
/// </summary>
internal static class RestrictedXmlReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        ConformanceLevel = ConformanceLevel.Fragment,
        CheckCharacters = true,
        IgnoreComments = false,
        IgnoreProcessingInstructions = false,
        IgnoreWhitespace = false,
        CloseInput = false,
    };

    /// <summary>Parses an element from UTF-8 bytes.</summary>
    /// <param name="buffer">Holds the element's bytes from index 0.</param>
    /// <param name="length">The number of bytes.</param>
    /// <param name="namespaces">The namespace declarations in scope (prefix "" for the default namespace).</param>
    /// <exception cref="XmlStreamException">The bytes are not one namespace-well-formed element.</exception>
    /// <remarks>
    /// Plain stanzas are built straight from the bytes by <see cref="FastElementReader"/>; anything outside its
    /// subset, and every error, goes through <see cref="XmlReader"/>. Both give the same element.
    /// </remarks>
    public static XElement ReadElement(byte[] buffer, int length, IReadOnlyList<KeyValuePair<string, string>> namespaces)
    {
        ReadOnlySpan<byte> utf8 = buffer.AsSpan(0, length);
        RequireValidUtf8(utf8);
        XElement? element = FastElementReader.TryRead(utf8, namespaces);
        if (element is null)
        {
            return ReadElementWithXmlReader(buffer, length, namespaces);
        }

        ParsedElementNamespaces.Complete(element, namespaces);
        return element;
    }

    /// <summary>Parses an element from valid UTF-8 bytes with <see cref="XmlReader"/>, the path for everything.</summary>
    /// <param name="buffer">Holds the element's bytes from index 0.</param>
    /// <param name="length">The number of bytes.</param>
    /// <param name="namespaces">The namespace declarations in scope (prefix "" for the default namespace).</param>
    /// <exception cref="XmlStreamException">The bytes are not one namespace-well-formed element.</exception>
    public static XElement ReadElementWithXmlReader(byte[] buffer, int length, IReadOnlyList<KeyValuePair<string, string>> namespaces)
    {
        XmlParserContext context = CreateContext(namespaces);
        try
        {
            // The stream wraps the buffer without copying it.
            using var stream = new MemoryStream(buffer, 0, length, writable: false);
            using XmlReader reader = XmlReader.Create(stream, Settings, context);
            XElement element = LoadSingleElement(reader);
            ParsedElementNamespaces.Complete(element, namespaces);
            return element;
        }
        catch (XmlException exception)
        {
            throw NotWellFormed(exception);
        }
    }

    /// <summary>Parses a start tag (as an empty element, without children) from UTF-8 bytes.</summary>
    /// <param name="utf8">The tag, from '&lt;' to '&gt;'.</param>
    /// <param name="isEmptyElementTag">Whether the tag ends with '/&gt;' already.</param>
    /// <param name="namespaces">The namespace declarations in scope.</param>
    /// <exception cref="XmlStreamException">The tag is not well-formed.</exception>
    public static XElement ReadStartTag(ReadOnlySpan<byte> utf8, bool isEmptyElementTag, IReadOnlyList<KeyValuePair<string, string>> namespaces)
    {
        RequireValidUtf8(utf8);
        string text = isEmptyElementTag ? Encoding.UTF8.GetString(utf8) : Encoding.UTF8.GetString(utf8[..^1]) + "/>";
        try
        {
            using XmlReader reader = XmlReader.Create(new StringReader(text), Settings, CreateContext(namespaces));
            return LoadSingleElement(reader);
        }
        catch (XmlException exception)
        {
            throw NotWellFormed(exception);
        }
    }

    /// <summary>Checks the XML declaration and returns its encoding, or <c>null</c> if it names none.</summary>
    /// <param name="utf8">The declaration, from '&lt;?' to '?&gt;'.</param>
    /// <exception cref="XmlStreamException">The declaration is malformed.</exception>
    public static string? ReadDeclarationEncoding(ReadOnlySpan<byte> utf8)
    {
        RequireValidUtf8(utf8);

        // A placeholder root makes the declaration a document XmlReader will read; text input ignores the encoding.
        string text = Encoding.UTF8.GetString(utf8) + "<x/>";
        try
        {
            using XmlReader reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
            });
            if (!reader.Read() || reader.NodeType != XmlNodeType.XmlDeclaration)
            {
                throw new XmlStreamException(StreamErrorConditions.NotWellFormed, "A malformed XML declaration.");
            }

            return reader.GetAttribute("encoding");
        }
        catch (XmlException exception)
        {
            throw NotWellFormed(exception);
        }
    }

    private static XElement LoadSingleElement(XmlReader reader)
    {
        try
        {
            XElement element = XElement.Load(reader, LoadOptions.None);
            if (reader.Read())
            {
                throw new XmlStreamException(StreamErrorConditions.NotWellFormed, "More than one element where one was expected.");
            }

            return element;
        }
        catch (InvalidOperationException exception)
        {
            // XElement.Load reports content around the element this way.
            throw new XmlStreamException(StreamErrorConditions.NotWellFormed, exception.Message, exception);
        }
    }

    private static XmlParserContext CreateContext(IReadOnlyList<KeyValuePair<string, string>> namespaces)
    {
        // A fresh name table per construct: a shared one would grow with every name a peer invents.
        var nameTable = new NameTable();
        var manager = new XmlNamespaceManager(nameTable);
        foreach (KeyValuePair<string, string> declaration in namespaces)
        {
            manager.AddNamespace(declaration.Key, declaration.Value);
        }

        return new XmlParserContext(nameTable, manager, null, XmlSpace.None);
    }

    private static void RequireValidUtf8(ReadOnlySpan<byte> utf8)
    {
        // Strict: overlong forms, surrogates and code points above U+10FFFF are all invalid.
        if (!Utf8.IsValid(utf8))
        {
            throw new XmlStreamException(StreamErrorConditions.NotWellFormed, "The stream is not valid UTF-8.");
        }
    }

    private static XmlStreamException NotWellFormed(XmlException exception) =>
        new(StreamErrorConditions.NotWellFormed, "Malformed XML: " + exception.Message, exception);
}
