using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>What comes in: the entry point, and the peer's requests (<c>start</c>, <c>data</c>, <c>close</c>).</summary>
public sealed partial class TunnelManager
{
    private static readonly XName UnqualifiedIqName = XName.Get("iq", string.Empty);

    /// <summary>
    /// Offers an incoming stanza. Consumed are: IQs with a child in <c>urn:xmpp:tmp:xtls</c>, and
    /// results and errors answering an IQ this manager sent (also after its tunnel ended).
    /// Everything else is left to the host (returns <c>false</c>).
    /// </summary>
    /// <param name="stanza">The stanza as received, <c>from</c> and <c>to</c> included.</param>
    /// <param name="now">The current time.</param>
    /// <returns>Whether the stanza was consumed.</returns>
    public bool HandleIncoming(XElement stanza, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        return Offer(stanza, null, default, now);
    }

    /// <summary>
    /// Offers an incoming stanza whose <c>data</c> element's text arrived apart, as bytes (as a host parser delivers
    /// it), so that it never becomes a string: the same as <see cref="HandleIncoming(XElement, DateTimeOffset)"/> with
    /// <paramref name="dataText"/> as the text of <paramref name="dataElement"/>.
    /// </summary>
    /// <param name="stanza">The stanza as received, <c>from</c> and <c>to</c> included, its <c>data</c> element empty.</param>
    /// <param name="dataElement">The <c>data</c> element (named <see cref="XtlsElements.DataName"/>), a child of <paramref name="stanza"/>.</param>
    /// <param name="dataText">The text of <paramref name="dataElement"/> as ASCII bytes.</param>
    /// <param name="now">The current time.</param>
    /// <returns>Whether the stanza was consumed.</returns>
    /// <exception cref="ArgumentException">The element is not an empty <c>data</c> child of the stanza.</exception>
    public bool HandleIncoming(XElement stanza, XElement dataElement, ReadOnlySpan<byte> dataText, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ArgumentNullException.ThrowIfNull(dataElement);
        if (dataElement.Name != XtlsElements.DataName || dataElement.Parent != stanza || dataElement.FirstNode is not null)
        {
            throw new ArgumentException("The data element must be an empty XTLS data child of the stanza.", nameof(dataElement));
        }

        return Offer(stanza, dataElement, dataText, now);
    }

    private bool Offer(XElement stanza, XElement? dataElement, ReadOnlySpan<byte> dataText, DateTimeOffset now)
    {
        if (!IsIq(stanza) || !IsAddressedHere(stanza))
        {
            return false;
        }

        XElement? xtls = FindXtlsChild(stanza);
        string? type = Stanza.GetType(stanza);
        switch (type)
        {
            case "set" or "get":
                if (xtls is null)
                {
                    return false;
                }

                HandleRequest(stanza, type, xtls, dataElement, dataText, now);
                return true;
            case "result" or "error":
                return HandleResponse(stanza, type, xtls, now);
            default:
                // An IQ without a valid type is not answerable; drop it if it is ours to look at.
                return xtls is not null;
        }
    }

    /// <summary>
    /// An IQ in <c>jabber:client</c>, or in no namespace: the manager has no stream of its own, and some
    /// decoders hand stanzas over without the stream's default namespace.
    /// </summary>
    private static bool IsIq(XElement stanza) => Stanza.IsIq(stanza) || stanza.Name == UnqualifiedIqName;

    /// <summary>The first child element in the XTLS namespace, or <c>null</c>.</summary>
    private static XElement? FindXtlsChild(XElement iq) =>
        iq.Elements().FirstOrDefault(child => child.Name.NamespaceName == XtlsNamespaces.Xtls);

    // Addresses are parsed tolerantly: a malformed one makes the stanza not ours (or not answerable), never an exception.
    private bool IsAddressedHere(XElement stanza)
    {
        string? to = (string?)stanza.Attribute("to");
        return to is null || (Jid.TryParse(to, out Jid? jid) && jid == LocalJid);
    }

    private void HandleRequest(XElement iq, string type, XElement xtls, XElement? dataElement, ReadOnlySpan<byte> dataText, DateTimeOffset now)
    {
        string? id = Stanza.GetId(iq);
        if (string.IsNullOrEmpty(id) || !Jid.TryParse((string?)iq.Attribute("from"), out Jid? from))
        {
            // Without an id or a sender there is nothing to answer to.
            return;
        }

        if (!from.IsFull || from == LocalJid)
        {
            ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.BadRequest, "XTLS tunnels are between two full JIDs."));
            return;
        }

        if (type == "get" || iq.Elements().Skip(1).Any())
        {
            ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.BadRequest, "XTLS requests are IQ-sets with one child element."));
            return;
        }

        if (xtls.Name == XtlsElements.StartName)
        {
            HandleStart(id, from, xtls, now);
        }
        else if (xtls.Name == XtlsElements.DataName)
        {
            HandleData(id, from, xtls, xtls == dataElement, dataText, now);
        }
        else if (xtls.Name == XtlsElements.CloseName)
        {
            HandleClose(id, from);
        }
        else
        {
            ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.FeatureNotImplemented, $"'{xtls.Name.LocalName}' is not an XTLS request."));
        }
    }

    private void HandleStart(string id, Jid from, XElement start, DateTimeOffset now)
    {
        XtlsOffer? offer;
        try
        {
            offer = XtlsElements.ReadOffer(start);
        }
        catch (XtlsFormatException e)
        {
            ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.BadRequest, e.Message));
            return;
        }

        if (_tunnels.TryGetValue(from, out Tunnel? existing))
        {
            switch (existing.State)
            {
                case TunnelState.Starting when LocalJid.CompareTo(from) < 0:
                    // Simultaneous start, and this side's full JID sorts first: its request has priority.
                    ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.Conflict, "Simultaneous start: the request of the JID sorting first proceeds."));
                    return;
                case TunnelState.Starting:
                    // Simultaneous start, and the peer's request has priority: this side wanted a tunnel
                    // anyway, so it becomes the responder of the peer's request at once.
                    _outstanding.Remove(existing.StartIqId!);
                    existing.StartIqId = null;
                    existing.LocalReopen = null; // the re-open this side offered is not the peer's: a full handshake
                    AcceptPending(existing, id, now);
                    Emit(new BecameResponder(from, offer));
                    return;
                case TunnelState.AwaitingDecision when existing.PeerStartIqId == id:
                    // A copy of the start still being decided (same sender, same id): it gets its one
                    // answer when the decision comes; treating it as newer would refuse the original.
                    return;
                case TunnelState.AwaitingDecision:
                    AnswerPendingStart(existing, StanzaError.Of(StanzaErrorConditions.Conflict, "Superseded by a newer start."));
                    End(existing, TunnelCloseReason.Replaced, "the peer sent a new start");
                    break;
                default:
                    // The peer lost its side of the tunnel (e.g. it logged in again): never keep a stale tunnel.
                    End(existing, TunnelCloseReason.Replaced, "the peer sent a new start");
                    break;
            }
        }

        TunnelLimit? limit = CheckTunnelLimits(from, incoming: true);
        if (limit is not null)
        {
            ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.ResourceConstraint, $"Too many XTLS tunnels ({limit})."));
            return;
        }

        var tunnel = new Tunnel(from, initiator: false, TunnelState.AwaitingDecision, NewWindow(from))
        {
            PeerStartIqId = id,
            DecisionDeadline = now + _options.IncomingDecisionTimeout,
        };
        _tunnels.Add(from, tunnel);
        _timed.Add(tunnel);
        Emit(new IncomingRequest(from, offer) { ReopenIdentity = XtlsElements.ReadReopen(start) });
    }

    private void HandleData(string id, Jid from, XElement data, bool textApart, ReadOnlySpan<byte> text, DateTimeOffset now)
    {
        if (!_tunnels.TryGetValue(from, out Tunnel? tunnel))
        {
            ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.ItemNotFound, "No XTLS tunnel with this JID."));
            return;
        }

        if (tunnel.State == TunnelState.Starting)
        {
            // Data reaching an initiator that waits for proceed belongs to an earlier tunnel the peer
            // still has (it has not seen the new start yet): that one is unknown here, the new start stays.
            ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.ItemNotFound, "No XTLS tunnel with this JID is open; a new one is being started."));
            return;
        }

        if (tunnel.State == TunnelState.AwaitingDecision)
        {
            // cancel, not the wait RFC 6120 suggests: the tunnel ends here, so a retry could only fail.
            ReplyError(id, from, new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.UnexpectedRequest, "The XTLS tunnel has not been accepted."));
            AnswerPendingStart(tunnel, Refusal("Data before acceptance."));
            End(tunnel, TunnelCloseReason.ProtocolViolation, "data before the tunnel was accepted");
            return;
        }

        bool first = !tunnel.Initiator && !tunnel.TlsStarted && tunnel.State == TunnelState.Handshaking;
        string? method = first ? XtlsElements.ReadMethod(data) : null;
        if (first && !CheckFirstMethod(id, tunnel, method))
        {
            return;
        }

        byte[] payload;
        try
        {
            payload = textApart
                ? XtlsElements.ReadData(data, text, _options.MaxInboundChunkBytes)
                : XtlsElements.ReadData(data, _options.MaxInboundChunkBytes);
        }
        catch (XtlsBase64Exception e) when (e.Error == Base64Error.TooLong)
        {
            ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.PolicyViolation, e.Message));
            End(tunnel, TunnelCloseReason.LimitExceeded, e.Message);
            return;
        }
        catch (XtlsFormatException e)
        {
            ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.BadRequest, e.Message));
            End(tunnel, TunnelCloseReason.MalformedData, e.Message);
            return;
        }

        if (tunnel.State == TunnelState.Closing)
        {
            // Nothing more is delivered. After an orderly close the answer keeps the peer going (its
            // close_notify in reply is expected); after a failure the peer must not count it as delivered.
            if (tunnel.ClosingIsFailure)
            {
                ReplyError(id, from, new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.NotAcceptable, "The XTLS tunnel failed; this data was not delivered."));
            }
            else
            {
                Reply(id, from);
            }

            return;
        }

        if (first)
        {
            tunnel.Method = method;
            tunnel.TlsStarted = true;
            Emit(new StartTls(from, AsClient: false, method!));
        }

        if (payload.Length > 0)
        {
            Emit(new CiphertextReceived(from, payload, id));
        }
        else
        {
            Reply(id, from);
        }
    }

    /// <summary>The initiator's first data must name a method this side supports; otherwise the tunnel fails.</summary>
    private bool CheckFirstMethod(string id, Tunnel tunnel, string? method)
    {
        if (method is null)
        {
            ReplyError(id, tunnel.Remote, StanzaError.Of(StanzaErrorConditions.BadRequest, "The first data must carry the method attribute."));
            End(tunnel, TunnelCloseReason.ProtocolViolation, "the first data carried no method");
            return false;
        }

        if (method == XtlsMethodNames.OpenPgp)
        {
            ReplyError(id, tunnel.Remote, StanzaError.Of(StanzaErrorConditions.FeatureNotImplemented, "The openpgp method is not supported; use x509 or srp."));
            End(tunnel, TunnelCloseReason.UnsupportedMethod, "the peer asked for openpgp");
            return false;
        }

        // The validated options hold only implemented methods; the answer names them and never echoes the peer's.
        if (!_options.SupportedMethods.Contains(method))
        {
            ReplyError(id, tunnel.Remote, Refusal($"Supported methods: {string.Join(", ", _options.SupportedMethods.Order(StringComparer.Ordinal))}."));
            End(tunnel, TunnelCloseReason.UnsupportedMethod, "the peer asked for an unsupported method");
            return false;
        }

        return true;
    }

    private void HandleClose(string id, Jid from)
    {
        if (!_tunnels.TryGetValue(from, out Tunnel? tunnel))
        {
            ReplyError(id, from, StanzaError.Of(StanzaErrorConditions.ItemNotFound, "No XTLS tunnel with this JID."));
            return;
        }

        AnswerPendingStart(tunnel, Refusal("Closed by the initiator."));
        Reply(id, from, XtlsElements.Closed());
        if (tunnel.State == TunnelState.Closing)
        {
            EndClosing(tunnel, TunnelCloseReason.ClosedLocally, "both sides closed");
        }
        else
        {
            End(tunnel, TunnelCloseReason.ClosedByPeer, null);
        }
    }
}
