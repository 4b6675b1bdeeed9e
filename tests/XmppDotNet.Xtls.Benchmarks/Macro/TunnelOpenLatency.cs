using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// Time from <see cref="XtlsService.OpenAsync"/> to the open tunnel and to the first encrypted stanza at the
/// peer, and (on the in-memory router, which shows every stanza it forwards) the one-way legs in between:
/// a leg is a run of stanzas in one direction, IQ-results without payload (acknowledgements) not counted.
/// </summary>
internal static class TunnelOpenLatency
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public sealed record Result(double OpenMedian, double FirstStanzaMedian, int Legs);

    public static async Task<Result> MeasureAsync(XmppClient initiator, XmppClient responder, XtlsMethod method, int samples, InMemoryRouter? router)
    {
        var opens = new List<double>();
        var firsts = new List<double>();
        int legs = 0;
        for (int i = 0; i <= samples; i++)
        {
            var routed = new ConcurrentQueue<(bool Forward, bool Ack)>();
            void OnRouted(object? source, RoutedStanzaEventArgs e)
            {
                bool forward = e.From == initiator.Jid && e.To == responder.Jid;
                bool backward = e.From == responder.Jid && e.To == initiator.Jid;
                if (forward || backward)
                {
                    routed.Enqueue((forward, Stanza.GetType(e.Stanza) == "result" && !e.Stanza.HasElements));
                }
            }

            if (router is not null)
            {
                router.StanzaRouted += OnRouted;
            }

            var clock = new CpuClock();
            TimeSpan opened;
            try
            {
                _ = await initiator.GetXtls().OpenAsync(responder.Jid, method).WaitAsync(Bound);
                opened = clock.Elapsed;
                _ = await StanzaThroughput.SendOneAsync(initiator, responder, Payloads.Message(responder.Jid, 256));
            }
            finally
            {
                if (router is not null)
                {
                    router.StanzaRouted -= OnRouted;
                }
            }

            TimeSpan first = clock.Elapsed;

            // The first round only warms up; its numbers are not kept.
            if (i > 0)
            {
                opens.Add(opened.TotalMilliseconds);
                firsts.Add(first.TotalMilliseconds);
                legs = CountLegs(routed);
            }

            await CloseAsync(initiator, responder);
        }

        return new Result(HandshakeLatency.Median(opens), HandshakeLatency.Median(firsts), router is null ? 0 : legs);
    }

    /// <summary>Closes the tunnel and waits until both ends have forgotten it.</summary>
    public static async Task CloseAsync(XmppClient initiator, XmppClient responder)
    {
        XtlsService peer = responder.GetXtls();
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnClosed(object? source, XtlsTunnelClosedEventArgs e)
        {
            if (e.Peer == initiator.Jid)
            {
                gone.TrySetResult();
            }
        }

        peer.TunnelClosed += OnClosed;
        try
        {
            if (peer.GetTunnel(initiator.Jid) is null)
            {
                gone.TrySetResult();
            }

            await initiator.GetXtls().CloseAsync(responder.Jid).WaitAsync(Bound);
            await gone.Task.WaitAsync(Bound);
        }
        finally
        {
            peer.TunnelClosed -= OnClosed;
        }
    }

    private static int CountLegs(IEnumerable<(bool Forward, bool Ack)> routed)
    {
        int legs = 0;
        bool? direction = null;
        foreach ((bool forward, bool ack) in routed)
        {
            if (!ack && direction != forward)
            {
                legs++;
                direction = forward;
            }
        }

        return legs;
    }
}
