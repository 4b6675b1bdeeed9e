namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>How one stanza's send ended.</summary>
internal enum SendOutcome : byte
{
    Pending,
    Succeeded,
    Failed,
}

/// <summary>
/// Every stanza one client sent its peer in one direction of a pair, by sequence number, and what became of it:
/// the send's outcome on one side, the deliveries on the other. Checks order and duplicates as stanzas arrive.
/// </summary>
internal sealed class DirectionLedger(string name)
{
    /// <summary>More than any run sends in one direction; a bound, so a runaway loop fails instead of eating memory.</summary>
    private const int MaxEntries = 10_000_000;

    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];
    private long _lastDelivered = -1;

    public string Name { get; } = name;

    public int OutOfOrder { get; private set; }

    public int Duplicates { get; private set; }

    public int Unknown { get; private set; }

    public int InClear { get; private set; }

    /// <summary>Registers a stanza about to be sent in <paramref name="phase"/> and returns its sequence number.</summary>
    public int Next(int phase, bool isIq, int bytes, long now)
    {
        lock (_gate)
        {
            if (_entries.Count >= MaxEntries)
            {
                throw new InvalidOperationException($"{Name}: more than {MaxEntries} stanzas.");
            }

            _entries.Add(new Entry { Phase = phase, IsIq = isIq, Bytes = bytes, SentAt = now });
            return _entries.Count - 1;
        }
    }

    public void Succeeded(int sequence, long now)
    {
        lock (_gate)
        {
            Entry entry = _entries[sequence];
            entry.Outcome = SendOutcome.Succeeded;
            entry.SettledAt = now;
        }
    }

    public void Failed(int sequence, Exception failure, long now)
    {
        lock (_gate)
        {
            Entry entry = _entries[sequence];
            entry.Outcome = SendOutcome.Failed;
            entry.SettledAt = now;
            entry.Failure = FailureName(failure);
        }
    }

    /// <summary>The receiving side saw <paramref name="sequence"/>; returns the time it was sent, for latency.</summary>
    public long? Delivered(int sequence, bool throughTunnel, long now)
    {
        lock (_gate)
        {
            if (sequence < 0 || sequence >= _entries.Count)
            {
                Unknown++;
                return null;
            }

            if (!throughTunnel)
            {
                InClear++;
            }

            Entry entry = _entries[sequence];
            entry.Deliveries++;
            if (entry.Deliveries == 1)
            {
                entry.DeliveredAt = now;
            }
            else
            {
                Duplicates++;
            }

            if (sequence <= _lastDelivered)
            {
                OutOfOrder += entry.Deliveries == 1 ? 1 : 0;
            }
            else
            {
                _lastDelivered = sequence;
            }

            return entry.SentAt;
        }
    }

    /// <summary>Copies of the entries, for the verdict once everything has settled.</summary>
    public Entry[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries.Select(e => e with { })];
        }
    }

    /// <summary>The exception's type, and for a tunnel failure its typed reason.</summary>
    private static string FailureName(Exception failure) => failure switch
    {
        XtlsTunnelException tunnel => $"{nameof(XtlsTunnelException)}({tunnel.Reason})",
        AggregateException { InnerException: { } inner } => FailureName(inner),
        _ => failure.GetType().Name,
    };

    /// <summary>One stanza: when it was sent, how its send ended, how often it arrived.</summary>
    internal sealed record Entry
    {
        public int Phase { get; init; }

        public bool IsIq { get; init; }

        public int Bytes { get; init; }

        public long SentAt { get; init; }

        public SendOutcome Outcome { get; set; }

        public long SettledAt { get; set; }

        public string? Failure { get; set; }

        public int Deliveries { get; set; }

        public long DeliveredAt { get; set; }
    }
}
