using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Reopen;

/// <summary>
/// The re-open tickets of tunnels being set up, per peer, between the IQ negotiation (<c>start</c> and
/// <c>proceed</c>) and the TLS endpoint; and the initiators whose re-open handshake failed and that start over
/// once with a full handshake. Bounded by the tunnels: at most one ticket and one retry per peer.
/// </summary>
internal sealed class ReopenAttempts(ReopenCoordinator coordinator)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Jid, ReopenTicket> _pending = [];
    private readonly Dictionary<Jid, XtlsMethod> _retry = [];

    // Initiator: the peers whose start offered a re-open, until the tunnel ends.
    private readonly HashSet<Jid> _offered = [];

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

    /// <summary>Initiator: holds the ticket whose identity this side's <c>start</c> offers.</summary>
    public void HoldOffer(Jid peer, ReopenTicket ticket)
    {
        lock (_gate)
        {
            _offered.Add(peer);
        }

        Hold(peer, ticket);
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
    public void Return(ReopenTicket ticket) => Coordinator.Return(ticket.Secret);

    /// <summary>
    /// Initiator: the handshake with this peer failed before the tunnel opened. It is retried once in full (the end of
    /// this tunnel starts it) if it used a re-open key the responder had accepted, or, for <c>srp</c>, if a re-open was
    /// offered at all: a server in the middle that strips the acceptance leaves the responder waiting for a TLS 1.3
    /// re-open while this side starts TLS 1.2 SRP. A full x509 handshake that fails after an unaccepted offer is an
    /// ordinary failure (its ClientHello carried no key) and is not retried.
    /// </summary>
    public void HandshakeFailed(Jid peer, XtlsMethod method, bool usedAcceptedKey)
    {
        lock (_gate)
        {
            if (usedAcceptedKey || (method == XtlsMethod.Srp && _offered.Contains(peer)))
            {
                _retry[peer] = method;
            }
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
            _offered.Remove(peer);
            retry = _retry.Remove(peer, out retryMethod);
        }

        ticket?.Dispose();
        return retry;
    }
}
