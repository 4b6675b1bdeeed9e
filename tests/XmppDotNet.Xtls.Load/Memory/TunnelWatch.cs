using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>
/// Watches the tunnel events of the whole fleet: when every peer has its end open, when every peer has
/// seen its end close, and every tunnel that ended before the run closed it or for a reason other than
/// an orderly close.
/// </summary>
internal sealed class TunnelWatch
{
    private readonly TaskCompletionSource _allOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _tunnels;
    private int _opened;
    private int _closed;
    private int _expectedClosed = -1;
    private int _unexpected;
    private volatile bool _closing;
    private string? _firstUnexpected;

    public TunnelWatch(MemoryFleet fleet)
    {
        _tunnels = fleet.Peers.Count;
        fleet.Hub.GetXtls().TunnelClosed += (_, e) => OnClosed(e, TunnelCloseReason.ClosedLocally, peerEnd: false);
        foreach (Host.Client.XmppClient peer in fleet.Peers)
        {
            XtlsService xtls = peer.GetXtls();
            xtls.TunnelOpened += (_, _) => OnPeerOpened();
            xtls.TunnelClosed += (_, e) => OnClosed(e, TunnelCloseReason.ClosedByPeer, peerEnd: true);
        }

        if (_tunnels == 0)
        {
            _allOpen.TrySetResult();
        }
    }

    /// <summary>Completes when every peer has its end of a tunnel open.</summary>
    public Task AllOpen => _allOpen.Task;

    /// <summary>Completes after <see cref="BeginClosing"/>, when every peer end that had opened has closed.</summary>
    public Task AllClosed => _allClosed.Task;

    /// <summary>Peer ends opened so far.</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>Tunnels that ended before <see cref="BeginClosing"/>, or afterwards for another reason than an orderly close.</summary>
    public int Unexpected => Volatile.Read(ref _unexpected);

    public string? FirstUnexpected => Volatile.Read(ref _firstUnexpected);

    /// <summary>From now on closes are expected (orderly ones); the peer ends open now are the ones to wait for.</summary>
    public void BeginClosing()
    {
        _closing = true;
        Volatile.Write(ref _expectedClosed, Volatile.Read(ref _opened));
        CheckClosed();
    }

    private void OnPeerOpened()
    {
        if (Interlocked.Increment(ref _opened) == _tunnels)
        {
            _allOpen.TrySetResult();
        }
    }

    private void OnClosed(XtlsTunnelClosedEventArgs e, TunnelCloseReason orderly, bool peerEnd)
    {
        if (!_closing || e.Reason != orderly || e.UndeliveredStanzas > 0)
        {
            Interlocked.Increment(ref _unexpected);
            Interlocked.CompareExchange(ref _firstUnexpected, $"{e.Peer}: {e.Reason} {e.Detail} (undelivered {e.UndeliveredStanzas})", null);
        }

        if (peerEnd)
        {
            Interlocked.Increment(ref _closed);
            CheckClosed();
        }
    }

    private void CheckClosed()
    {
        int expected = Volatile.Read(ref _expectedClosed);
        if (expected >= 0 && Volatile.Read(ref _closed) >= expected)
        {
            _allClosed.TrySetResult();
        }
    }
}
