namespace XmppDotNet.Xtls.Tunnels;

/// <summary>Timeouts and delayed resends, fired by <see cref="Tick"/>.</summary>
public sealed partial class TunnelManager
{
    /// <summary>Fires what is due at <paramref name="now"/>: timeouts end tunnels, delayed resends go out.</summary>
    /// <param name="now">The current time.</param>
    public void Tick(DateTimeOffset now)
    {
        foreach (Tunnel tunnel in _tunnels.Values.ToArray())
        {
            Fire(tunnel, now);
        }
    }

    private void Fire(Tunnel tunnel, DateTimeOffset now)
    {
        if (tunnel.StartDeadline <= now)
        {
            SendCloseAndForget(tunnel);
            End(tunnel, TunnelCloseReason.StartTimeout, "no answer to start");
        }
        else if (tunnel.DecisionDeadline <= now)
        {
            AnswerPendingStart(tunnel, Refusal("No decision in time."));
            End(tunnel, TunnelCloseReason.DecisionTimeout, "no decision on the request");
        }
        else if (tunnel.HandshakeDeadline <= now)
        {
            SendCloseAndForget(tunnel);
            End(tunnel, TunnelCloseReason.HandshakeTimeout, "the TLS handshake did not complete");
        }
        else if (tunnel.CloseDeadline <= now)
        {
            EndClosing(tunnel, TunnelCloseReason.CloseTimeout, "no closed after close");
        }
        else if (tunnel.PeerCloseDeadline <= now)
        {
            // The peer's close_notify (authenticated by TLS) already closed the tunnel in order; only its
            // close went missing. The fire-and-forget close frees the peer's side; its answer is ignored.
            SendCloseAndForget(tunnel);
            End(tunnel, TunnelCloseReason.ClosedByPeer, "the peer sent close_notify but no close");
        }
        else if (tunnel.Outbound.InFlightCount > 0 && tunnel.LastProgress + _options.ProgressTimeout <= now)
        {
            SendCloseAndForget(tunnel);
            if (tunnel.State == TunnelState.Closing)
            {
                EndClosing(tunnel, TunnelCloseReason.ProgressTimeout, "no acknowledgement while flushing");
            }
            else
            {
                End(tunnel, TunnelCloseReason.ProgressTimeout, "no acknowledgement of data in flight");
            }
        }
        else if (tunnel.ResendAt <= now)
        {
            Pump(tunnel, now);
        }
    }
}
