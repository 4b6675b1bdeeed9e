using System.Text;
using System.Xml.Linq;
using DotNetty.Buffers;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// A stanza whose one <see cref="BinaryPayloadElement"/> carries its character data as bytes: <see cref="Stanza"/> is
/// the stanza with that element empty (<see cref="PayloadElement"/>), and <see cref="DefaultByteBufferHolder.Content"/>
/// holds the element's characters (ASCII, exactly as on the wire). Inbound, an <see cref="XmlStreamParser"/> with
/// binary payload elements produces it; outbound, the <see cref="XmlStreamEncoder"/> writes it without building text.
/// </summary>
/// <remarks>
/// Reference-counted like any DotNetty buffer holder: whoever receives one owns one reference and releases it exactly
/// once (pass it on, or call <see cref="DefaultByteBufferHolder.Release()"/>). A handler that wants an ordinary
/// <see cref="XElement"/> calls <see cref="ToXElement"/> and then releases this.
/// </remarks>
public sealed class PayloadStanza : DefaultByteBufferHolder
{
    /// <summary>Creates a payload stanza; it takes over the one reference of <paramref name="payload"/>.</summary>
    /// <param name="stanza">The stanza, with the payload element empty (no child nodes).</param>
    /// <param name="payloadElement">The payload element: a child element of <paramref name="stanza"/>.</param>
    /// <param name="payload">The payload element's character data as ASCII bytes (the readable bytes).</param>
    /// <exception cref="ArgumentException">The payload element is not an empty child of the stanza.</exception>
    public PayloadStanza(XElement stanza, XElement payloadElement, IByteBuffer payload)
        : base(payload ?? throw new ArgumentNullException(nameof(payload)))
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ArgumentNullException.ThrowIfNull(payloadElement);
        if (payloadElement.Parent != stanza)
        {
            throw new ArgumentException("The payload element must be a child element of the stanza.", nameof(payloadElement));
        }

        if (payloadElement.FirstNode is not null)
        {
            throw new ArgumentException("The payload element must be empty: its content is the payload.", nameof(payloadElement));
        }

        Stanza = stanza;
        PayloadElement = payloadElement;
    }

    /// <summary>The stanza, with the payload element empty. Treat it as read-only while the payload is held.</summary>
    public XElement Stanza { get; }

    /// <summary>The payload element inside <see cref="Stanza"/>.</summary>
    public XElement PayloadElement { get; }

    /// <summary>
    /// The stanza as an ordinary element, the payload as the payload element's text: a new tree; this holder is
    /// unchanged and still has to be released.
    /// </summary>
    public XElement ToXElement()
    {
        int index = 0;
        foreach (XElement child in Stanza.Elements())
        {
            if (child == PayloadElement)
            {
                break;
            }

            index++;
        }

        var copy = new XElement(Stanza);
        XElement target = copy.Elements().ElementAt(index);
        target.Value = Content.ToString(Content.ReaderIndex, Content.ReadableBytes, Encoding.ASCII);
        return copy;
    }

    /// <inheritdoc/>
    public override IByteBufferHolder Replace(IByteBuffer content) => new PayloadStanza(Stanza, PayloadElement, content);

    /// <inheritdoc/>
    public override string ToString() => $"{nameof(PayloadStanza)}({Stanza.Name.LocalName}, {PayloadElement.Name.LocalName}, {Content.ReadableBytes} bytes)";
}
