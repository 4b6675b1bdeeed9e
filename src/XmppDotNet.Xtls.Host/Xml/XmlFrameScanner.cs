using System.Buffers;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>What <see cref="XmlFrameScanner.Scan"/> stopped at.</summary>
internal enum ScanResult
{
    /// <summary>All input was consumed without reaching a boundary.</summary>
    EndOfInput,

    /// <summary>A '&lt;' at stream level: a construct (declaration, header, element, footer) begins with the byte before the position.</summary>
    MarkupStarted,

    /// <summary>The start tag of a top-level element that is not empty has just ended.</summary>
    TopLevelStartTagEnded,

    /// <summary>The start tag of a child of a top-level element that is not empty has just ended (only when children are reported).</summary>
    ChildStartTagEnded,

    /// <summary>The character data watched since <see cref="XmlFrameScanner.WatchText"/> ended: the byte before the position is '&lt;' or '&amp;'.</summary>
    TextInterrupted,

    /// <summary>The XML declaration ended.</summary>
    DeclarationCompleted,

    /// <summary>The start tag of the stream's root element ended.</summary>
    HeaderCompleted,

    /// <summary>A top-level element ended.</summary>
    ElementCompleted,

    /// <summary>The end tag of the stream's root element ended.</summary>
    FooterCompleted,
}

/// <summary>
/// Finds where the constructs of an XML stream begin and end, keeping its state between calls so that
/// every byte is looked at once whatever the split of the input. It tracks tags, quoted attribute values,
/// CDATA sections, references and nesting depth, and rejects early what RFC 6120 §11 forbids (comments,
/// processing instructions, DTDs, entity references beyond the predefined five). Full well-formedness of a
/// finished construct is left to <see cref="System.Xml.XmlReader"/>. All structural bytes are ASCII, so
/// multi-byte UTF-8 sequences (bytes ≥ 0x80) never look like markup and may be split anywhere.
/// </summary>
internal sealed class XmlFrameScanner
{
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);
    private static readonly SearchValues<byte> StartTagSpecials = SearchValues.Create("<>/\"'&"u8);
    private static readonly SearchValues<byte> NameEnd = SearchValues.Create(" \t\r\n/><\"'=&"u8);

    private readonly bool _expectHeader;
    private readonly bool _reportChildren;
    private readonly int _baseDepth;
    private readonly int _maxDepth;
    private readonly OpenElementNames _names = new();

    private State _state;
    private State _referenceReturnState;
    private int _depth;
    private byte _quote;
    private int _counter;
    private uint _entityName;
    private bool _hexReference;
    private bool _atStreamStart;
    private bool _declarationAllowed;
    private bool _streamEnded;
    private bool _watchText;

    /// <summary>Creates a scanner.</summary>
    /// <param name="expectHeader">Whether the stream has a root element (the stream header) around the top-level elements.</param>
    /// <param name="maxDepth">The deepest nesting allowed inside a top-level element.</param>
    /// <param name="reportChildren">Whether to stop at the end of the start tag of each child of a top-level element.</param>
    public XmlFrameScanner(bool expectHeader, int maxDepth, bool reportChildren = false)
    {
        _expectHeader = expectHeader;
        _reportChildren = reportChildren;
        _baseDepth = expectHeader ? 1 : 0;
        _maxDepth = maxDepth;
        Reset();
    }

    private enum State : byte
    {
        StreamLevel,
        Text,
        TagOpen,
        StartTagName,
        StartTag,
        StartTagSlash,
        AttributeValue,
        EndTagName,
        EndTag,
        MarkupDeclaration,
        CDataOpen,
        CData,
        DeclarationTarget,
        DeclarationBody,
        ReferenceStart,
        EntityName,
        CharacterReferenceStart,
        CharacterReference,
    }

    /// <summary>The length in bytes of the name of the tag that ended last (header, top-level start tag or footer).</summary>
    public int TagNameLength { get; private set; }

    /// <summary>Whether the stream header that completed last was an empty-element tag.</summary>
    public bool HeaderWasEmptyElement { get; private set; }

    /// <summary>Forgets all state: the next byte is the first of a new stream.</summary>
    public void Reset()
    {
        _state = State.StreamLevel;
        _referenceReturnState = State.Text;
        _depth = 0;
        _quote = 0;
        _counter = 0;
        _entityName = 0;
        _hexReference = false;
        _atStreamStart = true;
        _declarationAllowed = false;
        _streamEnded = false;
        _watchText = false;
        TagNameLength = 0;
        HeaderWasEmptyElement = false;
        _names.Clear();
    }

    /// <summary>The name of the innermost open element, as written in its start tag.</summary>
    public ReadOnlySpan<byte> InnermostName => _names.Innermost;

    /// <summary>
    /// Asks for <see cref="ScanResult.TextInterrupted"/> at the next '&lt;' or '&amp;' in character data: call it
    /// right after <see cref="ScanResult.ChildStartTagEnded"/> to learn where that child's first text run ends.
    /// </summary>
    public void WatchText() => _watchText = true;

    /// <summary>Scans from <paramref name="position"/> until a boundary or the end of <paramref name="data"/>.</summary>
    /// <param name="data">The input.</param>
    /// <param name="position">Where to start; on return, just after the last byte consumed.</param>
    /// <exception cref="XmlStreamException">The input breaks a rule that can be seen from here.</exception>
    public ScanResult Scan(ReadOnlySpan<byte> data, ref int position)
    {
        int pos = position;
        ScanResult result = ScanResult.EndOfInput;
        while (pos < data.Length && result == ScanResult.EndOfInput)
        {
            ReadOnlySpan<byte> rest = data[pos..];
            switch (_state)
            {
                case State.StreamLevel:
                    pos += ScanStreamLevel(rest, ref result);
                    break;
                case State.Text:
                    pos += ScanText(rest, ref result);
                    break;
                case State.TagOpen:
                    pos++;
                    ScanTagOpen(rest[0]);
                    break;
                case State.StartTagName:
                    pos += ScanStartTagName(rest);
                    break;
                case State.StartTag:
                    pos += ScanStartTag(rest, ref result);
                    break;
                case State.StartTagSlash:
                    pos++;
                    if (rest[0] != (byte)'>')
                    {
                        throw NotWellFormed("'/' in a start tag must be followed by '>'.");
                    }

                    result = EndStartTag(emptyElement: true);
                    break;
                case State.AttributeValue:
                    pos += ScanAttributeValue(rest);
                    break;
                case State.EndTagName:
                    pos += ScanEndTagName(rest, ref result);
                    break;
                case State.EndTag:
                    pos += ScanEndTag(rest, ref result);
                    break;
                case State.MarkupDeclaration:
                    pos++;
                    ScanMarkupDeclaration(rest[0]);
                    break;
                case State.CDataOpen:
                    pos++;
                    ScanCDataOpen(rest[0]);
                    break;
                case State.CData:
                    pos += ScanCData(rest);
                    break;
                case State.DeclarationTarget:
                    pos++;
                    ScanDeclarationTarget(rest[0]);
                    break;
                case State.DeclarationBody:
                    pos += ScanDeclarationBody(rest, ref result);
                    break;
                case State.ReferenceStart:
                    pos++;
                    ScanReferenceStart(rest[0]);
                    break;
                case State.EntityName:
                    pos++;
                    ScanEntityName(rest[0]);
                    break;
                case State.CharacterReferenceStart:
                    pos++;
                    ScanCharacterReferenceStart(rest[0]);
                    break;
                default:
                    pos++;
                    ScanCharacterReference(rest[0]);
                    break;
            }
        }

        position = pos;
        return result;
    }

    // Between top-level elements (and before the header / after the footer): whitespace only.
    private int ScanStreamLevel(ReadOnlySpan<byte> rest, ref ScanResult result)
    {
        bool first = _atStreamStart;
        _atStreamStart = false;
        int skip = rest.IndexOfAnyExcept(Whitespace);
        if (skip < 0)
        {
            return rest.Length;
        }

        if (rest[skip] != (byte)'<')
        {
            throw CharacterDataOutsideElements();
        }

        // The XML declaration is allowed only as the very first bytes of a stream with a header.
        _declarationAllowed = _expectHeader && first && skip == 0;
        _state = State.TagOpen;
        result = ScanResult.MarkupStarted;
        return skip + 1;
    }

    private int ScanText(ReadOnlySpan<byte> rest, ref ScanResult result)
    {
        int index = rest.IndexOfAny((byte)'<', (byte)'&');
        if (index < 0)
        {
            return rest.Length;
        }

        if (_watchText)
        {
            _watchText = false;
            result = ScanResult.TextInterrupted;
        }

        if (rest[index] == (byte)'<')
        {
            _state = State.TagOpen;
        }
        else
        {
            _referenceReturnState = State.Text;
            _state = State.ReferenceStart;
        }

        return index + 1;
    }

    private void ScanTagOpen(byte b)
    {
        bool declarationAllowed = _declarationAllowed;
        _declarationAllowed = false;
        if (IsNameStart(b))
        {
            BeginStartTag(b);
        }
        else if (b == (byte)'/')
        {
            if (_depth == 0)
            {
                throw NotWellFormed("An end tag without an open element.");
            }

            TagNameLength = 0;
            _names.BeginMatch();
            _state = State.EndTagName;
        }
        else if (b == (byte)'!')
        {
            _state = State.MarkupDeclaration;
        }
        else if (b == (byte)'?')
        {
            if (!declarationAllowed)
            {
                throw Restricted("Processing instructions are not allowed (RFC 6120 §11.1).");
            }

            _counter = 0;
            _state = State.DeclarationTarget;
        }
        else
        {
            throw NotWellFormed("'<' is not followed by a name.");
        }
    }

    private void BeginStartTag(byte first)
    {
        if (_expectHeader && _depth == 0 && _streamEnded)
        {
            throw NotWellFormed("An element after the end of the stream.");
        }

        if (_depth + 1 - _baseDepth > _maxDepth)
        {
            throw new XmlStreamException(
                StreamErrorConditions.PolicyViolation, $"Elements are nested deeper than the limit of {_maxDepth}.");
        }

        TagNameLength = 1;
        _names.BeginName();
        _names.AppendName([first]);
        _state = State.StartTagName;
    }

    private int ScanStartTagName(ReadOnlySpan<byte> rest)
    {
        int index = rest.IndexOfAny(NameEnd);
        if (index < 0)
        {
            TagNameLength += rest.Length;
            _names.AppendName(rest);
            return rest.Length;
        }

        TagNameLength += index;
        _names.AppendName(rest[..index]);
        byte b = rest[index];
        if (b != (byte)'/' && b != (byte)'>' && !Utf8XmlSyntax.IsWhitespace(b))
        {
            throw NotWellFormed("An invalid character in an element name.");
        }

        // The delimiter is left for the start-tag state to handle.
        _state = State.StartTag;
        return index;
    }

    private int ScanStartTag(ReadOnlySpan<byte> rest, ref ScanResult result)
    {
        int index = rest.IndexOfAny(StartTagSpecials);
        if (index < 0)
        {
            return rest.Length;
        }

        switch (rest[index])
        {
            case (byte)'>':
                result = EndStartTag(emptyElement: false);
                break;
            case (byte)'/':
                _state = State.StartTagSlash;
                break;
            case (byte)'"':
            case (byte)'\'':
                _quote = rest[index];
                _state = State.AttributeValue;
                break;
            default:
                throw NotWellFormed("'<' or '&' outside an attribute value in a start tag.");
        }

        return index + 1;
    }

    private ScanResult EndStartTag(bool emptyElement)
    {
        if (_expectHeader && _depth == 0)
        {
            HeaderWasEmptyElement = emptyElement;
            _names.Push();
            _depth = 1;
            _state = State.StreamLevel;
            return ScanResult.HeaderCompleted;
        }

        if (emptyElement)
        {
            _names.Discard();
            return CloseElement();
        }

        _names.Push();
        _depth++;
        _state = State.Text;
        if (_depth == _baseDepth + 1)
        {
            return ScanResult.TopLevelStartTagEnded;
        }

        return _reportChildren && _depth == _baseDepth + 2 ? ScanResult.ChildStartTagEnded : ScanResult.EndOfInput;
    }

    private ScanResult CloseElement()
    {
        if (_depth == _baseDepth)
        {
            _state = State.StreamLevel;
            return ScanResult.ElementCompleted;
        }

        _state = State.Text;
        return ScanResult.EndOfInput;
    }

    private int ScanAttributeValue(ReadOnlySpan<byte> rest)
    {
        int index = rest.IndexOfAny(_quote, (byte)'<', (byte)'&');
        if (index < 0)
        {
            return rest.Length;
        }

        byte b = rest[index];
        if (b == _quote)
        {
            _state = State.StartTag;
        }
        else if (b == (byte)'&')
        {
            _referenceReturnState = State.AttributeValue;
            _state = State.ReferenceStart;
        }
        else
        {
            throw NotWellFormed("'<' in an attribute value.");
        }

        return index + 1;
    }

    private int ScanEndTagName(ReadOnlySpan<byte> rest, ref ScanResult result)
    {
        if (TagNameLength == 0 && !IsNameStart(rest[0]))
        {
            throw NotWellFormed("'</' is not followed by a name.");
        }

        int index = rest.IndexOfAny(NameEnd);
        ReadOnlySpan<byte> part = index < 0 ? rest : rest[..index];
        if (!_names.Match(part))
        {
            throw EndTagMismatch();
        }

        TagNameLength += part.Length;
        if (index < 0)
        {
            return rest.Length;
        }

        if (!_names.MatchIsComplete)
        {
            throw EndTagMismatch();
        }

        byte b = rest[index];
        if (b == (byte)'>')
        {
            result = EndEndTag();
        }
        else if (Utf8XmlSyntax.IsWhitespace(b))
        {
            _state = State.EndTag;
        }
        else
        {
            throw NotWellFormed("An invalid character in an end tag.");
        }

        return index + 1;
    }

    private int ScanEndTag(ReadOnlySpan<byte> rest, ref ScanResult result)
    {
        int index = rest.IndexOfAnyExcept(Whitespace);
        if (index < 0)
        {
            return rest.Length;
        }

        if (rest[index] != (byte)'>')
        {
            throw NotWellFormed("An end tag has more than a name.");
        }

        result = EndEndTag();
        return index + 1;
    }

    private ScanResult EndEndTag()
    {
        _names.Pop();
        if (_expectHeader && _depth == 1)
        {
            _depth = 0;
            _streamEnded = true;
            _state = State.StreamLevel;
            return ScanResult.FooterCompleted;
        }

        _depth--;
        return CloseElement();
    }

    private void ScanMarkupDeclaration(byte b)
    {
        if (b == (byte)'[')
        {
            if (_depth <= _baseDepth)
            {
                throw CharacterDataOutsideElements();
            }

            _counter = 0;
            _state = State.CDataOpen;
        }
        else if (b == (byte)'-')
        {
            throw Restricted("Comments are not allowed (RFC 6120 §11.1).");
        }
        else if (char.IsAsciiLetter((char)b))
        {
            throw Restricted("DTDs and markup declarations are not allowed (RFC 6120 §11.1).");
        }
        else
        {
            throw NotWellFormed("'<!' is not followed by a comment, CDATA section or declaration.");
        }
    }

    private void ScanCDataOpen(byte b)
    {
        if (b != "CDATA["u8[_counter])
        {
            throw NotWellFormed("A malformed CDATA section start.");
        }

        if (++_counter == 6)
        {
            _counter = 0;
            _state = State.CData;
        }
    }

    // _counter: how many ']' just preceded (at most 2 matter).
    private int ScanCData(ReadOnlySpan<byte> rest)
    {
        if (_counter == 0)
        {
            int index = rest.IndexOf((byte)']');
            if (index < 0)
            {
                return rest.Length;
            }

            _counter = 1;
            return index + 1;
        }

        byte b = rest[0];
        if (b == (byte)']')
        {
            _counter = 2;
        }
        else if (b == (byte)'>' && _counter == 2)
        {
            _counter = 0;
            _state = State.Text;
        }
        else
        {
            _counter = 0;
        }

        return 1;
    }

    // After '<?' at the start of the stream: only "xml" followed by whitespace is the declaration.
    private void ScanDeclarationTarget(byte b)
    {
        if (_counter < 3)
        {
            if (b != "xml"u8[_counter])
            {
                throw Restricted("Processing instructions are not allowed (RFC 6120 §11.1).");
            }

            _counter++;
            return;
        }

        if (!Utf8XmlSyntax.IsWhitespace(b))
        {
            throw Restricted("Processing instructions are not allowed (RFC 6120 §11.1).");
        }

        _counter = 0;
        _state = State.DeclarationBody;
    }

    // _counter: 1 when the previous byte was '?'.
    private int ScanDeclarationBody(ReadOnlySpan<byte> rest, ref ScanResult result)
    {
        if (_counter == 0)
        {
            int index = rest.IndexOf((byte)'?');
            if (index < 0)
            {
                return rest.Length;
            }

            _counter = 1;
            return index + 1;
        }

        byte b = rest[0];
        if (b == (byte)'>')
        {
            _counter = 0;
            _state = State.StreamLevel;
            result = ScanResult.DeclarationCompleted;
        }
        else if (b != (byte)'?')
        {
            _counter = 0;
        }

        return 1;
    }

    private void ScanReferenceStart(byte b)
    {
        if (b == (byte)'#')
        {
            _state = State.CharacterReferenceStart;
        }
        else if (IsNameStart(b))
        {
            _entityName = b;
            _counter = 1;
            _state = State.EntityName;
        }
        else
        {
            throw NotWellFormed("'&' is not followed by a reference.");
        }
    }

    // _counter: the length of the name so far, saturating past the longest predefined name.
    private void ScanEntityName(byte b)
    {
        if (b == (byte)';')
        {
            if (!IsPredefinedEntity())
            {
                throw Restricted("Only the five predefined entity references are allowed (RFC 6120 §11.1).");
            }

            _counter = 0;
            _state = _referenceReturnState;
        }
        else if (IsNameChar(b))
        {
            if (_counter <= 4)
            {
                _entityName = (_entityName << 8) | b;
                _counter++;
            }
        }
        else
        {
            throw NotWellFormed("An entity reference is not terminated by ';'.");
        }
    }

    private bool IsPredefinedEntity() => _counter switch
    {
        2 => _entityName is ('l' << 8 | 't') or ('g' << 8 | 't'),
        3 => _entityName == ('a' << 16 | 'm' << 8 | 'p'),
        4 => _entityName is ('q' << 24 | 'u' << 16 | 'o' << 8 | 't') or ('a' << 24 | 'p' << 16 | 'o' << 8 | 's'),
        _ => false,
    };

    private void ScanCharacterReferenceStart(byte b)
    {
        if (b == (byte)'x')
        {
            _hexReference = true;
            _counter = 0;
        }
        else if (char.IsAsciiDigit((char)b))
        {
            _hexReference = false;
            _counter = 1;
        }
        else
        {
            throw NotWellFormed("A malformed character reference.");
        }

        _state = State.CharacterReference;
    }

    // _counter: 1 once a digit was seen. The value itself is checked by XmlReader.
    private void ScanCharacterReference(byte b)
    {
        if (b == (byte)';' && _counter > 0)
        {
            _counter = 0;
            _state = _referenceReturnState;
        }
        else if (char.IsAsciiDigit((char)b) || (_hexReference && char.IsAsciiHexDigit((char)b)))
        {
            _counter = 1;
        }
        else
        {
            throw NotWellFormed("A malformed character reference.");
        }
    }

    private XmlStreamException CharacterDataOutsideElements() =>
        _expectHeader && _depth == 0
            ? NotWellFormed("Character data outside the stream element.")
            : new XmlStreamException(
                StreamErrorConditions.BadFormat, "Character data other than whitespace between top-level elements.");

    // Bytes ≥ 0x80 belong to non-ASCII name characters; XmlReader checks them properly later.
    private static bool IsNameStart(byte b) => char.IsAsciiLetter((char)b) || b is (byte)'_' or (byte)':' || b >= 0x80;

    private static bool IsNameChar(byte b) => IsNameStart(b) || char.IsAsciiDigit((char)b) || b is (byte)'-' or (byte)'.';

    private static XmlStreamException NotWellFormed(string message) =>
        new(StreamErrorConditions.NotWellFormed, message);

    private static XmlStreamException EndTagMismatch() => NotWellFormed("An end tag does not match the start tag.");

    private static XmlStreamException Restricted(string message) =>
        new(StreamErrorConditions.RestrictedXml, message);
}
