using System.Buffers;
using System.Text;
using System.Xml.Linq;
using DotNetty.Buffers;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// Writes an element as compact UTF-8 XML for an XMPP stream: no XML declaration, no formatting, text and
/// attribute values escaped.
/// </summary>
/// <remarks>
/// The element is written as if inside a stream header that declares <c>defaultNamespace</c> as default and the
/// prefix <c>stream</c> for <see cref="XmppNamespaces.Streams"/>: an element in the default namespace gets no
/// <c>xmlns</c>, an element in the streams namespace is written as <c>stream:…</c>, and any other namespace is
/// declared (as the default namespace) on the element where it changes. Namespaced attributes keep the prefix the
/// tree declares for them where possible, else get a generated one. Comments and processing instructions are
/// refused (RFC 6120 §11.1), CDATA sections are written as escaped text.
/// </remarks>
public static class StanzaWriter
{
    /// <summary>Writes <paramref name="element"/> as UTF-8 to <paramref name="output"/>.</summary>
    /// <param name="element">The element, usually a stanza.</param>
    /// <param name="output">Receives the bytes.</param>
    /// <param name="defaultNamespace">The default namespace of the stream the element goes into.</param>
    /// <exception cref="ArgumentException">
    /// The element holds a character XML 1.0 does not allow (a control character, U+FFFE, U+FFFF or a lone surrogate),
    /// a comment or a processing instruction. Some bytes may have been written already.
    /// </exception>
    public static void Write(XElement element, IBufferWriter<byte> output, string defaultNamespace = XmppNamespaces.Client)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(defaultNamespace);
        new ElementWriter(output, defaultNamespace).Write(element);
    }

    /// <summary>
    /// Writes <paramref name="stanza"/> as UTF-8 to <paramref name="output"/> without its routing: the <c>from</c> and
    /// <c>to</c> attributes of the stanza itself are left out (those of its children are written). This is how a stanza
    /// travels where its addresses are carried around it, e.g. inside an end-to-end tunnel, without copying the tree.
    /// </summary>
    /// <param name="stanza">The stanza.</param>
    /// <param name="output">Receives the bytes.</param>
    /// <param name="defaultNamespace">The default namespace of the stream the stanza goes into.</param>
    /// <exception cref="ArgumentException">As for <see cref="Write"/>.</exception>
    public static void WriteWithoutRouting(XElement stanza, IBufferWriter<byte> output, string defaultNamespace = XmppNamespaces.Client)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(defaultNamespace);
        new ElementWriter(output, defaultNamespace) { OmitRootRouting = true }.Write(stanza);
    }

    /// <summary>
    /// Writes a <see cref="PayloadStanza"/> as UTF-8 to <paramref name="output"/>: its stanza, with the payload bytes
    /// copied as they are into the payload element. The stanza is not released.
    /// </summary>
    /// <param name="stanza">The stanza and its payload.</param>
    /// <param name="output">Receives the bytes.</param>
    /// <param name="defaultNamespace">The default namespace of the stream the element goes into.</param>
    /// <exception cref="ArgumentException">
    /// As for <see cref="Write"/>, or the payload holds a byte that is not
    /// printable ASCII, space, tab or line feed, or is '&lt;', '&amp;' or ']'.
    /// </exception>
    public static void WritePayloadStanza(PayloadStanza stanza, IBufferWriter<byte> output, string defaultNamespace)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(defaultNamespace);
        new ElementWriter(output, defaultNamespace) { Payload = (stanza.PayloadElement, stanza.Content) }.Write(stanza.Stanza);
    }

    /// <summary>The number of UTF-8 bytes <see cref="WritePayloadStanza"/> writes, without building them anywhere.</summary>
    /// <exception cref="ArgumentException">As for <see cref="WritePayloadStanza"/>.</exception>
    public static int GetByteCount(PayloadStanza stanza, string defaultNamespace)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ArgumentNullException.ThrowIfNull(defaultNamespace);
        var counter = new ByteCounter();
        new ElementWriter(counter, defaultNamespace) { Payload = (stanza.PayloadElement, stanza.Content) }.Write(stanza.Stanza);
        return counter.Count;
    }

    /// <summary>The number of UTF-8 bytes <see cref="Write"/> writes, without building them anywhere.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Write"/>.</exception>
    public static int GetByteCount(XElement element, string defaultNamespace)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(defaultNamespace);
        var counter = new ByteCounter();
        new ElementWriter(counter, defaultNamespace).Write(element);
        return counter.Count;
    }

    /// <summary>Writes <paramref name="element"/> as a new UTF-8 byte array.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Write"/>.</exception>
    public static byte[] ToBytes(XElement element, string defaultNamespace = XmppNamespaces.Client)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(element, buffer, defaultNamespace);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <paramref name="element"/> as a string.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Write"/>.</exception>
    public static string ToXmlString(XElement element, string defaultNamespace = XmppNamespaces.Client)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(element, buffer, defaultNamespace);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Walks the tree without recursion, so a deep tree cannot overflow the stack.</summary>
    private sealed class ElementWriter(IBufferWriter<byte> output, string defaultNamespace)
    {
        private const string StreamPrefix = "stream";

        private readonly NamespaceScope _scope = new(defaultNamespace);
        private readonly Stack<(int ScopeMark, bool StreamPrefixed)> _open = new();

        /// <summary>The element whose content is the given bytes, for a <see cref="PayloadStanza"/>.</summary>
        public (XElement Element, IByteBuffer Bytes)? Payload { get; init; }

        /// <summary>Whether the root's unqualified <c>from</c> and <c>to</c> attributes are left out.</summary>
        public bool OmitRootRouting { get; init; }

        private XElement? _root;

        public void Write(XElement root)
        {
            _root = root;
            XNode node = root;
            while (true)
            {
                if (node is XElement element && WriteStartTag(element) is { } firstChild)
                {
                    node = firstChild;
                    continue;
                }

                if (node is not XElement)
                {
                    WriteLeaf(node);
                }

                // Climb until a node with a next sibling, closing the elements left behind.
                while (node != root && node.NextNode is null)
                {
                    node = node.Parent!;
                    WriteEndTag((XElement)node);
                }

                if (node == root)
                {
                    return;
                }

                node = node.NextNode!;
            }
        }

        // Returns the first child to descend into, or null when the element was written whole.
        private XNode? WriteStartTag(XElement element)
        {
            int mark = _scope.Count;
            DeclarePrefixesOf(element, out List<KeyValuePair<string, string>>? declared);

            string ns = element.Name.NamespaceName;
            bool streamPrefixed = false;
            bool declareDefault = false;
            if (ns != _scope.Lookup(string.Empty))
            {
                streamPrefixed = ns == XmppNamespaces.Streams && _scope.Lookup(StreamPrefix) == XmppNamespaces.Streams;
                if (!streamPrefixed)
                {
                    declareDefault = true;
                    _scope.Bind(string.Empty, ns);
                }
            }

            XmlOutput.WriteByte(output, (byte)'<');
            WriteElementName(element, streamPrefixed);
            if (declareDefault)
            {
                WriteAttribute("xmlns", null, ns);
            }

            if (declared is not null)
            {
                foreach (KeyValuePair<string, string> declaration in declared)
                {
                    WriteAttribute("xmlns", declaration.Key, declaration.Value);
                }
            }

            bool omitRouting = OmitRootRouting && element == _root;
            foreach (XAttribute attribute in element.Attributes())
            {
                if (omitRouting && attribute.Name.Namespace == XNamespace.None && attribute.Name.LocalName is "from" or "to")
                {
                    continue;
                }

                if (!attribute.IsNamespaceDeclaration)
                {
                    WriteAttribute(PrefixFor(attribute, element, streamPrefixed), attribute.Name.LocalName, attribute.Value);
                }
            }

            if (Payload is { } payload && payload.Element == element)
            {
                XmlOutput.WriteByte(output, (byte)'>');
                if (output is ByteCounter counter)
                {
                    // Counting only: the payload's length is known without copying it anywhere, but what could not be
                    // written is refused here too, before stream management counts a stanza that would never leave.
                    XmlOutput.ValidatePayload(payload.Bytes);
                    counter.Advance(payload.Bytes.ReadableBytes);
                }
                else
                {
                    XmlOutput.WritePayload(output, payload.Bytes);
                }

                XmlOutput.WriteRaw(output, "</"u8);
                WriteElementName(element, streamPrefixed);
                XmlOutput.WriteByte(output, (byte)'>');
                _scope.Truncate(mark);
                return null;
            }

            if (element.FirstNode is { } firstChild)
            {
                XmlOutput.WriteByte(output, (byte)'>');
                _open.Push((mark, streamPrefixed));
                return firstChild;
            }

            if (element.IsEmpty)
            {
                XmlOutput.WriteRaw(output, "/>"u8);
            }
            else
            {
                XmlOutput.WriteByte(output, (byte)'>');
                XmlOutput.WriteRaw(output, "</"u8);
                WriteElementName(element, streamPrefixed);
                XmlOutput.WriteByte(output, (byte)'>');
            }

            _scope.Truncate(mark);
            return null;
        }

        private void WriteEndTag(XElement element)
        {
            (int mark, bool streamPrefixed) = _open.Pop();
            XmlOutput.WriteRaw(output, "</"u8);
            WriteElementName(element, streamPrefixed);
            XmlOutput.WriteByte(output, (byte)'>');
            _scope.Truncate(mark);
        }

        private void WriteLeaf(XNode node)
        {
            switch (node)
            {
                case XText text:
                    XmlOutput.WriteText(output, text.Value);
                    break;
                case XComment:
                    throw new ArgumentException("Comments are not allowed in XMPP (RFC 6120 §11.1).", nameof(node));
                case XProcessingInstruction:
                    throw new ArgumentException("Processing instructions are not allowed in XMPP (RFC 6120 §11.1).", nameof(node));
                default:
                    throw new ArgumentException($"A {node.NodeType} node cannot be written into an XMPP stream.", nameof(node));
            }
        }

        private void WriteElementName(XElement element, bool streamPrefixed)
        {
            if (streamPrefixed)
            {
                XmlOutput.WriteRaw(output, "stream:"u8);
            }

            XmlOutput.WriteUtf8(output, element.Name.LocalName);
        }

        private void WriteAttribute(string? prefix, string? localName, string value)
        {
            XmlOutput.WriteByte(output, (byte)' ');
            if (!string.IsNullOrEmpty(prefix))
            {
                XmlOutput.WriteUtf8(output, prefix);
                if (localName is not null)
                {
                    XmlOutput.WriteByte(output, (byte)':');
                }
            }

            if (localName is not null)
            {
                XmlOutput.WriteUtf8(output, localName);
            }

            XmlOutput.WriteRaw(output, "='"u8);
            XmlOutput.WriteAttributeValue(output, value);
            XmlOutput.WriteByte(output, (byte)'\'');
        }

        // Keeps the prefixed declarations the tree makes (attribute values may refer to them), unless already in scope.
        private void DeclarePrefixesOf(XElement element, out List<KeyValuePair<string, string>>? declared)
        {
            declared = null;
            foreach (XAttribute attribute in element.Attributes())
            {
                if (!attribute.IsNamespaceDeclaration || attribute.Name.Namespace != XNamespace.Xmlns)
                {
                    continue;
                }

                string prefix = attribute.Name.LocalName;
                if (prefix == "xml" || attribute.Value.Length == 0 || _scope.Lookup(prefix) == attribute.Value)
                {
                    continue;
                }

                _scope.Bind(prefix, attribute.Value);
                (declared ??= []).Add(new KeyValuePair<string, string>(prefix, attribute.Value));
            }
        }

        private string? PrefixFor(XAttribute attribute, XElement element, bool elementUsesStreamPrefix)
        {
            string ns = attribute.Name.NamespaceName;
            if (ns.Length == 0)
            {
                return null;
            }

            if (attribute.Name.Namespace == XNamespace.Xml)
            {
                return "xml";
            }

            if (_scope.FindPrefix(ns) is { } bound)
            {
                return bound;
            }

            // Prefer the prefix the tree itself uses, if it is bound to nothing in scope: rebinding one could
            // change the meaning of a name already written on this element.
            string? prefix = element.GetPrefixOfNamespace(ns);
            if (prefix is null || prefix is "xml" or "xmlns" || _scope.Lookup(prefix) is not null ||
                (elementUsesStreamPrefix && prefix == StreamPrefix))
            {
                prefix = _scope.FreshPrefix();
            }

            _scope.Bind(prefix, ns);
            WriteAttribute("xmlns", prefix, ns);
            return prefix;
        }
    }
}
