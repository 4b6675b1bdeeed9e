using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>
/// Sends load from one side of a pair to the other for one phase: messages of mixed sizes and IQ requests,
/// at most <c>window</c> unsettled at once, in sequence order, until told to stop or until its session or
/// tunnel ends. Every send's outcome goes into the ledger.
/// </summary>
internal sealed class DirectionSender : IDisposable
{
    /// <summary>Out of 100 stanzas, how many are IQ requests (the rest are messages).</summary>
    private const int IqShare = 25;

    private static readonly TimeSpan IqTimeout = TimeSpan.FromSeconds(90);

    private readonly LoadSide _self;
    private readonly LoadSide _peer;
    private readonly int _phase;
    private readonly int _window;
    private readonly LatencySamples _latency;
    private readonly Random _random;
    private readonly SemaphoreSlim _slots;
    private int _succeeded;

    public DirectionSender(LoadSide self, LoadSide peer, int phase, int window, LatencySamples latency, int seed)
    {
        _self = self;
        _peer = peer;
        _phase = phase;
        _window = window;
        _latency = latency;
        _random = new Random(seed);
        _slots = new SemaphoreSlim(window, window);
    }

    /// <summary>How many of this phase's sends succeeded so far.</summary>
    public int Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>Sends until <paramref name="stop"/>, or until the session or the tunnel is gone; does not wait for what is in flight.</summary>
    public async Task SendAsync(CancellationToken stop)
    {
        _self.Phase = _phase;
        Jid to = _peer.Jid;
        while (!stop.IsCancellationRequested && _self.Client.State == SessionState.Online && _self.Xtls.GetTunnel(to) is not null)
        {
            try
            {
                await _slots.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            bool isIq = _random.Next(100) < IqShare;
            XElement stanza = isIq
                ? LoadStanzas.IqRequest(to, _self.Client.NextId(), _self.Direction, 0)
                : LoadStanzas.Message(to, _self.Direction, 0, _random);
            int sequence = _self.Ledger.Next(_phase, isIq, LoadStanzas.InnerBytes(stanza), RunClock.Now);
            stanza.Element(XName.Get("load", LoadStanzas.Namespace))!.SetAttributeValue("seq", sequence);
            long sentAt = RunClock.Now;
            Task sending;
            try
            {
                sending = isIq ? _self.Client.SendIqAsync(stanza, IqTimeout, CancellationToken.None) : _self.Client.SendAsync(stanza);
            }
            catch (Exception e) when (e is InvalidOperationException or XmppException)
            {
                // Refused before it was written (the session ended a moment ago): reported, not lost.
                _self.Ledger.Failed(sequence, e, RunClock.Now);
                _slots.Release();
                break;
            }

            _ = SettleAsync(sending, sequence, isIq, sentAt);
        }
    }

    /// <summary>Waits until every send settled, up to <paramref name="bound"/>; false when some never did (a hang).</summary>
    public async Task<bool> DrainAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            for (int i = 0; i < _window; i++)
            {
                await _slots.WaitAsync(timeout.Token);
            }

            _slots.Release(_window);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Only after <see cref="DrainAsync"/> succeeded: nothing can release a slot any more.</summary>
    public void Dispose() => _slots.Dispose();

    private async Task SettleAsync(Task sending, int sequence, bool isIq, long sentAt)
    {
        try
        {
            await sending;
            long now = RunClock.Now;
            _self.Ledger.Succeeded(sequence, now);
            Interlocked.Increment(ref _succeeded);
            if (isIq)
            {
                _latency.AddIq(_phase, RunClock.Milliseconds(now - sentAt));
            }
        }
        catch (Exception e)
        {
            _self.Ledger.Failed(sequence, e, RunClock.Now);
        }
        finally
        {
            _slots.Release();
        }
    }
}
