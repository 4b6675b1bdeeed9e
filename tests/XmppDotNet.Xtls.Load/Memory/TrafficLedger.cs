using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>
/// What each receiver got, per tunnel and direction: the next sequence number it expects, and every
/// stanza that broke a rule (a gap, duplicated or late, altered, misaddressed, or not through the tunnel).
/// Direction 0 runs from the hub to peer <c>t</c>, direction 1 back. Each stream is recorded by one
/// receiver on its session's event loop; the counters shared between receivers are interlocked.
/// </summary>
internal sealed class TrafficLedger
{
    public const int HubToPeer = 0;
    public const int PeerToHub = 1;

    private readonly int[] _next;
    private readonly int[] _quota;
    private readonly IReadOnlyList<int> _payloads;
    private readonly IReadOnlyList<Jid> _peers;
    private readonly Jid _hub;
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _expected;
    private long _received;
    private long _bodyBytes;
    private long _duplicated;
    private long _skipped;
    private long _altered;
    private long _misaddressed;
    private long _inTheClear;
    private long _unreadable;

    public TrafficLedger(Jid hub, IReadOnlyList<Jid> peers, long totalStanzas, IReadOnlyList<int> payloads)
    {
        _hub = hub;
        _peers = peers;
        _payloads = payloads;
        int streams = peers.Count * 2;
        _next = new int[streams];
        _quota = new int[streams];
        for (int stream = 0; stream < streams; stream++)
        {
            _quota[stream] = (int)((totalStanzas / streams) + (stream < totalStanzas % streams ? 1 : 0));
        }

        _expected = totalStanzas;
        if (totalStanzas == 0)
        {
            _complete.TrySetResult();
        }
    }

    /// <summary>Completes once as many run stanzas arrived as were to be sent (good or bad).</summary>
    public Task Complete => _complete.Task;

    public long Received => Interlocked.Read(ref _received);

    public long BodyBytes => Interlocked.Read(ref _bodyBytes);

    public long Duplicated => Interlocked.Read(ref _duplicated);

    public long Altered => Interlocked.Read(ref _altered);

    public long Misaddressed => Interlocked.Read(ref _misaddressed);

    public long InTheClear => Interlocked.Read(ref _inTheClear);

    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>Stanzas that did not arrive in their place: gaps in a stream, and what was due at its end and did not come.</summary>
    public long Lost
    {
        get
        {
            long lost = Interlocked.Read(ref _skipped);
            for (int stream = 0; stream < _quota.Length; stream++)
            {
                lost += Math.Max(0, _quota[stream] - Volatile.Read(ref _next[stream]));
            }

            return lost;
        }
    }

    public long Errors => Lost + Duplicated + Altered + Misaddressed + InTheClear + Unreadable;

    /// <summary>How many stanzas a stream carries.</summary>
    public int Quota(int tunnel, int direction) => _quota[Stream(tunnel, direction)];

    /// <summary>The body size of one stanza.</summary>
    public int BodyBytesOf(int tunnel, int sequence) => _payloads[(tunnel + sequence) % _payloads.Count];

    /// <summary>Records a message one of the run's clients received; <paramref name="receiver"/> is a peer's index, or -1 for the hub.</summary>
    public void Record(int receiver, XElement stanza)
    {
        if (!LoadStanza.TryRead(stanza, out int tunnel, out int direction, out int sequence, out string? body))
        {
            if (stanza.Name == Stanza.MessageName)
            {
                Interlocked.Increment(ref _unreadable);
                Count();
            }

            return;
        }

        if (tunnel < 0 || tunnel >= _peers.Count || direction is not (HubToPeer or PeerToHub))
        {
            Interlocked.Increment(ref _unreadable);
            Count();
            return;
        }

        Jid expectedFrom = direction == HubToPeer ? _hub : _peers[tunnel];
        int expectedReceiver = direction == HubToPeer ? tunnel : -1;
        if (receiver != expectedReceiver || Stanza.GetFrom(stanza) != expectedFrom)
        {
            Interlocked.Increment(ref _misaddressed);
        }
        else if (!stanza.IsFromXtlsTunnel())
        {
            Interlocked.Increment(ref _inTheClear);
        }
        else
        {
            int stream = Stream(tunnel, direction);
            int next = _next[stream];
            if (sequence < next || sequence >= _quota[stream])
            {
                Interlocked.Increment(ref _duplicated); // seen already (or a late one after a gap), or never sent
            }
            else
            {
                // A gap is counted lost now; if the missing stanza turns up later it counts as duplicated too.
                Interlocked.Add(ref _skipped, sequence - next);
                Volatile.Write(ref _next[stream], sequence + 1);
                if (LoadStanza.IsIntact(body, tunnel, direction, sequence, BodyBytesOf(tunnel, sequence)))
                {
                    Interlocked.Add(ref _bodyBytes, body!.Length);
                }
                else
                {
                    Interlocked.Increment(ref _altered);
                }
            }
        }

        Count();
    }

    private static int Stream(int tunnel, int direction) => (tunnel * 2) + direction;

    private void Count()
    {
        if (Interlocked.Increment(ref _received) >= _expected)
        {
            _complete.TrySetResult();
        }
    }
}
