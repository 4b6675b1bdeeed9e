using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Reopen;

/// <summary>
/// The re-open tickets of tunnels being set up, per peer, between the IQ negotiation (<c>start</c> and
/// <c>proceed</c>) and the TLS endpoint; and the initiators whose re-open handshake failed and that start over
/// once with a full handshake. Bounded by the tunnels: at most one ticket and one retry per peer.
/// </summary>
internal sealed class ReopenAttempts(ReopenCoordinator coordinator, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Jid, ReopenTicket> _pending = [];
    private readonly Dictionary<Jid, XtlsMethod> _retry = [];

    public ReopenCoordinator Coordinator { get; } = coordinator;

    /// <summary>Holds the ticket for the tunnel being set up with <paramref name="peer"/> (replacing one left over).</summary>
    public void Hold(Jid peer, ReopenTicket ticket)
    {
        ReopenTicket? stale;
        lock (_gate)
        {
            _pending.Remove(peer, out stale);
            _pending[peer] = ticket;
        }

        stale?.Dispose();
    }

    /// <summary>Initiator: the responder's <c>proceed</c> echoed <paramref name="echoed"/> (or nothing).</summary>
    public void ProceedReceived(Jid peer, byte[]? echoed)
    {
        lock (_gate)
        {
            if (echoed is not null && _pending.TryGetValue(peer, out ReopenTicket? ticket) && ticket.Key.Matches(echoed))
            {
                ticket.AcceptedByPeer = true;
            }
        }
    }

    /// <summary>
    /// The ticket for the TLS endpoint being created, or <c>null</c> for a full handshake: the initiator uses it
    /// only if the responder accepted it, the responder only for the method it was agreed under.
    /// </summary>
    public ReopenTicket? TakeForTls(Jid peer, bool asClient, XtlsMethod method)
    {
        ReopenTicket? ticket;
        lock (_gate)
        {
            _pending.Remove(peer, out ticket);
        }

        if (ticket is null || (ticket.Method == method && (!asClient || ticket.AcceptedByPeer)))
        {
            return ticket;
        }

        ticket.Dispose();
        return null;
    }

    /// <summary>Puts an unused ticket's secret back into the store (the attempt never got to use it).</summary>
    public void Return(ReopenTicket ticket) => Coordinator.Store.Add(ticket.Secret, time.GetUtcNow());

    /// <summary>Initiator: the re-open handshake with this peer failed; its end starts a full handshake instead.</summary>
    public void Failed(Jid peer, XtlsMethod method)
    {
        lock (_gate)
        {
            _retry[peer] = method;
        }
    }

    /// <summary>The tunnel with this peer ended: drops its ticket and says whether a failed re-open is to be retried in full.</summary>
    public bool Ended(Jid peer, out XtlsMethod retryMethod)
    {
        ReopenTicket? ticket;
        bool retry;
        lock (_gate)
        {
            _pending.Remove(peer, out ticket);
            retry = _retry.Remove(peer, out retryMethod);
        }

        ticket?.Dispose();
        return retry;
    }
}
