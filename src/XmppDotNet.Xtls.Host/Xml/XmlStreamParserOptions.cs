namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>Limits and mode of an <see cref="XmlStreamParser"/>.</summary>
public sealed class XmlStreamParserOptions
{
    /// <summary>
    /// The largest top-level element accepted, in UTF-8 bytes including its tags (also bounds the stream header
    /// and the XML declaration). A larger one fails with <see cref="StreamErrorConditions.PolicyViolation"/> as
    /// soon as its bytes exceed the limit, so the parser never buffers more than this.
    /// </summary>
    public int MaxStanzaBytes { get; set; } = 262_144;

    /// <summary>
    /// The deepest element nesting accepted inside one top-level element; the top-level element itself is at
    /// depth 1. Deeper nesting fails with <see cref="StreamErrorConditions.PolicyViolation"/>.
    /// </summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>
    /// <c>true</c> (the default): the input is an XMPP stream with an optional XML declaration, the
    /// <c>stream:stream</c> header and a footer. <c>false</c>: fragment mode, a bare sequence of top-level elements
    /// with no header or footer (as inside an XTLS tunnel).
    /// </summary>
    public bool ExpectStreamHeader { get; set; } = true;

    /// <summary>
    /// The content namespace. In fragment mode, the namespace of unprefixed elements that do not declare one
    /// (declaring it explicitly is accepted too). With a stream header, the default namespace the header must declare.
    /// </summary>
    public string DefaultNamespace { get; set; } = XmppNamespaces.Client;

    /// <summary>
    /// Elements whose character data is delivered as bytes: a top-level element with one such child, holding only
    /// the allowed characters, becomes a <see cref="PayloadStanza"/> instead of an <see cref="System.Xml.Linq.XElement"/>.
    /// Empty by default (every element is an <see cref="System.Xml.Linq.XElement"/>).
    /// </summary>
    public IList<BinaryPayloadElement> BinaryPayloadElements { get; } = [];
}
