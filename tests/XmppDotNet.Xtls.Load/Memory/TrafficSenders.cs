using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>
/// Sends the streams: each one (a tunnel and a direction) sends its share in order, with at most a window
/// of stanzas not yet acknowledged by the peer. A send that fails is counted and ends its stream.
/// </summary>
internal sealed class TrafficSenders(TrafficLedger ledger, int window, CancellationToken cancellationToken)
{
    private long _sent;
    private long _failures;
    private string? _firstError;

    public long Sent => Interlocked.Read(ref _sent);

    public long Failures => Interlocked.Read(ref _failures);

    public string? FirstError => Volatile.Read(ref _firstError);

    public async Task SendStreamAsync(XmppClient from, Jid to, int tunnel, int direction)
    {
        int quota = ledger.Quota(tunnel, direction);
        var inFlight = new Queue<Task>(window);
        for (int sequence = 0; sequence < quota; sequence++)
        {
            if (inFlight.Count == window && !await CompletedAsync(inFlight.Dequeue()))
            {
                return;
            }

            Task send;
            try
            {
                send = from.SendAsync(LoadStanza.Build(to, tunnel, direction, sequence, ledger.BodyBytesOf(tunnel, sequence)));
            }
            catch (InvalidOperationException e)
            {
                Fail(e);
                return;
            }

            Interlocked.Increment(ref _sent);
            inFlight.Enqueue(send);
        }

        while (inFlight.Count > 0)
        {
            if (!await CompletedAsync(inFlight.Dequeue()))
            {
                return;
            }
        }
    }

    private async Task<bool> CompletedAsync(Task send)
    {
        // Continue on the thread pool, never inline on the event loop that completed the send.
        await send.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ForceYielding | ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        if (send.IsCompletedSuccessfully)
        {
            return true;
        }

        Fail(send.Exception?.GetBaseException() ?? new TaskCanceledException(send));
        return false;
    }

    private void Fail(Exception e)
    {
        Interlocked.Increment(ref _failures);
        Interlocked.CompareExchange(ref _firstError, $"{e.GetType().Name}: {e.Message}", null);
    }
}
