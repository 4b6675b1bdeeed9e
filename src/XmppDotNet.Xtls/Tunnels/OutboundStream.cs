namespace XmppDotNet.Xtls.Tunnels;

/// <summary>
/// The outbound byte stream of one tunnel: ciphertext waiting for the window, chunks in flight, and
/// the tokens that report delivery. Offsets count bytes since the tunnel began.
/// </summary>
/// <remarks>
/// Acknowledgements may arrive in any order; a token is reported once every byte up to its last one
/// is acknowledged (<see cref="AckedThrough"/>). Resending after a <c>wait</c> error keeps the order
/// only if no later chunk got through: when one did, the peer has a gap and the stream is lost,
/// which the methods below report by returning <c>false</c>.
/// </remarks>
internal sealed class OutboundStream
{
    private readonly ByteQueue _queue = new();
    private readonly List<InFlightChunk> _inFlight = [];
    private readonly Queue<(long End, object Token)> _tokens = new();

    // Where each queued write ended; bounded by the queued bytes (every write holds at least one).
    private readonly Queue<long> _writeEnds = new();
    private long _queuedEnd;
    private long _sentEnd;
    private long _maxAckedStart = -1;

    /// <summary>Bytes waiting for the window.</summary>
    public int QueuedBytes => _queue.Count;

    /// <summary>Chunks sent and not yet acknowledged (those awaiting a resend included).</summary>
    public int InFlightCount => _inFlight.Count;

    /// <summary>Tokens not yet reported.</summary>
    public int PendingTokenCount => _tokens.Count;

    /// <summary>Whether nothing is queued or in flight.</summary>
    public bool IsDrained => _queue.Count == 0 && _inFlight.Count == 0;

    /// <summary>Every byte before this offset is acknowledged.</summary>
    public long AckedThrough => _inFlight.Count == 0 ? _sentEnd : _inFlight[0].Start;

    /// <summary>Whether some chunk must be sent again; no new chunk may go out before it.</summary>
    public bool HasResends => _inFlight.Exists(c => c.AwaitingResend);

    /// <summary>
    /// Whether the chunks to resend can go out now: every chunk after the first of them has had its
    /// answer (also an error), so resending cannot overtake a chunk that might still get through.
    /// </summary>
    public bool CanResend
    {
        get
        {
            int first = _inFlight.FindIndex(c => c.AwaitingResend);
            return first >= 0 && _inFlight.Skip(first).All(c => c.AwaitingResend);
        }
    }

    /// <summary>Appends ciphertext; the token, if any, is reported when its last byte is acknowledged.</summary>
    public void Enqueue(ReadOnlySpan<byte> data, object? token)
    {
        _queue.Enqueue(data);
        _queuedEnd += data.Length;
        if (!data.IsEmpty)
        {
            _writeEnds.Enqueue(_queuedEnd);
        }

        if (token is not null)
        {
            _tokens.Enqueue((_queuedEnd, token));
        }
    }

    /// <summary>Bytes sent and not yet acknowledged.</summary>
    public long InFlightBytes => _sentEnd - AckedThrough;

    /// <summary>
    /// Takes up to <paramref name="maxBytes"/> queued bytes as a new chunk in flight. When more is queued, the
    /// chunk ends where one of the writes ended (a whole TLS record, which the peer can decrypt at once)
    /// unless the first write alone is longer.
    /// </summary>
    public InFlightChunk TakeChunk(int maxBytes, string? method, DateTimeOffset now, long delivered)
    {
        int take = Math.Min(maxBytes, _queue.Count);
        long limit = _sentEnd + take;
        long cut = -1;
        while (_writeEnds.TryPeek(out long end) && end <= limit)
        {
            cut = _writeEnds.Dequeue();
        }

        if (take < _queue.Count && cut > _sentEnd)
        {
            take = (int)(cut - _sentEnd);
        }

        var chunk = new InFlightChunk(_sentEnd, _queue.Dequeue(take), method, now, delivered);
        _sentEnd = chunk.End;
        _inFlight.Add(chunk);
        return chunk;
    }

    /// <summary>The chunks to resend, in stream order, marked as sent again.</summary>
    public IReadOnlyList<InFlightChunk> TakeResends()
    {
        List<InFlightChunk> resends = _inFlight.FindAll(c => c.AwaitingResend);
        foreach (InFlightChunk chunk in resends)
        {
            chunk.AwaitingResend = false;
        }

        return resends;
    }

    /// <summary>Records the acknowledgement of a chunk.</summary>
    /// <returns><c>false</c> when an earlier chunk awaits a resend: the peer got this one before it, out of order.</returns>
    public bool Acknowledge(InFlightChunk chunk)
    {
        int index = _inFlight.IndexOf(chunk);
        if (index < 0)
        {
            return true;
        }

        for (int i = 0; i < index; i++)
        {
            if (_inFlight[i].AwaitingResend)
            {
                return false;
            }
        }

        _inFlight.RemoveAt(index);
        _maxAckedStart = Math.Max(_maxAckedStart, chunk.Start);
        return true;
    }

    /// <summary>Records a <c>wait</c> error on a chunk: it will be sent again.</summary>
    /// <returns><c>false</c> when a later chunk was already acknowledged: the peer has a gap.</returns>
    public bool MarkForResend(InFlightChunk chunk)
    {
        if (_maxAckedStart > chunk.Start)
        {
            return false;
        }

        chunk.AwaitingResend = true;
        chunk.WaitErrors++;
        return true;
    }

    /// <summary>Removes and returns, in order, the tokens whose bytes are all acknowledged.</summary>
    public List<object> TakeAcknowledgedTokens()
    {
        var done = new List<object>();
        long acked = AckedThrough;
        while (_tokens.TryPeek(out (long End, object Token) entry) && entry.End <= acked)
        {
            done.Add(_tokens.Dequeue().Token);
        }

        return done;
    }

    /// <summary>Removes and returns, in order, every token not yet reported.</summary>
    public List<object> TakeAllTokens()
    {
        var all = new List<object>(_tokens.Count);
        while (_tokens.TryDequeue(out (long End, object Token) entry))
        {
            all.Add(entry.Token);
        }

        return all;
    }

    /// <summary>The ids of the IQs in flight.</summary>
    public IEnumerable<string> InFlightIds() => _inFlight.Where(c => c.IqId is not null).Select(c => c.IqId!);
}
