using System.Text;
using System.Xml.Linq;
using DotNetty.Buffers;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// Turns the bytes of an XMPP stream, split anywhere, into events: a <see cref="StreamHeader"/>, each complete
/// top-level element as an <see cref="XElement"/> (with the namespaces of the stream in scope), and
/// <see cref="StreamFooter.Instance"/>. In fragment mode (<see cref="XmlStreamParserOptions.ExpectStreamHeader"/>
/// <c>false</c>) the input is a bare sequence of top-level elements.
/// </summary>
/// <remarks>
/// Enforces RFC 6120 §11: no DTD, comments, processing instructions (other than the XML declaration opening a
/// stream) or entity references beyond the predefined five; UTF-8 only; limits on element size and depth.
/// Each byte is scanned once; only the bytes of the element being received are buffered, never more than
/// <see cref="XmlStreamParserOptions.MaxStanzaBytes"/>. A top-level element with one child named in
/// <see cref="XmlStreamParserOptions.BinaryPayloadElements"/> that holds only allowed characters becomes a
/// <see cref="PayloadStanza"/>, its character data cut out into a pooled buffer, never a string. Not thread-safe: use one parser per stream, from one thread at a time.
/// </remarks>
public sealed class XmlStreamParser
{
    private static readonly IReadOnlyList<KeyValuePair<string, string>> NoNamespaces = [];
    private static readonly XName StreamElementName = XName.Get("stream", XmppNamespaces.Streams);

    private readonly int _maxBytes;
    private readonly bool _expectHeader;
    private readonly string _defaultNamespace;
    private readonly XmlFrameScanner _scanner;
    private readonly ConstructBuffer _buffer = new();
    private readonly IReadOnlyList<KeyValuePair<string, string>> _fragmentNamespaces;
    private readonly BinaryPayloadElement[] _payloadElements;

    // The binary payload candidate of the element being received: the child matched by local name, where its text
    // starts and ends in the buffer (-1 until it ended), and whether a second candidate spoiled it.
    private BinaryPayloadElement? _payload;
    private int _payloadStart;
    private int _payloadEnd = -1;
    private bool _payloadSpoiled;

    private IReadOnlyList<KeyValuePair<string, string>> _namespaces;
    private bool _inConstruct;
    private XmlStreamException? _fault;

    /// <summary>Creates a parser.</summary>
    /// <param name="options">Limits and mode; <c>null</c> for the defaults. The values are copied.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    public XmlStreamParser(XmlStreamParserOptions? options = null)
    {
        options ??= new XmlStreamParserOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxStanzaBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxDepth, nameof(options));
        ArgumentNullException.ThrowIfNull(options.DefaultNamespace, nameof(options));
        _maxBytes = options.MaxStanzaBytes;
        _expectHeader = options.ExpectStreamHeader;
        _defaultNamespace = options.DefaultNamespace;
        _payloadElements = [.. options.BinaryPayloadElements];
        foreach (BinaryPayloadElement element in _payloadElements)
        {
            ArgumentNullException.ThrowIfNull(element, nameof(options));
        }

        _scanner = new XmlFrameScanner(_expectHeader, options.MaxDepth, reportChildren: _payloadElements.Length > 0);
        _fragmentNamespaces = [new KeyValuePair<string, string>(string.Empty, _defaultNamespace)];
        _namespaces = _expectHeader ? NoNamespaces : _fragmentNamespaces;
    }

    /// <summary>Where the buffers of <see cref="PayloadStanza"/> payloads come from.</summary>
    public IByteBufferAllocator PayloadAllocator { get; set; } = PooledByteBufferAllocator.Default;

    /// <summary>The number of bytes held for a construct (usually an element) that has not ended yet.</summary>
    public int BufferedBytes => _buffer.Length;

    /// <summary>Whether an earlier call failed; every further <see cref="Parse"/> fails until <see cref="Reset"/>.</summary>
    public bool IsFaulted => _fault is not null;

    /// <summary>
    /// Consumes the next bytes of the stream and appends the events they complete to <paramref name="output"/>:
    /// <see cref="StreamHeader"/>, <see cref="XElement"/>, <see cref="PayloadStanza"/> and <see cref="StreamFooter"/>.
    /// </summary>
    /// <remarks>The caller owns each <see cref="PayloadStanza"/> appended and must release it.</remarks>
    /// <param name="data">The next bytes, in any split.</param>
    /// <param name="output">Receives the events, in order.</param>
    /// <exception cref="XmlStreamException">
    /// The stream breaks a rule; <see cref="XmlStreamException.Condition"/> is the stream error to send. Events completed
    /// before the offending byte have been appended. The parser is then faulted: every later call throws.
    /// </exception>
    public void Parse(ReadOnlySpan<byte> data, ICollection<object> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_fault is not null)
        {
            throw new XmlStreamException(_fault.Condition, "The XML stream failed earlier: " + _fault.Message, _fault);
        }

        try
        {
            ParseCore(data, output);
        }
        catch (XmlStreamException exception)
        {
            _fault = exception;
            _inConstruct = false;
            ForgetPayload();
            _buffer.Release();
            throw;
        }
    }

    /// <summary>
    /// Forgets all state and buffered bytes, including a fault: the next byte is the first of a new stream
    /// (the stream restart after STARTTLS or SASL, RFC 6120 §4.3.3).
    /// </summary>
    public void Reset()
    {
        _scanner.Reset();
        _buffer.Release();
        ForgetPayload();
        _inConstruct = false;
        _fault = null;
        _namespaces = _expectHeader ? NoNamespaces : _fragmentNamespaces;
    }

    private void ParseCore(ReadOnlySpan<byte> data, ICollection<object> output)
    {
        int position = 0;

        // Where the bytes of the current construct start in data (0 if they started in an earlier call).
        int segmentStart = 0;
        while (true)
        {
            int scanEnd = data.Length;
            if (_inConstruct)
            {
                // Never look past the byte that would make the construct exceed the limit.
                scanEnd = (int)Math.Min(data.Length, (long)segmentStart + _maxBytes - _buffer.Length);
            }

            ScanResult result = _scanner.Scan(data[..scanEnd], ref position);
            switch (result)
            {
                case ScanResult.EndOfInput:
                    if (position < data.Length)
                    {
                        throw new XmlStreamException(
                            StreamErrorConditions.PolicyViolation, $"An element is larger than the limit of {_maxBytes} bytes.");
                    }

                    if (_inConstruct)
                    {
                        _buffer.Append(data[segmentStart..]);
                    }

                    return;
                case ScanResult.MarkupStarted:
                    _inConstruct = true;
                    segmentStart = position - 1;
                    break;
                case ScanResult.TopLevelStartTagEnded:
                    _buffer.Append(data[segmentStart..position]);
                    segmentStart = position;
                    RejectNestedStreamElement();
                    break;
                case ScanResult.ChildStartTagEnded:
                    _buffer.Append(data[segmentStart..position]);
                    segmentStart = position;
                    OnChildStartTag();
                    break;
                case ScanResult.TextInterrupted:
                    _buffer.Append(data[segmentStart..position]);
                    segmentStart = position;
                    _payloadEnd = _buffer.Length - 1;
                    break;
                default:
                    _buffer.Append(data[segmentStart..position]);
                    segmentStart = position;
                    try
                    {
                        Complete(result, output);
                    }
                    finally
                    {
                        ForgetPayload();
                    }

                    _buffer.Clear();
                    _inConstruct = false;
                    break;
            }
        }
    }

    private void Complete(ScanResult result, ICollection<object> output)
    {
        switch (result)
        {
            case ScanResult.DeclarationCompleted:
                RequireUtf8Declaration();
                break;
            case ScanResult.HeaderCompleted:
                (StreamHeader header, _namespaces) = StreamHeaderReader.Read(
                    _buffer.Span, _scanner.TagNameLength, _scanner.HeaderWasEmptyElement, _defaultNamespace);
                output.Add(header);
                break;
            case ScanResult.ElementCompleted:
                output.Add(_payload is not null && !_payloadSpoiled && _payloadEnd >= 0 ? ReadPayloadElement(_payload) : ReadElement());
                break;
            default:
                // The scanner matched the end tag against the header's name, which is checked to be stream:stream.
                output.Add(StreamFooter.Instance);
                break;
        }
    }

    private XElement ReadElement()
    {
        XElement element = RestrictedXmlReader.ReadElement(_buffer.Array, _buffer.Length, _namespaces);
        if (element.Name == StreamElementName)
        {
            throw NestedStreamElement();
        }

        return element;
    }

    // A child's start tag ended: a candidate if its local name is a binary payload element's (the namespace is
    // checked once the stanza is parsed); a second candidate in the same stanza sends it the ordinary way.
    private void OnChildStartTag()
    {
        if (_payloadSpoiled)
        {
            return;
        }

        ReadOnlySpan<byte> name = _scanner.InnermostName;
        name = name[(name.IndexOf((byte)':') + 1)..];
        foreach (BinaryPayloadElement element in _payloadElements)
        {
            if (!name.SequenceEqual(element.LocalNameUtf8))
            {
                continue;
            }

            if (_payload is not null)
            {
                _payloadSpoiled = true;
                return;
            }

            _payload = element;
            _payloadStart = _buffer.Length;
            _payloadEnd = -1;
            _scanner.WatchText();
            return;
        }
    }

    // The candidate's text ran from _payloadStart to _payloadEnd. It is a payload if the text ended with the
    // element's end tag, fits and holds only allowed bytes; then it moves to a pooled buffer and the rest of the
    // element, closed up, is parsed as usual. Anything else is parsed whole, as without binary payloads.
    private object ReadPayloadElement(BinaryPayloadElement element)
    {
        byte[] array = _buffer.Array;
        int length = _buffer.Length;
        int count = _payloadEnd - _payloadStart;
        ReadOnlySpan<byte> text = array.AsSpan(_payloadStart, count);
        if (array[_payloadEnd + 1] != (byte)'/' || count > element.MaxBytes || text.ContainsAnyExcept(element.Allowed))
        {
            return ReadElement();
        }

        IByteBuffer payload = PayloadAllocator.Buffer(count);
        try
        {
            payload.WriteBytes(array, _payloadStart, count);
            array.AsSpan(_payloadEnd, length - _payloadEnd).CopyTo(array.AsSpan(_payloadStart));
            XElement stanza = RestrictedXmlReader.ReadElement(array, length - count, _namespaces);
            if (stanza.Name == StreamElementName)
            {
                throw NestedStreamElement();
            }

            // The candidate, its text cut out, has a start and an end tag; a sibling of the same local name written
            // as an empty-element tag was never a candidate and is empty (any other would have spoiled the candidate).
            XElement child = stanza.Elements().First(e => e.Name.LocalName == element.Name.LocalName && !e.IsEmpty);
            if (child.Name != element.Name)
            {
                // Same local name, another namespace: ordinary text after all (the allowed characters need no decoding).
                child.Value = payload.ToString(Encoding.ASCII);
                payload.Release();
                return stanza;
            }

            return new PayloadStanza(stanza, child, payload);
        }
        catch
        {
            payload.Release();
            throw;
        }
    }

    private void ForgetPayload()
    {
        _payload = null;
        _payloadEnd = -1;
        _payloadSpoiled = false;
    }

    private void RequireUtf8Declaration()
    {
        string? encoding = RestrictedXmlReader.ReadDeclarationEncoding(_buffer.Span);
        if (encoding is not null && !encoding.Equals("UTF-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new XmlStreamException(
                StreamErrorConditions.UnsupportedEncoding, $"The stream declares the encoding '{encoding}'; XMPP uses UTF-8 only.");
        }
    }

    // A stream element is never a top-level element: in fragment mode there is no stream to open, and with a
    // header it means a new stream began without a reset. Checked when its start tag ends, since the element
    // would otherwise swallow the rest of the stream.
    private void RejectNestedStreamElement()
    {
        ReadOnlySpan<byte> name = _buffer.Span.Slice(1, _scanner.TagNameLength);
        if (!name.SequenceEqual("stream"u8) && !name.EndsWith(":stream"u8))
        {
            return;
        }

        if (name.SequenceEqual(StreamHeaderReader.QualifiedName) ||
            RestrictedXmlReader.ReadStartTag(_buffer.Span, isEmptyElementTag: false, _namespaces).Name == StreamElementName)
        {
            throw NestedStreamElement();
        }
    }

    private XmlStreamException NestedStreamElement() => new(
        StreamErrorConditions.BadFormat,
        _expectHeader
            ? "A stream header inside the stream (a stream restart without a parser reset?)."
            : "A stream element inside a stream fragment.");
}
