using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>
/// Two clients with a tunnel between them (A opens it), the two directions of load between them, and
/// what each side saw happen to its session and its tunnel.
/// </summary>
internal sealed class LoadPair : IDisposable
{
    private readonly LatencySamples _latency;
    private readonly IDisposable _answerA;
    private readonly IDisposable _answerB;

    public LoadPair(int index, XmppClient a, XmppClient b, LatencySamples latency)
    {
        Index = index;
        A = new LoadSide(a, "ab", new DirectionLedger($"pair {index} a>b"));
        B = new LoadSide(b, "ba", new DirectionLedger($"pair {index} b>a"));
        _latency = latency;
        Watch(A, B);
        Watch(B, A);
        _answerA = a.AddStanzaHandler(LoadStanzas.IsLoadIqRequest, iq => AnswerAsync(A, B, iq));
        _answerB = b.AddStanzaHandler(LoadStanzas.IsLoadIqRequest, iq => AnswerAsync(B, A, iq));
    }

    public int Index { get; }

    public LoadSide A { get; }

    public LoadSide B { get; }

    public IEnumerable<LoadSide> Sides => [A, B];

    public void Dispose()
    {
        _answerA.Dispose();
        _answerB.Dispose();
        foreach (LoadSide side in Sides)
        {
            side.Dispose();
        }
    }

    private void Watch(LoadSide self, LoadSide peer)
    {
        self.Client.StanzaReceived += (_, e) =>
        {
            if (Stanza.IsMessage(e.Stanza))
            {
                Receive(peer, e.Stanza, isIq: false);
            }
        };
    }

    /// <summary>An IQ from the peer: note its arrival, then answer it (through the tunnel, like every stanza to the peer).</summary>
    private ValueTask<bool> AnswerAsync(LoadSide self, LoadSide peer, XElement iq)
    {
        Receive(peer, iq, isIq: true);
        try
        {
            _ = self.Client.SendAsync(Stanza.ResultFor(iq)).ContinueWith(
                t => self.NoteAnswerFailed(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        catch (InvalidOperationException)
        {
            self.NoteAnswerFailed(); // the session ended under the request; the requester sees its IQ fail
        }

        return ValueTask.FromResult(true);
    }

    /// <summary>A load stanza the peer sent arrived here: the peer's ledger checks it.</summary>
    private void Receive(LoadSide sender, XElement stanza, bool isIq)
    {
        if (LoadStanzas.Read(stanza) is not { } mark || mark.Direction != sender.Direction || Stanza.GetFrom(stanza) != sender.Client.Jid)
        {
            sender.Ledger.Delivered(-1, throughTunnel: true, RunClock.Now);
            return;
        }

        long now = RunClock.Now;
        if (sender.Ledger.Delivered(mark.Sequence, stanza.IsFromXtlsTunnel(), now) is { } sentAt && !isIq)
        {
            _latency.AddMessage(sender.Phase, RunClock.Milliseconds(now - sentAt));
        }
    }
}

/// <summary>One client of a pair: the direction it sends in, and the ends it saw.</summary>
internal sealed class LoadSide : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<SessionClosedEventArgs> _sessionEnds = [];
    private readonly List<XtlsTunnelClosedEventArgs> _tunnelEnds = [];
    private int _answerFailures;

    public LoadSide(XmppClient client, string direction, DirectionLedger ledger)
    {
        Client = client;
        Direction = direction;
        Ledger = ledger;
        Xtls = client.GetXtls();
        client.Closed += OnClosed;
        Xtls.TunnelClosed += OnTunnelClosed;
    }

    public XmppClient Client { get; }

    public XtlsService Xtls { get; }

    public string Direction { get; }

    public DirectionLedger Ledger { get; }

    /// <summary>The phase this side's sender is in (1 or 2), for the latency figures.</summary>
    public int Phase { get; set; } = 1;

    public int AnswerFailures => Volatile.Read(ref _answerFailures);

    public SessionClosedEventArgs[] SessionEnds
    {
        get
        {
            lock (_gate)
            {
                return [.. _sessionEnds];
            }
        }
    }

    public XtlsTunnelClosedEventArgs[] TunnelEnds
    {
        get
        {
            lock (_gate)
            {
                return [.. _tunnelEnds];
            }
        }
    }

    public Jid Jid => Client.Jid;

    public void NoteAnswerFailed() => Interlocked.Increment(ref _answerFailures);

    public void Dispose()
    {
        Client.Closed -= OnClosed;
        Xtls.TunnelClosed -= OnTunnelClosed;
    }

    private void OnClosed(object? sender, SessionClosedEventArgs e)
    {
        lock (_gate)
        {
            _sessionEnds.Add(e);
        }
    }

    private void OnTunnelClosed(object? sender, XtlsTunnelClosedEventArgs e)
    {
        lock (_gate)
        {
            _tunnelEnds.Add(e);
        }
    }
}
