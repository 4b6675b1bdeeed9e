using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>What goes out: requests, answers, data chunks within the window, close, and the end of a tunnel.</summary>
public sealed partial class TunnelManager
{
    /// <summary>Sends an IQ-set and remembers its id until the answer comes or the tunnel ends.</summary>
    private string SendRequest(Tunnel tunnel, IqKind kind, XElement payload, InFlightChunk? chunk)
    {
        string id = _ids.Next();
        _outstanding.Add(id, new OutstandingIq(tunnel, kind, chunk));
        Send(Stanza.Iq("set", id, tunnel.Remote, payload, LocalJid));
        return id;
    }

    /// <summary>
    /// Sends <c>close</c> without waiting for its answer, for a tunnel that ends at once (a timeout) so
    /// the peer frees its side too. The answer is recognised by its id and ignored.
    /// </summary>
    private void SendCloseAndForget(Tunnel tunnel)
    {
        if (tunnel.CloseIqId is null)
        {
            Send(Stanza.Iq("set", _ids.Next(), tunnel.Remote, XtlsElements.Close(), LocalJid));
        }
    }

    // Answers are built from the id and the parsed sender rather than by swapping the request's
    // addresses: a pending start is answered long after its request, and 'from' is always this session.
    private void Reply(string id, Jid to, XElement? payload = null) =>
        Send(Stanza.Iq("result", id, to, payload, LocalJid));

    private void ReplyError(string id, Jid to, StanzaError error) =>
        Send(Stanza.Iq("error", id, to, error.ToXElement(), LocalJid));

    /// <summary>
    /// <c>not-acceptable</c> of type <c>cancel</c>, as the XTLS text answers a refused start: RFC 6120
    /// suggests <c>modify</c>, but nothing the peer changes in the request will get it accepted.
    /// </summary>
    private static StanzaError Refusal(string? text = null) =>
        new(StanzaErrorType.Cancel, StanzaErrorConditions.NotAcceptable, text);

    /// <summary>Answers the peer's pending start with an error, so no IQ stays unanswered.</summary>
    private void AnswerPendingStart(Tunnel tunnel, StanzaError error)
    {
        if (tunnel.PeerStartIqId is not null)
        {
            ReplyError(tunnel.PeerStartIqId, tunnel.Remote, error);
            tunnel.PeerStartIqId = null;
        }
    }

    /// <summary>Answers the peer's start with proceed: this side is the responder and waits for the first data.</summary>
    private void AcceptPending(Tunnel tunnel, string peerStartIqId, DateTimeOffset now)
    {
        XElement proceed = XtlsElements.Proceed(tunnel.LocalOffer);
        if (tunnel.LocalReopen is { } reopen)
        {
            proceed.Add(XtlsElements.Reopen(reopen));
        }

        Reply(peerStartIqId, tunnel.Remote, proceed);
        tunnel.LocalReopen = null;
        tunnel.PeerStartIqId = null;
        tunnel.Initiator = false;
        tunnel.Method = null;
        tunnel.State = TunnelState.Handshaking;
        tunnel.DecisionDeadline = null;
        tunnel.StartDeadline = null;
        tunnel.HandshakeDeadline = now + _options.HandshakeTimeout;
        _timed.Add(tunnel);
    }

    /// <summary>Stops delivery and flushes the queue; <c>close</c> follows once all is acknowledged.</summary>
    private void BeginClosing(Tunnel tunnel, TunnelCloseReason reason, string? detail, bool failure, DateTimeOffset now)
    {
        if (tunnel.State == TunnelState.Closing)
        {
            // An orderly close that meets a failure reports the failure.
            if (failure && !tunnel.ClosingIsFailure)
            {
                tunnel.ClosingReason = reason;
                tunnel.ClosingDetail = detail;
                tunnel.ClosingIsFailure = true;
            }

            return;
        }

        if (tunnel.StartIqId is not null)
        {
            // The answer to an abandoned start is recognised by its id and ignored.
            _outstanding.Remove(tunnel.StartIqId);
            tunnel.StartIqId = null;
        }

        tunnel.State = TunnelState.Closing;
        tunnel.ClosingReason = reason;
        tunnel.ClosingDetail = detail;
        tunnel.ClosingIsFailure = failure;
        tunnel.StartDeadline = null;
        tunnel.HandshakeDeadline = null;

        // The closing path has its own bounds (progress while flushing, then CloseTimeout for closed).
        tunnel.PeerCloseDeadline = null;
        Pump(tunnel, now);
    }

    /// <summary>
    /// Sends what the window allows: first any chunks due for resending (in order), else new chunks
    /// coalesced from the queue; then <c>close</c> when a closing tunnel has nothing left in flight.
    /// </summary>
    private void Pump(Tunnel tunnel, DateTimeOffset now)
    {
        if (tunnel.Ended)
        {
            return;
        }

        // Chunks in flight, a resend or close may get a deadline here.
        _timed.Add(tunnel);
        OutboundStream outbound = tunnel.Outbound;
        if (tunnel.SendsData)
        {
            if (outbound.HasResends)
            {
                if (!outbound.CanResend || tunnel.ResendAt > now)
                {
                    return;
                }

                tunnel.ResendAt = null;
                foreach (InFlightChunk chunk in outbound.TakeResends())
                {
                    SendChunk(tunnel, chunk);
                }
            }

            while (outbound.QueuedBytes > 0 && tunnel.WindowAllowsMore)
            {
                if (outbound.InFlightCount == 0)
                {
                    tunnel.LastProgress = now;
                }

                string? method = tunnel.Initiator && !tunnel.MethodSent ? tunnel.Method : null;
                tunnel.MethodSent |= method is not null;
                SendChunk(tunnel, outbound.TakeChunk(tunnel.Window.ChunkBytes, method, now, tunnel.Window.Delivered));
            }

            if (tunnel.WindowFullReported && !tunnel.SendWindowFull)
            {
                tunnel.WindowFullReported = false;
                Emit(new SendWindowOpen(tunnel.Remote));
            }

            if (tunnel.Backpressured && outbound.QueuedBytes <= _options.MaxQueuedCiphertextBytes / 2 && tunnel.State != TunnelState.Closing)
            {
                tunnel.Backpressured = false;
                Emit(new SendCapacityAvailable(tunnel.Remote));
            }
        }

        if (tunnel.State == TunnelState.Closing && tunnel.CloseIqId is null && outbound.IsDrained)
        {
            tunnel.CloseIqId = SendRequest(tunnel, IqKind.Close, XtlsElements.Close(), null);
            tunnel.CloseDeadline = now + _options.CloseTimeout;
        }
    }

    private SendWindow NewWindow(Jid remote) => new(_options.Window, ChunkSizing.For(_options, ServerMaxStanzaBytes, LocalJid, remote));

    // The ciphertext travels beside the envelope, never as a string: the driver writes its Base64 into the output.
    private void SendChunk(Tunnel tunnel, InFlightChunk chunk)
    {
        string id = _ids.Next();
        _outstanding.Add(id, new OutstandingIq(tunnel, IqKind.Data, chunk));
        XElement data = XtlsElements.DataEnvelope(chunk.Method);
        XElement iq = Stanza.Iq("set", id, tunnel.Remote, data, LocalJid);
        Emit(new SendStanza(iq, iq.Elements().First(), chunk.Payload));
        chunk.IqId = id;
    }

    /// <summary>Reports the tokens whose bytes are all acknowledged.</summary>
    private void ReportAcknowledged(Tunnel tunnel)
    {
        foreach (object token in tunnel.Outbound.TakeAcknowledgedTokens())
        {
            Emit(new Acknowledged(tunnel.Remote, token));
        }
    }

    /// <summary>Forgets the tunnel and its outstanding IQs and reports its end with the tokens never acknowledged.</summary>
    private void End(Tunnel tunnel, TunnelCloseReason reason, string? detail)
    {
        if (tunnel.Ended)
        {
            return;
        }

        tunnel.Ended = true;
        _tunnels.Remove(tunnel.Remote);
        _timed.Remove(tunnel);
        if (tunnel.StartIqId is not null)
        {
            _outstanding.Remove(tunnel.StartIqId);
        }

        if (tunnel.CloseIqId is not null)
        {
            _outstanding.Remove(tunnel.CloseIqId);
        }

        foreach (string id in tunnel.Outbound.InFlightIds())
        {
            _outstanding.Remove(id);
        }

        Emit(new TunnelEnded(tunnel.Remote, reason, detail, tunnel.Initiator, tunnel.Outbound.TakeAllTokens()));
    }

    /// <summary>Ends a closing tunnel: a failure keeps its own reason, an orderly close takes the given one.</summary>
    private void EndClosing(Tunnel tunnel, TunnelCloseReason orderlyReason, string? detail)
    {
        if (tunnel.ClosingIsFailure)
        {
            End(tunnel, tunnel.ClosingReason, tunnel.ClosingDetail);
        }
        else
        {
            End(tunnel, orderlyReason, detail);
        }
    }
}
