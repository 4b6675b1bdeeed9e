namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// The names of the open elements, kept so an end tag can be matched against its start tag as its bytes
/// arrive: a mismatch fails at once instead of leaving the stream waiting for an end that never comes.
/// Bounded by the size of the construct being scanned.
/// </summary>
internal sealed class OpenElementNames
{
    private const int InitialCapacity = 256;

    private readonly List<int> _starts = [];
    private byte[] _bytes = new byte[InitialCapacity];
    private int _length;
    private int _pendingStart;
    private int _matched;

    /// <summary>The name of the innermost open element.</summary>
    public ReadOnlySpan<byte> Innermost => _bytes.AsSpan(_starts[^1], _length - _starts[^1]);

    /// <summary>Starts collecting the name of a start tag.</summary>
    public void BeginName() => _pendingStart = _length;

    /// <summary>Appends bytes of the start tag's name.</summary>
    public void AppendName(ReadOnlySpan<byte> part)
    {
        if (_length + part.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_length + part.Length, _bytes.Length * 2));
        }

        part.CopyTo(_bytes.AsSpan(_length));
        _length += part.Length;
    }

    /// <summary>The start tag opened an element: its name is now the innermost open one.</summary>
    public void Push() => _starts.Add(_pendingStart);

    /// <summary>The start tag was an empty-element tag: forget its name.</summary>
    public void Discard() => _length = _pendingStart;

    /// <summary>Starts matching an end tag's name against the innermost open element.</summary>
    public void BeginMatch() => _matched = 0;

    /// <summary>Matches the next bytes of an end tag's name; <c>false</c> if they differ from the start tag's.</summary>
    public bool Match(ReadOnlySpan<byte> part)
    {
        ReadOnlySpan<byte> rest = _bytes.AsSpan(_starts[^1] + _matched, _length - _starts[^1] - _matched);
        if (!rest.StartsWith(part))
        {
            return false;
        }

        _matched += part.Length;
        return true;
    }

    /// <summary>Whether the whole name of the innermost open element has been matched.</summary>
    public bool MatchIsComplete => _matched == _length - _starts[^1];

    /// <summary>The innermost open element was closed.</summary>
    public void Pop()
    {
        _length = _starts[^1];
        _starts.RemoveAt(_starts.Count - 1);
    }

    /// <summary>Forgets all names.</summary>
    public void Clear()
    {
        _starts.Clear();
        _length = 0;
        _pendingStart = 0;
        _matched = 0;
        if (_bytes.Length > InitialCapacity)
        {
            _bytes = new byte[InitialCapacity];
        }
    }
}
