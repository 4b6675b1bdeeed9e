using System.Xml.Linq;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Diagnostics;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.StreamManagement;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Pipeline;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Reopen;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls;

/// <summary>
/// The XTLS API of one session: open, close and observe end-to-end tunnels. Stanzas to a peer with a
/// tunnel go through it automatically (<see cref="ISession.SendAsync"/> then completes when the peer
/// acknowledged them); stanzas received through it carry a mark (<see cref="XtlsStanzaExtensions.IsFromXtlsTunnel(System.Xml.Linq.XElement)"/>).
/// </summary>
public sealed class XtlsService
{
    private const int MaxRememberedPeers = 4096;

    private readonly ISession _session;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<Jid, TaskCompletionSource<XtlsTunnel>> _opening = [];
    private readonly Dictionary<Jid, TaskCompletionSource> _closing = [];
    private readonly Dictionary<Jid, XtlsTunnel> _open = [];
    private readonly Dictionary<Jid, XtlsOffer?> _peerOffers = [];
    private readonly Dictionary<Jid, DateTimeOffset> _withoutXtls = [];
    private readonly FailedPeers _failedPeers;

    // The accept-policy question still open per peer: a decision counts only for the request it was asked about.
    private readonly Dictionary<Jid, CancellationTokenSource> _undecided = [];
    private Connection? _connection;

    internal XtlsService(ISession session, XtlsOptions options)
    {
        _session = session;
        Options = options;
        _logger = session.LoggerFactory.CreateLogger<XtlsService>();
        Identity = options.Identity ?? XtlsIdentity.Generate(XtlsKeyType.EcdsaP256);
        TrustStore = options.TrustStore ?? new InMemoryTrustStore(TrustOnFirstUse.Enabled);

        // Every tunnel the session can hold may fail at once (a server or the network gone): all of them,
        // and as many again, are remembered before the oldest failure is forgotten.
        _failedPeers = new FailedPeers(Math.Max(MaxRememberedPeers, 2 * options.Tunnels.MaxTunnels));
        Reopens = new ReopenAttempts(new ReopenCoordinator(options, TrustStore, Identity, session.TimeProvider));
    }

    /// <summary>Raised on the event loop when a tunnel opened (either side initiated it).</summary>
    public event EventHandler<XtlsTunnelOpenedEventArgs>? TunnelOpened;

    /// <summary>Raised on the event loop when a tunnel ended, or a request for one failed; the reason is typed.</summary>
    public event EventHandler<XtlsTunnelClosedEventArgs>? TunnelClosed;

    /// <summary>Raised on the event loop when a decrypted stanza was dropped (spoofed sender, wrong recipient).</summary>
    public event EventHandler<XtlsStanzaRejectedEventArgs>? StanzaRejected;

    /// <summary>The options.</summary>
    public XtlsOptions Options { get; }

    /// <summary>This side's certificate for the <c>x509</c> method.</summary>
    public XtlsIdentity Identity { get; }

    /// <summary>The trust store consulted for peers' certificates.</summary>
    public ITrustStore TrustStore { get; }

    /// <summary>Where this session keeps its re-open secrets (<see cref="XtlsOptions.ReopenStore"/> or the in-memory default).</summary>
    public IReopenSecretStore ReopenStore => Reopens.Coordinator.Store;

    /// <summary>The tunnels open now.</summary>
    public IReadOnlyCollection<XtlsTunnel> OpenTunnels
    {
        get
        {
            lock (_gate)
            {
                return [.. _open.Values];
            }
        }
    }

    /// <summary>The re-open tickets of tunnels being set up, and failed re-opens to retry in full.</summary>
    internal ReopenAttempts Reopens { get; }

    /// <summary>Opens and closes that callers await now, for leak checks.</summary>
    internal int PendingOperationCount
    {
        get
        {
            lock (_gate)
            {
                return _opening.Count + _closing.Count;
            }
        }
    }

    /// <summary>The open tunnel to a peer, or <c>null</c>.</summary>
    public XtlsTunnel? GetTunnel(Jid peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_gate)
        {
            return _open.GetValueOrDefault(peer);
        }
    }

    /// <summary>Asks a peer whether it supports XTLS (disco#info, sent in the clear).</summary>
    /// <returns><c>false</c> when the peer does not announce the feature or cannot be asked (offline: <c>service-unavailable</c>).</returns>
    public async Task<bool> IsSupportedAsync(Jid peer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await AnnouncesXtlsAsync(peer, cancellationToken).ConfigureAwait(false);
        }
        catch (XmppStanzaException)
        {
            return false;
        }
    }

    /// <summary>
    /// Opens a tunnel to a peer's full JID and waits until it is established and the peer trusted.
    /// If a tunnel is open or being set up already, waits for that one.
    /// </summary>
    /// <param name="peer">The peer's full JID.</param>
    /// <param name="method">The method; default <see cref="XtlsOptions.DefaultMethod"/>.</param>
    /// <param name="cancellationToken">Cancels the wait and closes the tunnel being set up.</param>
    /// <returns>The tunnel: method, TLS version, cipher suite, fingerprints.</returns>
    /// <exception cref="XtlsTunnelException">The peer refused, does not support XTLS (<see cref="TunnelCloseReason.NotSupported"/>), is not trusted, or a limit or timeout was hit.</exception>
    /// <exception cref="InvalidOperationException">The session is not online (nor being resumed).</exception>
    /// <exception cref="XmppResumptionFailedException">Asked for while the session was being resumed, and the resumption failed.</exception>
    /// <remarks>
    /// While the session is being resumed after a lost connection (XEP-0198), the open waits for the resumption,
    /// which the session bounds in time and attempts; the <paramref name="cancellationToken"/> bounds it too.
    /// </remarks>
    public async Task<XtlsTunnel> OpenAsync(Jid peer, XtlsMethod? method = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!peer.IsFull)
        {
            throw new ArgumentException("A tunnel connects two full JIDs (user@domain/resource).", nameof(peer));
        }

        await WaitWhileResumingAsync(cancellationToken).ConfigureAwait(false);
        Connection connection = CurrentConnection();
        TaskCompletionSource<XtlsTunnel> opening;
        bool start;
        lock (_gate)
        {
            if (_open.TryGetValue(peer, out XtlsTunnel? existing))
            {
                return existing;
            }

            start = !_opening.TryGetValue(peer, out opening!);
            if (start)
            {
                opening = new TaskCompletionSource<XtlsTunnel>(TaskCreationOptions.RunContinuationsAsynchronously);
                _opening[peer] = opening;
            }
        }

        if (start)
        {
            XtlsMethod chosen = method ?? Options.DefaultMethod;
            ReopenTicket? ticket = await Reopens.Coordinator.TakeForOpenAsync(_session.Jid, peer, chosen).ConfigureAwait(false);
            connection.Channel.EventLoop.Execute(() => StartOpen(connection, peer, chosen, opening, ticket));
        }

        try
        {
            return await opening.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && start && !opening.Task.IsCompleted)
        {
            // The caller who asked for the tunnel gave up on it: do not leave it half open.
            connection.Channel.EventLoop.Execute(() => connection.Tls.Close(peer));
            throw;
        }
    }

    /// <summary>Closes the tunnel to a peer in order (close_notify, then <c>close</c>/<c>closed</c>) and waits until it has ended.</summary>
    public async Task CloseAsync(Jid peer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        Connection? connection = _connection;
        if (connection is null || !connection.Channel.Active)
        {
            return;
        }

        TaskCompletionSource closed;
        lock (_gate)
        {
            if (!_open.ContainsKey(peer) && !_opening.ContainsKey(peer))
            {
                return;
            }

            if (!_closing.TryGetValue(peer, out closed!))
            {
                closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _closing[peer] = closed;
                connection.Channel.EventLoop.Execute(() => connection.Tls.Close(peer));
            }
        }

        await closed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes every tunnel in order; used when the session closes.</summary>
    public Task CloseAllAsync(CancellationToken cancellationToken = default)
    {
        Jid[] peers;
        lock (_gate)
        {
            peers = [.. _open.Keys, .. _opening.Keys];
        }

        return Task.WhenAll(peers.Distinct().Select(p => CloseAsync(p, cancellationToken)));
    }

    /// <summary>
    /// Lets stanzas to a peer whose last tunnel failed go out in the clear again (see
    /// <see cref="XtlsOptions.RefuseClearTextAfterFailure"/>): an explicit decision of the application.
    /// </summary>
    /// <returns>Whether the peer was refused clear text.</returns>
    public bool AllowClearText(Jid peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_gate)
        {
            return _failedPeers.Remove(peer);
        }
    }

    internal bool RefusesClearText(Jid peer, out (TunnelCloseReason Reason, string? Detail) failure)
    {
        lock (_gate)
        {
            return _failedPeers.TryGet(peer, out failure);
        }
    }

    // An established tunnel ended without an orderly close: no silent fallback to plaintext.
    internal void NoteFailedTunnel(Jid peer, TunnelCloseReason reason, string? detail)
    {
        if (!Options.RefuseClearTextAfterFailure)
        {
            return;
        }

        lock (_gate)
        {
            _failedPeers.Add(peer, reason, detail);
        }
    }

    internal bool IsKnownWithoutXtls(Jid peer)
    {
        lock (_gate)
        {
            if (_withoutXtls.TryGetValue(peer, out DateTimeOffset until) && until > _session.TimeProvider.GetUtcNow())
            {
                return true;
            }

            _withoutXtls.Remove(peer);
            return false;
        }
    }

    // Automatic encryption: ask the peer, then open a tunnel or release what waits in the clear.
    internal void BeginAutoOpen(Jid peer) => _ = AutoOpenAsync(peer);

    internal void Attach(IChannel channel, XtlsHandler tunnels, XtlsTlsHandler tls) => _connection = new Connection(channel, tunnels, tls);

    internal XtlsOffer? TakePeerOffer(Jid remote)
    {
        lock (_gate)
        {
            return _peerOffers.Remove(remote, out XtlsOffer? offer) ? offer : null;
        }
    }

    internal void RememberPeerOffer(Jid remote, XtlsOffer? offer)
    {
        lock (_gate)
        {
            _peerOffers[remote] = offer;
        }
    }

    internal void OnIncomingRequest(XtlsHandler handler, Jid remote, XtlsOffer? offer, byte[]? reopenIdentity)
    {
        RememberPeerOffer(remote, offer);
        IChannel channel = _connection!.Channel;
        var question = new CancellationTokenSource();
        CancellationTokenSource? superseded;
        lock (_gate)
        {
            _undecided.Remove(remote, out superseded);
            _undecided[remote] = question;
        }

        Withdraw(superseded);
        _ = DecideAsync(handler, channel, remote, offer, reopenIdentity, question);
    }

    internal Task<TrustResult> VerifyPeerAsync(Jid peer, Fingerprint fingerprint) =>
        PeerTrust.VerifyAsync(TrustStore, peer, fingerprint, Options.VerifyPeer).AsTask();

    internal void OnOpened(XtlsTunnel tunnel)
    {
        TaskCompletionSource<XtlsTunnel>? opening;
        lock (_gate)
        {
            _open[tunnel.Peer] = tunnel;
            _opening.Remove(tunnel.Peer, out opening);
            _failedPeers.Remove(tunnel.Peer);
        }

        XtlsLog.TunnelOpened(_logger, tunnel.Peer.ToString(), XtlsMethodNames.ToWire(tunnel.Method), tunnel.ProtocolVersion, tunnel.CipherSuite, tunnel.PeerFingerprint?.ToString() ?? "none (srp)");
        opening?.TrySetResult(tunnel);
        TunnelOpened?.Invoke(this, new XtlsTunnelOpenedEventArgs(tunnel));
    }

    internal void OnEnded(Jid remote, TunnelCloseReason reason, string? detail, int undelivered)
    {
        if (Reopens.Ended(remote, out XtlsMethod retryMethod) && RetryInFull(remote, reason, detail, retryMethod))
        {
            return;
        }

        bool wasOpen;
        TaskCompletionSource<XtlsTunnel>? opening;
        TaskCompletionSource? closing;
        CancellationTokenSource? undecided;
        lock (_gate)
        {
            _undecided.Remove(remote, out undecided);
            wasOpen = _open.Remove(remote);
            _opening.Remove(remote, out opening);
            _closing.Remove(remote, out closing);
            _peerOffers.Remove(remote);
        }

        XtlsLog.TunnelEnded(_logger, remote.ToString(), reason, detail);
        Withdraw(undecided);
        opening?.TrySetException(new XtlsTunnelException(remote, reason, detail));
        closing?.TrySetResult();
        TunnelClosed?.Invoke(this, new XtlsTunnelClosedEventArgs(remote, reason, detail, wasOpen, undelivered));
    }

    internal void OnRejected(Jid remote, XtlsRejection rejection, string stanzaName)
    {
        XtlsLog.StanzaRejected(_logger, stanzaName, remote.ToString(), rejection);
        StanzaRejected?.Invoke(this, new XtlsStanzaRejectedEventArgs(remote, rejection, stanzaName));
    }

    private async Task AutoOpenAsync(Jid peer)
    {
        Connection? connection = _connection;
        if (connection is null)
        {
            return;
        }

        bool supported;
        try
        {
            supported = await AnnouncesXtlsAsync(peer, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Offline, unreachable or silent: without an answer nothing waiting may go in the clear.
            var failure = new XtlsTunnelException(peer, TunnelCloseReason.NotSupported, "could not ask the peer whether it supports XTLS: " + e.Message, e);
            connection.Channel.EventLoop.Execute(() => connection.Tls.AbandonAuto(peer, failure));
            return;
        }

        if (!supported)
        {
            RememberWithoutXtls(peer);
            connection.Channel.EventLoop.Execute(() => connection.Tls.ReleaseInClear(peer));
            return;
        }

        try
        {
            await OpenAsync(peer).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var failure = e as XtlsTunnelException ?? new XtlsTunnelException(peer, TunnelCloseReason.SessionEnded, e.Message, e);
            connection.Channel.EventLoop.Execute(() => connection.Tls.AbandonAuto(peer, failure));
        }
    }

    private async Task<bool> AnnouncesXtlsAsync(Jid peer, CancellationToken cancellationToken)
    {
        // In the clear on purpose: the question must not wait for the tunnel it decides about.
        XElement request = Stanza.Iq("get", _session.NextId(), peer, new XElement(XName.Get("query", XmppNamespaces.DiscoInfo))).SendInClear();
        XElement result = await _session.SendIqAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.Element(XName.Get("query", XmppNamespaces.DiscoInfo))?
            .Elements(XName.Get("feature", XmppNamespaces.DiscoInfo))
            .Any(f => (string?)f.Attribute("var") == XtlsNamespaces.Xtls) ?? false;
    }

    private void RememberWithoutXtls(Jid peer)
    {
        lock (_gate)
        {
            if (_withoutXtls.Count >= MaxRememberedPeers)
            {
                _withoutXtls.Clear(); // bounded: forgetting only costs one more question
            }

            _withoutXtls[peer] = _session.TimeProvider.GetUtcNow() + Options.AutoEncryptCacheTime;
        }
    }

    // A re-open whose handshake failed (the responder had accepted the secret but then did not use it: an SRP
    // re-open cannot fall back within the exchange) starts over once with a full handshake; the caller of
    // OpenAsync sees only the tunnel that opens. Not after the session ended or a local close.
    private bool RetryInFull(Jid remote, TunnelCloseReason reason, string? detail, XtlsMethod method)
    {
        Connection? connection = _connection;
        TaskCompletionSource<XtlsTunnel>? opening;
        lock (_gate)
        {
            if (connection is null || reason is TunnelCloseReason.SessionEnded or TunnelCloseReason.ClosedLocally || _closing.ContainsKey(remote)
                || !_opening.TryGetValue(remote, out opening))
            {
                return false;
            }

            _peerOffers.Remove(remote);
        }

        XtlsLog.ReopenFailed(_logger, remote.ToString(), reason, detail);
        connection.Channel.EventLoop.Execute(() => StartOpen(connection, remote, method, opening, null));
        return true;
    }

    private void StartOpen(Connection connection, Jid peer, XtlsMethod method, TaskCompletionSource<XtlsTunnel> opening, ReopenTicket? ticket)
    {
        if (opening.Task.IsCompleted || connection.Tunnels.GetState(peer) is not null)
        {
            // Cancelled already, or a tunnel (e.g. the peer's simultaneous request) is under way: wait for it.
            if (ticket is not null)
            {
                Reopens.Return(ticket);
            }

            return;
        }

        try
        {
            // Held only once the start is on its way (the proceed it waits for arrives on this loop, later): a start
            // refused here leaves the secret unused, back in the store.
            connection.Tunnels.Open(peer, method, BuildOffer(peer, method), ticket?.Key.CopyIdentity());
            if (ticket is not null)
            {
                Reopens.HoldOffer(peer, ticket);
                ticket = null;
            }
        }
        catch (Exception e) when (e is TunnelStateException or TunnelLimitException or ArgumentException)
        {
            if (ticket is not null)
            {
                Reopens.Return(ticket);
            }

            Reopens.Ended(peer, out _);
            lock (_gate)
            {
                _opening.Remove(peer);
            }

            TunnelCloseReason reason = e is TunnelLimitException ? TunnelCloseReason.LimitExceeded : TunnelCloseReason.ProtocolViolation;
            opening.TrySetException(new XtlsTunnelException(peer, reason, e.Message, e));
        }
    }

    private async Task DecideAsync(XtlsHandler handler, IChannel channel, Jid remote, XtlsOffer? offer, byte[]? reopenIdentity, CancellationTokenSource question)
    {
        bool accept;
        try
        {
            accept = IsFeasible(remote, offer)
                && (Options.AcceptIncoming is not { } policy || await policy(new IncomingTunnelRequest(remote, offer), question.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (question.IsCancellationRequested)
        {
            // The policy gave up on a withdrawn question, as its token asked: nothing to report.
            accept = false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            XtlsLog.PolicyFailed(_logger, remote.ToString(), e);
            accept = false;
        }

        XtlsOffer ours = BuildOffer(remote, Options.DefaultMethod);
        ReopenTicket? ticket = null;
        if (accept && reopenIdentity is not null)
        {
            ticket = await Reopens.Coordinator.TakeForAcceptAsync(_session.Jid, remote, reopenIdentity).ConfigureAwait(false);
        }

        channel.EventLoop.Execute(() => ApplyDecision(handler, remote, accept, ours, question, ticket));
    }

    // On the event loop, like the withdrawals: a question withdrawn meanwhile (newer start, request
    // ended) has been cancelled and removed, and its answer must not decide the request now pending.
    private void ApplyDecision(XtlsHandler handler, Jid remote, bool accept, XtlsOffer ours, CancellationTokenSource question, ReopenTicket? ticket)
    {
        bool current;
        lock (_gate)
        {
            current = _undecided.TryGetValue(remote, out CancellationTokenSource? pending) && pending == question;
            if (current)
            {
                _undecided.Remove(remote);
            }
        }

        if (!current)
        {
            ticket?.Dispose(); // a withdrawn request: the secret it named was used up by it
            return;
        }

        question.Dispose();
        if (handler.Decide(remote, accept, ours, ticket?.Key.CopyIdentity()) && ticket is not null)
        {
            Reopens.Hold(remote, ticket); // before the first data, which the event loop handles after this
        }
        else
        {
            ticket?.Dispose();
        }
    }

    // Callbacks the application registered on the token run off the event loop, and cannot break it by throwing.
    private static void Withdraw(CancellationTokenSource? question)
    {
        if (question is not null)
        {
            _ = question.CancelAsync();
        }
    }

    // A request whose offer names only SRP cannot succeed without a shared password: refuse it up front.
    private bool IsFeasible(Jid remote, XtlsOffer? offer)
    {
        if (offer is null || offer.Fingerprint is not null || !offer.Srp)
        {
            return true;
        }

        return HasSrpPassword(remote);
    }

    private XtlsOffer BuildOffer(Jid peer, XtlsMethod method) =>
        new(method == XtlsMethod.X509 || Options.SrpPassword is null ? Identity.Fingerprint.ToString() : null, HasSrpPassword(peer));

    private bool HasSrpPassword(Jid peer)
    {
        char[]? password = Options.SrpPassword?.Invoke(peer.Bare);
        if (password is null)
        {
            return false;
        }

        Array.Clear(password);
        return true;
    }

    /// <summary>Returns once a session that is being resumed is online again; fails typed when the resumption failed.</summary>
    private async Task WaitWhileResumingAsync(CancellationToken cancellationToken)
    {
        if (_session is not IResumableSession resumable || _session.State != SessionState.Resuming)
        {
            return;
        }

        var outcome = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler<SessionResumedEventArgs> onResumed = (_, _) => outcome.TrySetResult();
        EventHandler<ResumptionFailedEventArgs> onFailed = (_, e) => outcome.TrySetException(e.Failure);
        EventHandler<SessionClosedEventArgs> onClosed = (_, e) => outcome.TrySetException(
            new XmppResumptionFailedException("The session ended while it was being resumed.", e.Error ?? new OperationCanceledException()));
        resumable.Resumed += onResumed;
        resumable.ResumptionFailed += onFailed;
        resumable.Closed += onClosed;
        try
        {
            // Subscribed first, then checked: an outcome between the two checks is not missed.
            if (_session.State != SessionState.Resuming)
            {
                outcome.TrySetResult();
            }

            await outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            resumable.Resumed -= onResumed;
            resumable.ResumptionFailed -= onFailed;
            resumable.Closed -= onClosed;
        }
    }

    private Connection CurrentConnection()
    {
        Connection? connection = _connection;
        if (connection is null || _session.State != SessionState.Online || !connection.Channel.Active)
        {
            throw new InvalidOperationException("The session is not online.");
        }

        return connection;
    }

    private sealed record Connection(IChannel Channel, XtlsHandler Tunnels, XtlsTlsHandler Tls);
}
