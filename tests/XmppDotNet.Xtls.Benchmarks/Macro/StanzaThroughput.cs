using System.Xml.Linq;
using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// Comparisons 3 to 5: chat messages from one client to another through the host pipelines and a server,
/// with a bounded number of messages on their way (the sender waits for the receiver to get one before
/// sending beyond the window), so both the clear path and the tunnel run at their steady rate.
/// </summary>
internal static class StanzaThroughput
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Messages on their way at once: about 512 KiB of bodies, between 16 and 128 messages.</summary>
    public static int WindowFor(int bodyBytes) => Math.Clamp(512 * 1024 / bodyBytes, 16, 128);

    public static async Task<ThroughputCell> RunAsync(string scenario, XmppClient sender, XmppClient receiver, int bodyBytes, TimeSpan duration, bool throughTunnel, Func<TimeSpan>? serverCpu = null)
    {
        // A short warm-up on the same clients, then the measurement.
        _ = await SendForAsync(sender, receiver, bodyBytes, TimeSpan.FromMilliseconds(300), throughTunnel, WindowFor(bodyBytes));
        TimeSpan serverStart = serverCpu?.Invoke() ?? TimeSpan.Zero;
        var clock = new CpuClock();
        long delivered = await SendForAsync(sender, receiver, bodyBytes, duration, throughTunnel, WindowFor(bodyBytes));
        return new ThroughputCell(scenario, bodyBytes, delivered, clock.Elapsed.TotalSeconds, clock.CpuSeconds, WindowFor(bodyBytes), null)
        {
            ServerCpuSeconds = serverCpu is null ? null : (serverCpu() - serverStart).TotalSeconds,
            AllocatedBytes = clock.AllocatedBytes,
            ThreadPoolWorkItems = clock.ThreadPoolWorkItems,
        };
    }

    /// <summary>Sends for the duration with the window, then waits for every message; returns how many arrived.</summary>
    public static Task<long> SendForAsync(XmppClient sender, XmppClient receiver, int bodyBytes, TimeSpan duration, bool throughTunnel, int window) =>
        SendAsync(sender, receiver, Payloads.Body(bodyBytes), duration, long.MaxValue, throughTunnel, window);

    /// <summary>Sends messages with the body until the duration or the count is reached, with the window; waits for every one; returns how many arrived.</summary>
    public static async Task<long> SendAsync(XmppClient sender, XmppClient receiver, string body, TimeSpan duration, long maxCount, bool throughTunnel, int window)
    {
        Jid to = receiver.Jid;
        using var credits = new SemaphoreSlim(window, window);
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long received = 0;
        long expected = long.MaxValue;
        int wrongPath = 0;
        Exception? failure = null;

        void OnReceived(object? source, StanzaReceivedEventArgs e)
        {
            if (e.Stanza.Name != Stanza.MessageName)
            {
                return;
            }

            if (e.Stanza.IsFromXtlsTunnel() != throughTunnel)
            {
                Interlocked.Increment(ref wrongPath);
            }

            long count = Interlocked.Increment(ref received);
            credits.Release();
            if (count >= Volatile.Read(ref expected))
            {
                allArrived.TrySetResult();
            }
        }

        receiver.StanzaReceived += OnReceived;
        try
        {
            var clock = new CpuClock();
            long sent = 0;
            Task lastSend = Task.CompletedTask;
            while (clock.Elapsed < duration && sent < maxCount && failure is null)
            {
                if (!await credits.WaitAsync(Bound))
                {
                    throw new TimeoutException($"No message arrived for {Bound.TotalSeconds} s ({sent} sent, {Interlocked.Read(ref received)} received).");
                }

                Task sending = sender.SendAsync(Payloads.Message(to, body));
                lastSend = sending;
                sent++;
                if (!sending.IsCompletedSuccessfully)
                {
                    _ = sending.ContinueWith(t => failure ??= t.Exception?.GetBaseException(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            }

            Volatile.Write(ref expected, sent);
            if (Interlocked.Read(ref received) >= sent)
            {
                allArrived.TrySetResult();
            }

            await allArrived.Task.WaitAsync(Bound);

            // Through a tunnel a send completes when the peer acknowledged it, in order: then every IQ-result is in.
            await lastSend.WaitAsync(Bound);
            if (failure is not null)
            {
                throw new InvalidOperationException("A message could not be sent: " + failure.Message, failure);
            }

            if (wrongPath > 0)
            {
                throw new InvalidOperationException($"{wrongPath} messages arrived {(throughTunnel ? "in the clear" : "through a tunnel")}.");
            }

            return sent;
        }
        finally
        {
            receiver.StanzaReceived -= OnReceived;
        }
    }

    /// <summary>Sends one message and waits for it to arrive; returns the time it took.</summary>
    public static async Task<TimeSpan> SendOneAsync(XmppClient sender, XmppClient receiver, XElement message)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReceived(object? source, StanzaReceivedEventArgs e)
        {
            if (e.Stanza.Name == Stanza.MessageName)
            {
                arrived.TrySetResult();
            }
        }

        receiver.StanzaReceived += OnReceived;
        try
        {
            var clock = new CpuClock();
            await sender.SendAsync(message).WaitAsync(Bound);
            await arrived.Task.WaitAsync(Bound);
            return clock.Elapsed;
        }
        finally
        {
            receiver.StanzaReceived -= OnReceived;
        }
    }
}
