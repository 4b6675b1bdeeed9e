using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>Answers to this side's IQs: <c>proceed</c> or an error for <c>start</c>, acknowledgements and errors for <c>data</c>, <c>closed</c> for <c>close</c>.</summary>
public sealed partial class TunnelManager
{
    private bool HandleResponse(XElement iq, string type, XElement? xtls, DateTimeOffset now)
    {
        string? id = Stanza.GetId(iq);
        if (id is null)
        {
            return xtls is not null;
        }

        if (!_outstanding.TryGetValue(id, out OutstandingIq? pending))
        {
            // Answers to IQs of tunnels that ended (or to fire-and-forget closes) are ours to swallow.
            return _ids.Issued(id) || xtls is not null;
        }

        Tunnel tunnel = pending.Tunnel;
        bool isError = type == "error";
        string? fromText = (string?)iq.Attribute("from");
        Jid? from = null;
        if ((fromText is not null && !Jid.TryParse(fromText, out from)) || !IsAnswerFrom(tunnel.Remote, from, isError))
        {
            // Not from the peer (or its path): ignore it and keep waiting for the real answer.
            return true;
        }

        _outstanding.Remove(id);
        StanzaError? error = isError ? PeerErrors.Read(iq) : null;
        switch (pending.Kind)
        {
            case IqKind.Start:
                tunnel.StartIqId = null;
                if (error is null)
                {
                    HandleProceed(tunnel, xtls, now);
                }
                else
                {
                    HandleStartError(tunnel, error);
                }

                break;
            case IqKind.Data:
                if (error is null)
                {
                    HandleAcknowledgement(tunnel, pending.Chunk!, now);
                }
                else
                {
                    HandleDataError(tunnel, pending.Chunk!, error, now);
                }

                break;
            default:
                tunnel.CloseIqId = null;
                HandleCloseAnswer(tunnel, error);
                break;
        }

        return true;
    }

    /// <summary>
    /// A result must come from the peer itself. An error may also come from its bare JID or domain
    /// (its server answering for it) or from this side's own account or server (a bounce), all of
    /// which only a server can stamp.
    /// </summary>
    private bool IsAnswerFrom(Jid remote, Jid? from, bool isError)
    {
        if (from == remote)
        {
            return true;
        }

        if (!isError)
        {
            return false;
        }

        return from is null
            || from == remote.Bare
            || IsDomainOf(from, remote)
            || from == LocalJid.Bare
            || IsDomainOf(from, LocalJid);
    }

    private static bool IsDomainOf(Jid candidate, Jid jid) =>
        candidate.Local is null && candidate.Resource is null && candidate.Domain == jid.Domain;

    private void HandleProceed(Tunnel tunnel, XElement? xtls, DateTimeOffset now)
    {
        if (tunnel.State != TunnelState.Starting)
        {
            return;
        }

        XtlsOffer? offer = null;
        try
        {
            // An empty result is read as proceed without an offer, as early drafts had it.
            if (xtls is not null && xtls.Name != XtlsElements.ProceedName)
            {
                throw new XtlsFormatException($"Expected proceed, found '{xtls.Name.LocalName}'.");
            }

            offer = xtls is null ? null : XtlsElements.ReadOffer(xtls);
        }
        catch (XtlsFormatException e)
        {
            // The peer now waits for the handshake: tell it with close.
            BeginClosing(tunnel, TunnelCloseReason.ProtocolViolation, "bad proceed: " + e.Message, failure: true, now);
            return;
        }

        tunnel.State = TunnelState.Handshaking;
        tunnel.StartDeadline = null;
        tunnel.HandshakeDeadline = now + _options.HandshakeTimeout;
        _timed.Add(tunnel);
        tunnel.TlsStarted = true;
        Emit(new ProceedReceived(tunnel.Remote, offer) { ReopenIdentity = xtls is null ? null : XtlsElements.ReadReopen(xtls) });
        Emit(new StartTls(tunnel.Remote, AsClient: true, tunnel.Method!));
    }

    private void HandleStartError(Tunnel tunnel, StanzaError error)
    {
        TunnelCloseReason reason = error.Condition switch
        {
            StanzaErrorConditions.ServiceUnavailable or StanzaErrorConditions.FeatureNotImplemented => TunnelCloseReason.NotSupported,
            StanzaErrorConditions.NotAcceptable => TunnelCloseReason.Refused,
            StanzaErrorConditions.Conflict => TunnelCloseReason.Conflict,
            _ => TunnelCloseReason.PeerError,
        };
        End(tunnel, reason, PeerErrors.Describe(error));
    }

    private void HandleAcknowledgement(Tunnel tunnel, InFlightChunk chunk, DateTimeOffset now)
    {
        if (!tunnel.Outbound.Acknowledge(chunk))
        {
            End(tunnel, TunnelCloseReason.Throttled, "data arrived out of order around a wait error");
            return;
        }

        tunnel.LastProgress = now;
        tunnel.Window.OnAcknowledged(chunk.Payload.Length, chunk.SentAt, chunk.DeliveredAtSend, now);
        ReportAcknowledged(tunnel);
        Pump(tunnel, now);
    }

    private void HandleDataError(Tunnel tunnel, InFlightChunk chunk, StanzaError error, DateTimeOffset now)
    {
        if (tunnel.State == TunnelState.Closing && tunnel.ClosingIsFailure)
        {
            // This side failed first; the peer refusing the data that followed is a consequence, not the cause.
            End(tunnel, tunnel.ClosingReason, tunnel.ClosingDetail);
            return;
        }

        if (error.Type != StanzaErrorType.Wait)
        {
            // item-not-found: the peer no longer knows the tunnel, as when it went away.
            TunnelCloseReason reason = error.Condition == StanzaErrorConditions.ItemNotFound || PeerErrors.MeansPeerGone(error)
                ? TunnelCloseReason.PeerGone
                : TunnelCloseReason.PeerError;
            End(tunnel, reason, "data: " + PeerErrors.Describe(error));
            return;
        }

        if (chunk.WaitErrors >= _options.WaitRetryLimit)
        {
            End(tunnel, TunnelCloseReason.Throttled, string.Create(CultureInfo.InvariantCulture, $"data: {PeerErrors.Describe(error)} after {chunk.WaitErrors} resends"));
            return;
        }

        if (!tunnel.Outbound.MarkForResend(chunk))
        {
            End(tunnel, TunnelCloseReason.Throttled, "data arrived out of order around a wait error");
            return;
        }

        tunnel.Window.OnWait();

        // Back off exponentially per chunk; the latest due time wins so the batch goes out together.
        TimeSpan delay = _options.WaitRetryDelay * (1 << (chunk.WaitErrors - 1));
        DateTimeOffset due = now + delay;
        tunnel.ResendAt = tunnel.ResendAt is null || tunnel.ResendAt < due ? due : tunnel.ResendAt;
        Pump(tunnel, now);
    }

    private void HandleCloseAnswer(Tunnel tunnel, StanzaError? error)
    {
        if (error is null)
        {
            EndClosing(tunnel, TunnelCloseReason.ClosedLocally, null);
        }
        else if (error.Condition == StanzaErrorConditions.ItemNotFound)
        {
            // The peer no longer knows the tunnel: it is closed on both sides.
            EndClosing(tunnel, TunnelCloseReason.ClosedLocally, "close: " + PeerErrors.Describe(error));
        }
        else
        {
            EndClosing(
                tunnel,
                PeerErrors.MeansPeerGone(error) ? TunnelCloseReason.PeerGone : TunnelCloseReason.PeerError,
                "close: " + PeerErrors.Describe(error));
        }
    }
}
