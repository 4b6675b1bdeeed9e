using System.Buffers;
using System.Xml.Linq;
using DotNetty.Buffers;
using DotNetty.Codecs;
using DotNetty.Transport.Channels;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// The outbound half of the XML stream codec: encodes <see cref="XElement"/> and <see cref="PayloadStanza"/> (through
/// <see cref="StanzaWriter"/>), <see cref="StreamHeader"/> and <see cref="StreamFooter"/> as UTF-8. Other messages pass
/// through untouched. A <see cref="PayloadStanza"/> is released once written (or once its write failed).
/// </summary>
/// <remarks>
/// Elements are written for the content namespace of the last header written (initially the one given to the
/// constructor), so a stanza in that namespace carries no <c>xmlns</c>. An element that cannot be written
/// (a character XML 1.0 does not allow, a comment) fails its write with an <see cref="EncoderException"/>
/// wrapping an <see cref="ArgumentException"/>; nothing of it is sent.
/// </remarks>
public sealed class XmlStreamEncoder : MessageToByteEncoder<object>
{
    // Room for the stanza around a payload, so one allocation usually holds the whole stanza.
    private const int PayloadEnvelopeAllowance = 512;

    private string _defaultNamespace;

    /// <summary>Creates an encoder.</summary>
    /// <param name="defaultNamespace">The content namespace assumed until a header is written.</param>
    public XmlStreamEncoder(string defaultNamespace = XmppNamespaces.Client)
    {
        ArgumentNullException.ThrowIfNull(defaultNamespace);
        _defaultNamespace = defaultNamespace;
    }

    /// <summary>Whether the message is one this encoder writes; others are passed on unchanged.</summary>
    public override bool AcceptOutboundMessage(object message) => message is XElement or PayloadStanza or StreamHeader or StreamFooter;

    /// <inheritdoc/>
    protected override void Encode(IChannelHandlerContext context, object message, IByteBuffer output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int start = output.WriterIndex;
        var writer = new ByteBufferWriter(output);
        try
        {
            switch (message)
            {
                case XElement element:
                    StanzaWriter.Write(element, writer, _defaultNamespace);
                    break;
                case PayloadStanza payload:
                    // One growth to the whole stanza's size, not several doublings while the payload is copied.
                    output.EnsureWritable(payload.Content.ReadableBytes + PayloadEnvelopeAllowance);
                    StanzaWriter.WritePayloadStanza(payload, writer, _defaultNamespace);
                    break;
                case StreamHeader header:
                    header.Write(writer);
                    _defaultNamespace = header.DefaultNamespace;
                    break;
                case StreamFooter:
                    writer.Write("</stream:stream>"u8);
                    break;
                default:
                    throw new ArgumentException(
                        $"The XML stream encoder writes XElement, StreamHeader and StreamFooter, not {message?.GetType().Name ?? "null"}.",
                        nameof(message));
            }
        }
        catch (ArgumentException)
        {
            // Never send half an element.
            output.SetWriterIndex(start);
            throw;
        }
    }
}
