using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>
/// The XTLS protocol of one local session as a state machine without I/O: IQ stanzas and calls from
/// the TLS layer go in, IQ stanzas to send and events come out (<see cref="TryDequeue"/>), time is
/// passed in and <see cref="NextDeadline"/> says when to call <see cref="Tick"/>.
/// </summary>
/// <remarks>
/// <para>
/// There is at most one tunnel per remote full JID. Every incoming IQ-set of XTLS is answered; every
/// tunnel that was created (an <see cref="Open(Jid, string, XtlsOffer, DateTimeOffset)"/>, an <see cref="IncomingRequest"/>) ends with exactly
/// one <see cref="TunnelEnded"/>, after which it is forgotten.
/// </para>
/// <para>
/// Not thread-safe: call it from one thread at a time (a DotNetty event loop). Drain the outputs after
/// every call; calls made while draining append to them.
/// </para>
/// </remarks>
public sealed partial class TunnelManager
{
    private readonly TunnelManagerOptions _options;
    private readonly IqIdGenerator _ids;
    private readonly Dictionary<Jid, Tunnel> _tunnels = [];
    private readonly Dictionary<string, OutstandingIq> _outstanding = new(StringComparer.Ordinal);
    private readonly Queue<TunnelOutput> _outputs = new();

    // The tunnels that may have something timed. Only they are looked at for the next deadline, so that
    // thousands of idle tunnels cost nothing per stanza; a tunnel rejoins whenever it gets a deadline.
    private readonly HashSet<Tunnel> _timed = [];
    private int? _serverMaxStanzaBytes;

    /// <summary>Creates the manager of one local session.</summary>
    /// <param name="localFullJid">This session's full JID.</param>
    /// <param name="options">Sizes, bounds and timeouts (copied), or <c>null</c> for the defaults.</param>
    /// <param name="idPrefix">A prefix for the ids of IQs sent (1 to 32 characters from [A-Za-z0-9._-]), or <c>null</c> for a random one.</param>
    /// <exception cref="ArgumentException">The JID is not full, an option is out of range, or the prefix is invalid.</exception>
    public TunnelManager(Jid localFullJid, TunnelManagerOptions? options = null, string? idPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(localFullJid);
        if (!localFullJid.IsFull)
        {
            throw new ArgumentException("The local JID must be a full JID.", nameof(localFullJid));
        }

        LocalJid = localFullJid;
        _options = (options ?? new TunnelManagerOptions()).Snapshot();
        _ids = new IqIdGenerator(idPrefix);
    }

    private enum IqKind
    {
        Start,
        Data,
        Close,
    }

    /// <summary>This session's full JID.</summary>
    public Jid LocalJid { get; }

    /// <summary>
    /// The largest stanza this session's server announced it accepts (XEP-0478), or <see langword="null"/> when it
    /// announced none. No <c>data</c> IQ is cut bigger than fits it; with <see cref="TunnelManagerOptions.UseStreamLimits"/>,
    /// tunnels to peers on the same domain grow their <c>data</c> IQs to it (up to a whole record). A change (a resumed
    /// session on a connection that announced another limit, or none) applies to every tunnel from its next <c>data</c>
    /// IQ on; IQs already sent keep their size, also when stream management sends them again.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public int? ServerMaxStanzaBytes
    {
        get => _serverMaxStanzaBytes;
        set
        {
            if (value is { } bytes)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes, nameof(value));
            }

            if (value == _serverMaxStanzaBytes)
            {
                return;
            }

            _serverMaxStanzaBytes = value;
            foreach (Tunnel tunnel in _tunnels.Values)
            {
                tunnel.Window.Resize(ChunkSizing.For(_options, value, LocalJid, tunnel.Remote));
            }
        }
    }

    /// <summary>The number of tunnels in any state, pending requests included.</summary>
    public int Count => _tunnels.Count;

    /// <summary>The IQs sent and still awaiting an answer (start, data, close), for leak checks.</summary>
    internal int PendingIqCount => _outstanding.Count;

    /// <summary>The earliest moment at which <see cref="Tick"/> has something to do, or <c>null</c> when nothing is timed.</summary>
    public DateTimeOffset? NextDeadline
    {
        get
        {
            DateTimeOffset? next = null;
            List<Tunnel>? idle = null;
            foreach (Tunnel tunnel in _timed)
            {
                DateTimeOffset? due = tunnel.NextDeadline(_options.ProgressTimeout);
                if (due is null)
                {
                    (idle ??= []).Add(tunnel);
                }
                else if (next is null || due < next)
                {
                    next = due;
                }
            }

            if (idle is not null)
            {
                _timed.ExceptWith(idle);
            }

            return next;
        }
    }

    /// <summary>The state of the tunnel to a peer, or <c>null</c> when there is none.</summary>
    /// <param name="remote">The peer's full JID.</param>
    public TunnelState? GetState(Jid remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return _tunnels.TryGetValue(remote, out Tunnel? tunnel) ? tunnel.State : null;
    }

    /// <summary>A snapshot of the tunnel to a peer, or <c>null</c> when there is none.</summary>
    /// <param name="remote">The peer's full JID.</param>
    public TunnelInfo? GetInfo(Jid remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return _tunnels.TryGetValue(remote, out Tunnel? tunnel) ? tunnel.ToInfo() : null;
    }

    /// <summary>How many ciphertext bytes <see cref="SendCiphertext"/> accepts now (0 when the tunnel takes none).</summary>
    /// <param name="remote">The peer's full JID.</param>
    public int GetSendCapacity(Jid remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return _tunnels.TryGetValue(remote, out Tunnel? tunnel) && tunnel.AcceptsCiphertext
            ? _options.MaxQueuedCiphertextBytes - tunnel.Outbound.QueuedBytes
            : 0;
    }

    /// <summary>
    /// Whether ciphertext sent now would wait: the queue holds data or the window is full. While it is, a driver
    /// may hold back what the application writes and encrypt it as one TLS record once <see cref="SendWindowOpen"/>
    /// comes (the manager reports it once after every <c>true</c> answer, unless the tunnel ends first).
    /// </summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <returns><c>false</c> also when there is no tunnel or it sends no data now.</returns>
    public bool IsSendWindowFull(Jid remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!_tunnels.TryGetValue(remote, out Tunnel? tunnel) || !tunnel.SendsData)
        {
            return false;
        }

        bool full = tunnel.SendWindowFull;
        tunnel.WindowFullReported |= full;
        return full;
    }

    /// <summary>Takes the next output, oldest first.</summary>
    /// <param name="output">The output, or <c>null</c> when there is none.</param>
    /// <returns>Whether there was one.</returns>
    public bool TryDequeue([NotNullWhen(true)] out TunnelOutput? output) => _outputs.TryDequeue(out output);

    /// <summary>Initiator: asks the peer for a tunnel by sending <c>start</c> (with the offer, if any).</summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="method">The TLS method to use, one of <see cref="TunnelManagerOptions.SupportedMethods"/>.</param>
    /// <param name="offer">This side's offer, or <c>null</c>.</param>
    /// <param name="now">The current time.</param>
    /// <exception cref="ArgumentException">The JID is not a full JID of another entity, or the method is not supported.</exception>
    /// <exception cref="TunnelStateException">A tunnel to the peer exists (in any state).</exception>
    /// <exception cref="TunnelLimitException">A bound on tunnels would be exceeded.</exception>
    public void Open(Jid remote, string method, XtlsOffer? offer, DateTimeOffset now) => Open(remote, method, offer, null, now);

    /// <summary>
    /// Initiator: asks the peer for a tunnel by sending <c>start</c> (with the offer, if any), announcing a re-open:
    /// a <c>reopen</c> child with the PSK identity the ClientHello will offer. The peer echoes it in <c>proceed</c>
    /// (<see cref="ProceedReceived.ReopenIdentity"/>) when it holds the key.
    /// </summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="method">The TLS method to use, one of <see cref="TunnelManagerOptions.SupportedMethods"/>.</param>
    /// <param name="offer">This side's offer, or <c>null</c>.</param>
    /// <param name="reopenIdentity">The re-open PSK identity (16 to 64 bytes), or <c>null</c> for none.</param>
    /// <param name="now">The current time.</param>
    /// <exception cref="ArgumentException">The JID is not a full JID of another entity, the method is not supported, or the identity's length is out of range.</exception>
    /// <exception cref="TunnelStateException">A tunnel to the peer exists (in any state).</exception>
    /// <exception cref="TunnelLimitException">A bound on tunnels would be exceeded.</exception>
    public void Open(Jid remote, string method, XtlsOffer? offer, byte[]? reopenIdentity, DateTimeOffset now)
    {
        CheckRemote(remote);
        ArgumentNullException.ThrowIfNull(method);
        if (!_options.SupportedMethods.Contains(method))
        {
            throw new ArgumentException($"The TLS method '{method}' is not supported.", nameof(method));
        }

        if (_tunnels.TryGetValue(remote, out Tunnel? existing))
        {
            throw new TunnelStateException(remote, existing.State, $"A tunnel to {remote} exists ({existing.State}).");
        }

        TunnelLimit? limit = CheckTunnelLimits(remote, incoming: false);
        if (limit is not null)
        {
            throw new TunnelLimitException(limit.Value, $"Opening a tunnel to {remote} would exceed the limit on {limit}.");
        }

        var tunnel = new Tunnel(remote, initiator: true, TunnelState.Starting, NewWindow(remote))
        {
            Method = method,
            LocalOffer = offer,
            StartDeadline = now + _options.StartTimeout,
        };
        _tunnels.Add(remote, tunnel);
        _timed.Add(tunnel);
        XElement start = XtlsElements.Start(offer);
        if (reopenIdentity is not null)
        {
            start.Add(XtlsElements.Reopen(reopenIdentity));
        }

        tunnel.StartIqId = SendRequest(tunnel, IqKind.Start, start, null);
    }

    /// <summary>Responder: accepts a pending <see cref="IncomingRequest"/> by answering with <c>proceed</c> (with the offer, if any).</summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="offer">This side's offer, or <c>null</c>.</param>
    /// <param name="now">The current time.</param>
    /// <exception cref="TunnelStateException">No request from the peer waits for a decision.</exception>
    public void Accept(Jid remote, XtlsOffer? offer, DateTimeOffset now) => Accept(remote, offer, null, now);

    /// <summary>
    /// Responder: accepts a pending <see cref="IncomingRequest"/> with <c>proceed</c> (with the offer, if any), and
    /// accepts its re-open by echoing the identity of <see cref="IncomingRequest.ReopenIdentity"/>.
    /// </summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="offer">This side's offer, or <c>null</c>.</param>
    /// <param name="reopenIdentity">The re-open identity to echo (this side holds that key), or <c>null</c> for a full handshake.</param>
    /// <param name="now">The current time.</param>
    /// <exception cref="TunnelStateException">No request from the peer waits for a decision.</exception>
    /// <exception cref="ArgumentException">The identity's length is out of range.</exception>
    public void Accept(Jid remote, XtlsOffer? offer, byte[]? reopenIdentity, DateTimeOffset now)
    {
        Tunnel tunnel = RequirePending(remote);
        if (reopenIdentity is not null)
        {
            _ = XtlsElements.Reopen(reopenIdentity); // checks the length before anything is sent
        }

        tunnel.LocalOffer = offer;
        tunnel.LocalReopen = reopenIdentity;
        AcceptPending(tunnel, tunnel.PeerStartIqId!, now);
    }

    /// <summary>Responder: refuses a pending <see cref="IncomingRequest"/> with <c>not-acceptable</c>; the request ends as <see cref="TunnelCloseReason.Refused"/>.</summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="now">The current time.</param>
    /// <exception cref="TunnelStateException">No request from the peer waits for a decision.</exception>
    public void Refuse(Jid remote, DateTimeOffset now)
    {
        Tunnel tunnel = RequirePending(remote);
        AnswerPendingStart(tunnel, Refusal());
        End(tunnel, TunnelCloseReason.Refused, "refused locally");
    }

    /// <summary>
    /// Queues ciphertext from the TLS layer. It goes out in <c>data</c> IQs of up to the tunnel's chunk size
    /// (<see cref="TunnelManagerOptions.ChunkSize"/>, or what <see cref="ServerMaxStanzaBytes"/> allows) while the window has room; what waits is
    /// coalesced into as few IQs as possible. The initiator's first <c>data</c> carries the method.
    /// </summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="ciphertext">The bytes (copied; may be empty to place a token only).</param>
    /// <param name="token">Reported in <see cref="Acknowledged"/> once the peer acknowledged the data up to the last byte of this call, or in <see cref="TunnelEnded.UndeliveredTokens"/>; or <c>null</c>.</param>
    /// <param name="now">The current time.</param>
    /// <exception cref="TunnelStateException">There is no tunnel, its TLS has not started, or it is closing.</exception>
    /// <exception cref="TunnelBackpressureException">The queue is full: nothing was queued, the tunnel stays usable.</exception>
    public void SendCiphertext(Jid remote, ReadOnlySpan<byte> ciphertext, object? token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!_tunnels.TryGetValue(remote, out Tunnel? tunnel) || !tunnel.AcceptsCiphertext)
        {
            throw new TunnelStateException(remote, tunnel?.State, $"The tunnel to {remote} takes no ciphertext ({StateText(tunnel)}).");
        }

        if (ciphertext.Length > _options.MaxQueuedCiphertextBytes - tunnel.Outbound.QueuedBytes)
        {
            tunnel.Backpressured = true;
            throw new TunnelBackpressureException(
                TunnelLimit.QueuedCiphertext,
                string.Create(CultureInfo.InvariantCulture, $"The queue to {remote} holds {tunnel.Outbound.QueuedBytes} of {_options.MaxQueuedCiphertextBytes} bytes; {ciphertext.Length} more do not fit."));
        }

        if (token is not null && tunnel.Outbound.PendingTokenCount >= _options.MaxPendingTokens)
        {
            tunnel.Backpressured = true;
            throw new TunnelBackpressureException(
                TunnelLimit.PendingTokens,
                string.Create(CultureInfo.InvariantCulture, $"The tunnel to {remote} has {_options.MaxPendingTokens} tokens waiting for acknowledgement."));
        }

        tunnel.Outbound.Enqueue(ciphertext, token);
        Pump(tunnel, now);
        ReportAcknowledged(tunnel);
    }

    /// <summary>
    /// Answers the data IQ behind a <see cref="CiphertextReceived"/> once the TLS layer has taken its
    /// bytes: an empty result if the tunnel is still good, <c>not-acceptable</c> if processing them
    /// failed it (or it ended meanwhile), so the peer never counts rejected data as delivered.
    /// </summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="iqId">The <see cref="CiphertextReceived.IqId"/>.</param>
    public void AcknowledgeData(Jid remote, string iqId)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(iqId);
        if (_tunnels.TryGetValue(remote, out Tunnel? tunnel) && !(tunnel.State == TunnelState.Closing && tunnel.ClosingIsFailure))
        {
            Reply(iqId, remote);
            return;
        }

        ReplyError(iqId, remote, new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.NotAcceptable, "The XTLS tunnel failed; this data was not delivered."));
    }

    /// <summary>The TLS handshake completed: stops the handshake timer; the tunnel is <see cref="TunnelState.Open"/>.</summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="now">The current time.</param>
    /// <returns>Whether the tunnel is open (<c>false</c> when there is none, or it is closing).</returns>
    public bool HandshakeCompleted(Jid remote, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!_tunnels.TryGetValue(remote, out Tunnel? tunnel))
        {
            return false;
        }

        if (tunnel.State == TunnelState.Handshaking && tunnel.TlsStarted)
        {
            tunnel.State = TunnelState.Open;
            tunnel.HandshakeDeadline = null;
        }

        return tunnel.State == TunnelState.Open;
    }

    /// <summary>
    /// The TLS layer failed (an alert, undecryptable data, bad inner XML, spoofing): nothing more is
    /// delivered; ciphertext already queued (such as the alert) goes out, then <c>close</c>. The tunnel
    /// ends with <paramref name="reason"/> once <c>closed</c> arrives or the close times out.
    /// </summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="reason">Why, e.g. <see cref="TunnelCloseReason.TlsFailure"/>.</param>
    /// <param name="detail">More about why, for logs, or <c>null</c>.</param>
    /// <param name="now">The current time.</param>
    /// <returns>Whether there was a tunnel.</returns>
    public bool Fail(Jid remote, TunnelCloseReason reason, string? detail, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!_tunnels.TryGetValue(remote, out Tunnel? tunnel))
        {
            return false;
        }

        if (tunnel.State == TunnelState.AwaitingDecision)
        {
            AnswerPendingStart(tunnel, Refusal());
            End(tunnel, reason, detail);
        }
        else
        {
            BeginClosing(tunnel, reason, detail, failure: true, now);
        }

        return true;
    }

    /// <summary>
    /// The TLS layer received the peer's close_notify: the peer closed in order and its <c>close</c>
    /// should follow. If it does not arrive within <see cref="TunnelManagerOptions.CloseTimeout"/>, the
    /// tunnel ends as <see cref="TunnelCloseReason.ClosedByPeer"/> (after a <c>close</c> sent without
    /// waiting for its answer), so a peer that stops there cannot keep it. Ciphertext (this side's
    /// close_notify in reply) is still accepted meanwhile. A tunnel that is closing already keeps its own bounds.
    /// </summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="now">The current time.</param>
    /// <returns>Whether the tunnel now waits for the peer's <c>close</c> (<c>false</c> when there is none, or it is not handshaking or open).</returns>
    public bool PeerClosedTls(Jid remote, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!_tunnels.TryGetValue(remote, out Tunnel? tunnel) || tunnel.State is not (TunnelState.Handshaking or TunnelState.Open))
        {
            return false;
        }

        // The first close_notify sets the bound; a later report does not extend it.
        tunnel.PeerCloseDeadline ??= now + _options.CloseTimeout;
        _timed.Add(tunnel);
        return true;
    }

    /// <summary>
    /// Closes in order: the TLS layer has queued its close_notify already; <c>close</c> goes out once
    /// everything queued is acknowledged, then <c>closed</c> is awaited. A pending request is refused.
    /// </summary>
    /// <param name="remote">The peer's full JID.</param>
    /// <param name="now">The current time.</param>
    /// <returns>Whether there was a tunnel.</returns>
    public bool Close(Jid remote, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!_tunnels.TryGetValue(remote, out Tunnel? tunnel))
        {
            return false;
        }

        if (tunnel.State == TunnelState.AwaitingDecision)
        {
            Refuse(remote, now);
        }
        else
        {
            BeginClosing(tunnel, TunnelCloseReason.ClosedLocally, null, failure: false, now);
        }

        return true;
    }

    /// <summary>The peer is gone (unavailable presence): its tunnels end at once and nothing is sent to it.</summary>
    /// <param name="remote">The peer's full JID, or a bare JID for all its resources.</param>
    /// <param name="now">The current time.</param>
    /// <returns>How many tunnels ended.</returns>
    public int PeerUnavailable(Jid remote, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remote);
        Tunnel[] gone = remote.IsFull
            ? _tunnels.TryGetValue(remote, out Tunnel? tunnel) ? [tunnel] : []
            : [.. _tunnels.Values.Where(t => t.Remote.Bare == remote)];
        foreach (Tunnel t in gone)
        {
            End(t, TunnelCloseReason.PeerGone, "the peer became unavailable");
        }

        return gone.Length;
    }

    /// <summary>The local session ended: every tunnel ends at once and nothing is sent.</summary>
    /// <param name="now">The current time.</param>
    public void EndSession(DateTimeOffset now)
    {
        foreach (Tunnel tunnel in _tunnels.Values.ToArray())
        {
            End(tunnel, TunnelCloseReason.SessionEnded, null);
        }
    }

    private static string StateText(Tunnel? tunnel) =>
        tunnel is null ? "no tunnel" : tunnel.TlsStarted ? tunnel.State.ToString() : $"{tunnel.State}, TLS not started";

    private void CheckRemote(Jid remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!remote.IsFull || remote == LocalJid)
        {
            throw new ArgumentException("A tunnel needs the full JID of another entity.", nameof(remote));
        }
    }

    private Tunnel RequirePending(Jid remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!_tunnels.TryGetValue(remote, out Tunnel? tunnel) || tunnel.State != TunnelState.AwaitingDecision)
        {
            throw new TunnelStateException(remote, tunnel?.State, $"No request from {remote} waits for a decision.");
        }

        return tunnel;
    }

    private TunnelLimit? CheckTunnelLimits(Jid remote, bool incoming)
    {
        if (_tunnels.Count >= _options.MaxTunnels)
        {
            return TunnelLimit.Tunnels;
        }

        Jid bare = remote.Bare;
        if (_tunnels.Values.Count(t => t.Remote.Bare == bare) >= _options.MaxTunnelsPerBareJid)
        {
            return TunnelLimit.TunnelsPerBareJid;
        }

        if (incoming && _tunnels.Values.Count(t => t.State == TunnelState.AwaitingDecision) >= _options.MaxPendingIncoming)
        {
            return TunnelLimit.PendingIncoming;
        }

        return null;
    }

    private void Emit(TunnelOutput output) => _outputs.Enqueue(output);

    private void Send(XElement stanza) => Emit(new SendStanza(stanza));

    /// <summary>An IQ this side sent and waits an answer for.</summary>
    private sealed record OutstandingIq(Tunnel Tunnel, IqKind Kind, InFlightChunk? Chunk);
}
