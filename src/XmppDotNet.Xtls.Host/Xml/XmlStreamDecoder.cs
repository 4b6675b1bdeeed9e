using DotNetty.Buffers;
using DotNetty.Codecs;
using DotNetty.Transport.Channels;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// The inbound half of the XML stream codec: decodes bytes into the events of an <see cref="XmlStreamParser"/>
/// (<see cref="StreamHeader"/>, <see cref="System.Xml.Linq.XElement"/>, <see cref="PayloadStanza"/>, <see cref="StreamFooter"/>),
/// fired as messages. A handler that receives a <see cref="PayloadStanza"/> owns it and releases it.
/// </summary>
/// <remarks>
/// All readable bytes are consumed on every read; the parser keeps the incomplete element itself, so nothing
/// accumulates in the decoder's own buffer. A malformed stream raises an <see cref="XmlStreamException"/>, which
/// <see cref="ByteToMessageDecoder"/> delivers to <c>ExceptionCaught</c> wrapped in a <see cref="DecoderException"/>:
/// use <see cref="Unwrap"/> to get it (and its <see cref="XmlStreamException.Condition"/>) back. Events decoded before
/// the error are still fired. After an error the decoder fails every read until <see cref="Reset"/>.
/// </remarks>
public sealed class XmlStreamDecoder : ByteToMessageDecoder
{
    private const int MaxUnwrapDepth = 8;

    private readonly XmlStreamParser _parser;

    /// <summary>Creates a decoder.</summary>
    /// <param name="options">Limits and mode of the parser; <c>null</c> for the defaults.</param>
    public XmlStreamDecoder(XmlStreamParserOptions? options = null)
    {
        _parser = new XmlStreamParser(options);
    }

    /// <summary>The number of bytes held for an element that has not ended yet.</summary>
    public int BufferedBytes => _parser.BufferedBytes;

    /// <summary>
    /// Forgets all state for a stream restart (after STARTTLS or SASL success). Call it on the channel's event loop,
    /// before the first byte of the new stream arrives.
    /// </summary>
    public void Reset() => _parser.Reset();

    /// <summary>Finds the <see cref="XmlStreamException"/> in an exception DotNetty reports, or returns <c>null</c>.</summary>
    /// <param name="exception">The exception, typically a <see cref="DecoderException"/> given to <c>ExceptionCaught</c>.</param>
    public static XmlStreamException? Unwrap(Exception? exception)
    {
        for (int depth = 0; exception is not null && depth < MaxUnwrapDepth; depth++)
        {
            if (exception is XmlStreamException streamException)
            {
                return streamException;
            }

            exception = exception is AggregateException { InnerExceptions.Count: 1 } aggregate
                ? aggregate.InnerExceptions[0]
                : exception.InnerException;
        }

        return null;
    }

    /// <inheritdoc/>
    protected override void Decode(IChannelHandlerContext context, IByteBuffer input, List<object> output)
    {
        ArgumentNullException.ThrowIfNull(input);
        int readable = input.ReadableBytes;
        _parser.PayloadAllocator = context.Allocator;
        try
        {
            if (input.HasArray)
            {
                _parser.Parse(input.Array.AsSpan(input.ArrayOffset + input.ReaderIndex, readable), output);
            }
            else
            {
                foreach (ArraySegment<byte> segment in input.GetIoBuffers(input.ReaderIndex, readable))
                {
                    _parser.Parse(segment, output);
                }
            }
        }
        finally
        {
            // Consumed either way: after an error the parser is faulted and the bytes are worthless.
            input.SkipBytes(readable);
        }
    }
}
