using System.Xml.Linq;
using DotNetty.Buffers;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Fuzz;

/// <summary>
/// The XML stream decoder: the input is parsed once whole and once split into pieces whose sizes come from
/// the input itself. Bad input must end in <see cref="XmlStreamException"/>, and both runs must yield the
/// same events and the same outcome, since a stream may be split anywhere. A third run delivers XTLS <c>data</c>
/// elements as bytes (<see cref="PayloadStanza"/>): it must yield the same stanzas and outcome as well, and release
/// every payload buffer exactly once.
/// </summary>
internal static class XmlStreamTarget
{
    // Small limits, so that the fuzzer reaches them with small inputs.
    private const int MaxStanzaBytes = 4096;
    private const int MaxDepth = 16;

    public static void Run(byte[] input, bool expectStreamHeader)
    {
        if (input.Length == 0)
        {
            return;
        }

        // The first byte picks the split: piece sizes cycle through 1..16 starting from it.
        int firstPiece = (input[0] % 16) + 1;
        ReadOnlySpan<byte> stream = input.AsSpan(1);

        Outcome whole = Parse(stream, expectStreamHeader, stream.Length);
        Outcome split = Parse(stream, expectStreamHeader, firstPiece);
        if (whole.Condition != split.Condition || !whole.Events.SequenceEqual(split.Events, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"Splitting the input changed the outcome: whole {whole.Condition ?? "ok"} after {whole.Events.Count} events, " +
                $"split {split.Condition ?? "ok"} after {split.Events.Count} events.");
        }

        var allocator = new CountingAllocator();
        Outcome payloads = Parse(stream, expectStreamHeader, firstPiece, allocator);
        if (whole.Condition != payloads.Condition || !whole.Events.SequenceEqual(payloads.Events, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"Binary payloads changed the outcome: {whole.Condition ?? "ok"} after {whole.Events.Count} events without, " +
                $"{payloads.Condition ?? "ok"} after {payloads.Events.Count} events with.");
        }

        if (allocator.Live > 0)
        {
            throw new InvalidOperationException($"{allocator.Live} payload buffers were never released.");
        }
    }

    private static Outcome Parse(ReadOnlySpan<byte> stream, bool expectStreamHeader, int firstPiece, CountingAllocator? payloads = null)
    {
        var options = new XmlStreamParserOptions
        {
            ExpectStreamHeader = expectStreamHeader,
            MaxStanzaBytes = MaxStanzaBytes,
            MaxDepth = MaxDepth,
        };
        if (payloads is not null)
        {
            // A small bound, so that the fuzzer meets payloads on both sides of it.
            options.BinaryPayloadElements.Add(new BinaryPayloadElement(XtlsElements.DataName, 64, XtlsBase64.TextCharacters));
        }

        var parser = new XmlStreamParser(options);
        if (payloads is not null)
        {
            parser.PayloadAllocator = payloads;
        }

        var events = new List<object>();
        int piece = firstPiece;
        try
        {
            for (int offset = 0; offset < stream.Length; offset += piece, piece = (piece % 16) + 1)
            {
                parser.Parse(stream.Slice(offset, Math.Min(piece, stream.Length - offset)), events);
                CheckBound(parser);
            }
        }
        catch (XmlStreamException e)
        {
            RequireFaulted(parser);
            return new Outcome([.. events.Select(Describe)], e.Condition);
        }

        return new Outcome([.. events.Select(Describe)], null);
    }

    private static void CheckBound(XmlStreamParser parser)
    {
        if (parser.BufferedBytes > MaxStanzaBytes)
        {
            throw new InvalidOperationException($"The parser holds {parser.BufferedBytes} bytes, more than the {MaxStanzaBytes} allowed.");
        }
    }

    // A failed parser must stay failed: nothing parsed after a fault may reach the application.
    private static void RequireFaulted(XmlStreamParser parser)
    {
        if (!parser.IsFaulted)
        {
            throw new InvalidOperationException("The parser threw but is not faulted.");
        }

        try
        {
            parser.Parse("<a/>"u8, new List<object>());
        }
        catch (XmlStreamException)
        {
            return;
        }

        throw new InvalidOperationException("A faulted parser accepted more input.");
    }

    private static string Describe(object e)
    {
        switch (e)
        {
            case PayloadStanza payload:
                try
                {
                    return payload.ToXElement().ToString(SaveOptions.DisableFormatting);
                }
                finally
                {
                    payload.Release();
                }

            case XElement element:
                return element.ToString(SaveOptions.DisableFormatting);
            default:
                return e.ToString() ?? string.Empty;
        }
    }

    /// <summary>Unpooled buffers, counted until released.</summary>
    private sealed class CountingAllocator : AbstractByteBufferAllocator
    {
        private readonly List<IByteBuffer> _buffers = [];

        public override bool IsDirectBufferPooled => false;

        public int Live => _buffers.Count(b => b.ReferenceCount > 0);

        protected override IByteBuffer NewHeapBuffer(int initialCapacity, int maxCapacity) =>
            Track(UnpooledByteBufferAllocator.Default.HeapBuffer(initialCapacity, maxCapacity));

        protected override IByteBuffer NewDirectBuffer(int initialCapacity, int maxCapacity) =>
            Track(UnpooledByteBufferAllocator.Default.HeapBuffer(initialCapacity, maxCapacity));

        private IByteBuffer Track(IByteBuffer buffer)
        {
            _buffers.Add(buffer);
            return buffer;
        }
    }

    private sealed record Outcome(List<string> Events, string? Condition);
}
