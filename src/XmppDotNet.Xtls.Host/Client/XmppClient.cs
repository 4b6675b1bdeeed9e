using System.Collections.Concurrent;
using System.Xml.Linq;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Client.Transports;
using XmppDotNet.Xtls.Host.Diagnostics;
using XmppDotNet.Xtls.Host.Pipeline;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Roster;
using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.StreamManagement;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Client;

/// <summary>
/// An XMPP client session over a DotNetty pipeline: connect, negotiate, send and receive stanzas,
/// close. Built with <see cref="XmppClientBuilder"/>; can connect again after it has closed.
/// </summary>
/// <remarks>
/// A session has its own channel (<see cref="Channel"/>) whose pipeline holds the stanza handlers and the
/// plugins' handlers; each connection (TCP, TLS, XML, negotiation) has another, below it. When the server
/// offers stream management (XEP-0198), a lost connection is replaced and the stream resumed under the
/// same session channel: plugins keep their state, pending IQs stay pending, nothing sent is lost.
/// </remarks>
public sealed class XmppClient : IResumableSession, IStanzaSink, INegotiationListener, IAsyncDisposable
{
    private readonly XmppClientOptions _options;
    private readonly ILogger _logger;
    private readonly IdGenerator _ids = new();
    private readonly ConcurrentDictionary<Type, object> _services = new();
    private readonly Lock _gate = new();
    private readonly PresenceBook _presenceBook;
    private readonly RosterManager _roster;
    private StanzaHandlerRegistration[] _handlers = [];
    private Func<CancellationToken, Task>[] _closingHandlers = [];
    private IqTracker _iqs;
    private TaskCompletionSource<Jid> _online = NewCompletion<Jid>();
    private TaskCompletionSource _closed = NewCompletion();
    private SessionChannel? _channel;
    private IChannel? _connection;
    private XmppTransport? _transport;
    private IEventLoop? _loop;
    private StreamManager? _streamManager;
    private TaskCompletionSource _resumption = NewCompletion();
    private ResumeAttempt? _attempt;
    private long _lostAt;
    private int _waitingSends;
    private volatile bool _ending;
    private Jid? _boundJid;
    private int _state = (int)SessionState.Disconnected;

    internal XmppClient(XmppClientOptions options)
    {
        _options = options;
        _logger = options.LoggerFactory.CreateLogger<XmppClient>();
        _iqs = new IqTracker(options.MaxPendingIqs, options.TimeProvider);
        Features = new FeatureSet();
        Features.Add(XmppNamespaces.DiscoInfo);
        Features.Add(XmppNamespaces.Ping);
        if (options.AnnounceCapabilities)
        {
            Features.Add(XmppNamespaces.Caps);
        }
        DiscoInfoResponder.Register(this);
        PingResponder.Register(this);
        _presenceBook = PresenceBook.Register(this);
        EntityCapabilities.Register(this);
        _roster = RosterManager.Register(this, options.AutoApprove);
        foreach (Action<ISession> initializer in options.SessionInitializers)
        {
            initializer(this);
        }
    }

    /// <inheritdoc />
    public event EventHandler<StanzaReceivedEventArgs>? StanzaReceived;

    /// <inheritdoc />
    public event EventHandler<SessionClosedEventArgs>? Closed;

    /// <summary>
    /// Raised on the event loop when the connection was lost and the session is being resumed (XEP-0198);
    /// <see cref="State"/> is <see cref="SessionState.Resuming"/>. <see cref="Resumed"/> or
    /// <see cref="ResumptionFailed"/> follows.
    /// </summary>
    public event EventHandler<ConnectionLostEventArgs>? ConnectionLost;

    /// <summary>Raised on the event loop when the session was resumed on a new connection.</summary>
    public event EventHandler<SessionResumedEventArgs>? Resumed;

    /// <summary>Raised on the event loop when a resumption failed; <see cref="Closed"/> follows.</summary>
    public event EventHandler<ResumptionFailedEventArgs>? ResumptionFailed;

    /// <inheritdoc />
    public Jid Jid => _boundJid ?? _options.Account!;

    /// <inheritdoc />
    public SessionState State => (SessionState)Volatile.Read(ref _state);

    /// <inheritdoc />
    public IChannel? Channel => _channel;

    /// <inheritdoc />
    public StreamLimits? ServerLimits => State == SessionState.Online && _connection is { } connection ? StreamLimits.Of(connection) : null;

    /// <inheritdoc />
    public FeatureSet Features { get; }

    /// <inheritdoc />
    public ILoggerFactory LoggerFactory => _options.LoggerFactory;

    /// <inheritdoc />
    public TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>The options the client was built with.</summary>
    public XmppClientOptions Options => _options;

    /// <summary>How many stanzas the server has not acknowledged yet; read it on the event loop (fault-run bookkeeping).</summary>
    internal int UnacknowledgedStanzas => _streamManager?.UnacknowledgedCount ?? 0;

    /// <summary>How many sends wait for a resumption.</summary>
    internal int WaitingSends => Volatile.Read(ref _waitingSends);

    Jid IStanzaSink.Jid => Jid;

    IqTracker IStanzaSink.Iqs => _iqs;

    /// <summary>
    /// Connects, secures the stream, authenticates, binds a resource, (by default) gets the roster and
    /// sends initial presence. A roster the server refuses leaves an empty roster; it does not fail the login.
    /// </summary>
    /// <exception cref="XmppConnectionException">The server could not be reached, TLS failed, or negotiation timed out.</exception>
    /// <exception cref="XmppAuthenticationException">The credentials were refused.</exception>
    /// <exception cref="XmppBindException">No resource could be bound.</exception>
    /// <exception cref="XmppStreamErrorException">The server ended the stream with an error.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        int previous = Interlocked.CompareExchange(ref _state, (int)SessionState.Connecting, (int)SessionState.Disconnected);
        if (previous == (int)SessionState.Closed)
        {
            previous = Interlocked.CompareExchange(ref _state, (int)SessionState.Connecting, (int)SessionState.Closed);
        }

        if (previous is not ((int)SessionState.Disconnected or (int)SessionState.Closed))
        {
            throw new InvalidOperationException($"The client is {(SessionState)previous}; it can connect only when disconnected.");
        }

        _online = NewCompletion<Jid>();
        _closed = NewCompletion();
        _boundJid = null;

        // Whatever a previous session saw is not current in this one.
        _presenceBook.Clear();
        _roster.OnSessionStarting();
        _iqs = new IqTracker(_options.MaxPendingIqs, _options.TimeProvider);

        _ending = false;
        _resumption = NewCompletion();
        _streamManager?.Dispose();

        // One event loop for the session and all its connections: the session pipeline and the
        // stream-management state are touched on it only.
        IEventLoop loop = (_options.EventLoopGroup ?? XmppEventLoops.Shared).GetNext();
        _loop = loop;
        _streamManager = new StreamManager(_options.StreamManagement, _options.TimeProvider, loop);
        var session = new SessionChannel(WriteToConnection, FlushConnection, OnSessionChannelClosed);
        InitializeSessionPipeline(session.Pipeline);
        _channel = session;
        _connection = null;
        _transport = _options.Transport ?? new TcpTransport(_options.Account!.Domain);

        using var timeout = new CancellationTokenSource(_options.NegotiationTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await loop.RegisterAsync(session).ConfigureAwait(false);
            _connection = await _transport.ConnectAsync(NewBootstrap(loop, this, resume: false), linked.Token).ConfigureAwait(false);
            _boundJid = await _online.Task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Volatile.Write(ref _state, (int)SessionState.Closed);
            _ending = true;
            if (_connection is { } channel)
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }

            await session.CloseAsync().ConfigureAwait(false);

            if (e is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new XmppConnectionException($"Connecting and negotiating took longer than {_options.NegotiationTimeout}.", e);
            }

            if (e is XmppException or OperationCanceledException)
            {
                throw;
            }

            throw new XmppConnectionException("Could not connect: " + e.Message, e);
        }

        Volatile.Write(ref _state, (int)SessionState.Online);
        HostLog.Online(_logger, _boundJid.ToString());

        // RFC 6121 §2.2: the roster before initial presence, so that the presence that follows meets known contacts.
        if (_options.RequestRoster)
        {
            await _roster.LoadAtLoginAsync().ConfigureAwait(false);
        }

        if (_options.SendInitialPresence)
        {
            await SendAsync(new XElement(XName.Get("presence", XmppNamespaces.Client))).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// While the session is <see cref="SessionState.Resuming"/>, the stanza waits in the queue of
    /// unacknowledged stanzas and the task completes when the session was resumed and the stanza sent; it
    /// fails with <see cref="XmppResumptionFailedException"/> when the resumption fails.
    /// </remarks>
    /// <exception cref="XmppUnacknowledgedQueueFullException">Too many stanzas wait for the server's acknowledgement.</exception>
    public Task SendAsync(XElement stanza)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        IChannel? channel = _channel;
        SessionState state = State;
        if (state == SessionState.Resuming && channel is not null)
        {
            return SendWhileResumingAsync(channel, stanza);
        }

        if (state != SessionState.Online || channel is null)
        {
            throw new InvalidOperationException($"The session is {State}; stanzas can be sent only while online.");
        }

        return WriteAsync(channel, stanza);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The timeout keeps running while the session is <see cref="SessionState.Resuming"/>: it bounds the caller's whole
    /// wait, outage included. A request that times out during an outage is still sent again with the resumption (it
    /// keeps its place in the stream); its late answer is then ignored. A resumed request that has not timed out gets
    /// its answer as usual.
    /// </remarks>
    public async Task<XElement> SendIqAsync(XElement iq, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(iq);
        if (!Stanza.IsIqRequest(iq))
        {
            throw new ArgumentException("Only IQ requests (type get or set) await a response.", nameof(iq));
        }

        string id = Stanza.GetId(iq) ?? _ids.Next();
        iq.SetAttributeValue("id", id);
        Task<XElement> response = _iqs.Register(id, Stanza.GetTo(iq), timeout ?? _options.IqTimeout, cancellationToken);
        try
        {
            await SendAsync(iq).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _iqs.Abandon(id, e);
            throw;
        }

        XElement answer = await response.ConfigureAwait(false);
        if (Stanza.GetType(answer) == "error")
        {
            StanzaError error = StanzaError.FromStanza(answer) ?? new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.UndefinedCondition);
            throw new XmppStanzaException(error, answer);
        }

        return answer;
    }

    /// <inheritdoc />
    public IDisposable AddStanzaHandler(Func<XElement, bool> predicate, Func<XElement, ValueTask<bool>> handler)
    {
        var registration = new StanzaHandlerRegistration(predicate ?? throw new ArgumentNullException(nameof(predicate)), handler ?? throw new ArgumentNullException(nameof(handler)));
        lock (_gate)
        {
            _handlers = [.. _handlers, registration];
        }

        return new Unregister(() =>
        {
            lock (_gate)
            {
                _handlers = [.. _handlers.Where(h => !ReferenceEquals(h, registration))];
            }
        });
    }

    /// <inheritdoc />
    public IDisposable AddClosingHandler(Func<CancellationToken, Task> onClosing)
    {
        ArgumentNullException.ThrowIfNull(onClosing);
        lock (_gate)
        {
            _closingHandlers = [.. _closingHandlers, onClosing];
        }

        return new Unregister(() =>
        {
            lock (_gate)
            {
                _closingHandlers = [.. _closingHandlers.Where(h => h != onClosing)];
            }
        });
    }

    /// <inheritdoc />
    public T? GetService<T>()
        where T : class => _services.TryGetValue(typeof(T), out object? service) ? (T)service : null;

    /// <inheritdoc />
    public void SetService<T>(T service)
        where T : class => _services[typeof(T)] = service ?? throw new ArgumentNullException(nameof(service));

    /// <inheritdoc />
    public string NextId() => _ids.Next();

    /// <summary>
    /// Closes the session gracefully: plugins' closing work, then the stream footer, then waits
    /// (bounded by <see cref="XmppClientOptions.CloseTimeout"/>) for the server's footer.
    /// </summary>
    public async Task DisconnectAsync()
    {
        if (Interlocked.CompareExchange(ref _state, (int)SessionState.Closing, (int)SessionState.Online) != (int)SessionState.Online)
        {
            _ending = true;
            if (_channel is { Active: true } channel)
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }

            return;
        }

        using var timeout = new CancellationTokenSource(_options.CloseTimeout, _options.TimeProvider);
        foreach (Func<CancellationToken, Task> onClosing in _closingHandlers)
        {
            try
            {
                await onClosing(timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                HostLog.HandlerFailed(_logger, e);
            }
        }

        _ending = true;
        SessionChannel channelToClose = _channel!;
        try
        {
            await channelToClose.WriteAndFlushAsync(StreamFooter.Instance).ConfigureAwait(false);
            await _closed.Task.WaitAsync(_options.CloseTimeout, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or ObjectDisposedException or InvalidOperationException or DotNetty.Transport.Channels.ClosedChannelException)
        {
            HostLog.CloseTimedOut(_logger);
        }

        await channelToClose.CloseAsync().ConfigureAwait(false);
        await _closed.Task.WaitAsync(_options.CloseTimeout, _options.TimeProvider).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await DisconnectAsync().ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The channel is closed regardless; nothing more to wait for.
        }
    }

    // Written now, so that it keeps its place in the stream, and sent with the resumption; the caller
    // learns whether the resumption succeeded.
    private async Task SendWhileResumingAsync(IChannel channel, XElement stanza)
    {
        Task resumption = _resumption.Task;
        if (Interlocked.Increment(ref _waitingSends) > _options.StreamManagement.MaxUnacknowledgedStanzas)
        {
            Interlocked.Decrement(ref _waitingSends);
            throw new XmppUnacknowledgedQueueFullException("Too many stanzas wait for the session to be resumed.");
        }

        try
        {
            await WriteAsync(channel, stanza).ConfigureAwait(false);
            await resumption.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingSends);
        }
    }

    /// <summary>
    /// A send that passed the online check just before the connection dropped meets a closed channel:
    /// that is the session ending, reported as the host's connection failure, not as a transport type.
    /// </summary>
    private static async Task WriteAsync(IChannel channel, XElement stanza)
    {
        try
        {
            await channel.WriteAndFlushAsync(stanza).ConfigureAwait(false);
        }
        catch (ClosedChannelException e)
        {
            throw new XmppConnectionException("The connection closed before the stanza was written.", e);
        }
    }

    ValueTask<bool> IStanzaSink.DispatchAsync(XElement stanza) => DispatchFrom(_handlers, 0, stanza);

    // Every handler whose predicate matches runs, in order, until one consumes the stanza: observers
    // (the presence book) return false and leave it to the next handler and the application.
    private static ValueTask<bool> DispatchFrom(StanzaHandlerRegistration[] handlers, int start, XElement stanza)
    {
        for (int i = start; i < handlers.Length; i++)
        {
            if (!handlers[i].Predicate(stanza))
            {
                continue;
            }

            ValueTask<bool> handled = handlers[i].Handler(stanza);
            if (!handled.IsCompletedSuccessfully)
            {
                return ContinueDispatchAsync(handlers, i + 1, stanza, handled);
            }

            if (handled.Result)
            {
                return ValueTask.FromResult(true);
            }
        }

        return ValueTask.FromResult(false);
    }

    private static async ValueTask<bool> ContinueDispatchAsync(StanzaHandlerRegistration[] handlers, int next, XElement stanza, ValueTask<bool> pending) =>
        await pending.ConfigureAwait(false) || await DispatchFrom(handlers, next, stanza).ConfigureAwait(false);

    void IStanzaSink.Deliver(XElement stanza)
    {
        try
        {
            StanzaReceived?.Invoke(this, new StanzaReceivedEventArgs(stanza));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            HostLog.HandlerFailed(_logger, e);
        }
    }

    void INegotiationListener.OnOnline(Jid boundJid)
    {
        // Stanzas may arrive before ConnectAsync resumes; they must already see the bound JID.
        _boundJid = boundJid;
        _online.TrySetResult(boundJid);
    }

    void INegotiationListener.OnNegotiationFailed(Exception failure)
    {
        _online.TrySetException(failure);
        _iqs.FailAll(failure);
        _closed.TrySetResult();
    }

    void INegotiationListener.OnStreamEnded(SessionCloseReason reason, Exception? failure) => OnConnectionEnded(reason, failure);

    // Runs on the event loop, once per connection that was online.
    private void OnConnectionEnded(SessionCloseReason reason, Exception? failure)
    {
        StreamManager? manager = _streamManager;
        manager?.Attach(null);
        if (reason == SessionCloseReason.ConnectionLost && !_ending && State == SessionState.Online && manager is { CanResume: true })
        {
            _resumption = NewCompletion();
            _lostAt = _options.TimeProvider.GetTimestamp();
            Volatile.Write(ref _state, (int)SessionState.Resuming);
            StreamManagementLog.ConnectionLost(_logger, Jid.ToString(), manager.UnacknowledgedCount);
            Raise(ConnectionLost, new ConnectionLostEventArgs(failure, manager.UnacknowledgedCount));
            _ = ResumeAsync();
            return;
        }

        EndSession(reason, failure, resumptionFailure: null);
    }

    // The session is over: pending IQs and waiting sends fail, the session pipeline closes (plugins end
    // their per-session state), and Closed is raised once.
    private void EndSession(SessionCloseReason reason, Exception? failure, XmppResumptionFailedException? resumptionFailure)
    {
        if (Interlocked.Exchange(ref _state, (int)SessionState.Closed) == (int)SessionState.Closed)
        {
            return;
        }

        _ending = true;
        Exception cause = resumptionFailure ?? failure ?? new OperationCanceledException();
        _iqs.FailAll(new XmppConnectionException("The session ended before the response arrived.", cause));
        XElement[] unacknowledged = _streamManager?.TakeUnacknowledged() ?? [];
        _resumption.TrySetException(resumptionFailure ?? new XmppConnectionException("The session ended.", cause));
        _resumption.Task.Exception?.Handle(_ => true);
        bool newSession = resumptionFailure is not null && _options.StreamManagement.NewSessionAfterFailedResumption;
        if (resumptionFailure is not null)
        {
            Raise(ResumptionFailed, new ResumptionFailedEventArgs(resumptionFailure, unacknowledged, newSession));
        }

        if (_connection is { Open: true } connection)
        {
            _ = connection.CloseAsync();
        }

        if (_channel is { Open: true } session)
        {
            _ = session.CloseAsync();
        }

        HostLog.SessionEnded(_logger, Jid.ToString(), reason);
        _closed.TrySetResult();
        Raise(Closed, new SessionClosedEventArgs(reason, failure ?? resumptionFailure, unacknowledged));
        if (newSession)
        {
            _ = StartNewSessionAsync();
        }
    }

    // After a failed resumption, when asked for: a new session, as ConnectAsync makes it.
    private async Task StartNewSessionAsync()
    {
        try
        {
            await ConnectAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is XmppException or InvalidOperationException or OperationCanceledException)
        {
            StreamManagementLog.NewSessionFailed(_logger, e);
        }
    }

    // The application (or a plugin) closed the session channel: the connection goes too, without resuming.
    private void OnSessionChannelClosed()
    {
        _ending = true;
        if (_connection is { Open: true } connection)
        {
            _ = connection.CloseAsync();
        }

        if (State == SessionState.Resuming)
        {
            EndSession(SessionCloseReason.ClosedLocally, new XmppConnectionException("The session was closed while it was being resumed."), resumptionFailure: null);
        }
    }

    // Runs on the event loop: what the session pipeline writes goes to the connection, through stream management.
    // Takes one reference of a reference-counted message, as the session channel hands it over.
    private Exception? WriteToConnection(object message)
    {
        if (_streamManager is { } manager)
        {
            return manager.Write(message);
        }

        DotNetty.Common.Utilities.ReferenceCountUtil.Release(message);
        return new ClosedChannelException();
    }

    private void FlushConnection() => _streamManager?.Flush();

    // Reconnects with back-off, bounded in attempts and time, until the server resumes the stream or refuses.
    private async Task ResumeAsync()
    {
        StreamManagementOptions options = _options.StreamManagement;
        TimeSpan delay = options.FirstReconnectDelay;
        Exception last = new XmppConnectionException("The connection was lost.");
        // Trying longer than the server keeps the session (its max) cannot succeed.
        TimeSpan allowed = _streamManager?.ServerMaxResumption is { } max && max < options.ResumeTimeout ? max : options.ResumeTimeout;
        using var total = new CancellationTokenSource(allowed, _options.TimeProvider);
        for (int attempt = 1; attempt <= options.MaxResumeAttempts && !total.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(delay, _options.TimeProvider, total.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
            if (State != SessionState.Resuming)
            {
                return;
            }

            var current = new ResumeAttempt(this, attempt);
            _attempt = current;
            IChannel? connection = null;
            try
            {
                using var timeout = new CancellationTokenSource(_options.NegotiationTimeout, _options.TimeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(total.Token, timeout.Token);
                connection = await _transport!.ConnectAsync(NewBootstrap(_loop!, current, resume: true), linked.Token).ConfigureAwait(false);
                await current.Outcome.Task.WaitAsync(linked.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is XmppResumptionFailedException or XmppStreamErrorException or XmppAuthenticationException)
            {
                // The server refused, or broke the protocol: trying again cannot help.
                last = e;
                await CloseQuietlyAsync(connection).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
                StreamManagementLog.ResumeAttemptFailed(_logger, attempt, e.Message);
                await CloseQuietlyAsync(connection).ConfigureAwait(false);
            }
        }

        var failure = new XmppResumptionFailedException("The connection was lost and the session could not be resumed: " + last.Message, last);
        await _loop!.SubmitAsync(() =>
        {
            if (State == SessionState.Resuming)
            {
                EndSession(SessionCloseReason.ConnectionLost, null, failure);
            }

            return true;
        }).ConfigureAwait(false);
    }

    private static async Task CloseQuietlyAsync(IChannel? channel)
    {
        if (channel is not null)
        {
            await channel.CloseAsync().ConfigureAwait(false);
        }
    }

    // Runs on the event loop, when the server resumed the stream on a new connection (the unacknowledged
    // stanzas are written again already).
    private bool OnResumed(ResumeAttempt attempt, IChannel connection, int resent)
    {
        if (!ReferenceEquals(_attempt, attempt) || State != SessionState.Resuming)
        {
            return false;
        }

        _connection = connection;
        Volatile.Write(ref _state, (int)SessionState.Online);
        TimeSpan duration = _options.TimeProvider.GetElapsedTime(_lostAt);
        StreamManagementLog.Resumed(_logger, Jid.ToString(), resent, attempt.Number, duration.TotalMilliseconds);
        _resumption.TrySetResult();
        Raise(Resumed, new SessionResumedEventArgs(resent, attempt.Number, duration));
        return true;
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            HostLog.HandlerFailed(_logger, e);
        }
    }

    private Bootstrap NewBootstrap(IEventLoop loop, INegotiationListener listener, bool resume)
    {
        XmppTransport transport = _transport!;
        var bootstrap = new Bootstrap()
            .Group(loop)
            .Handler(new ActionChannelInitializer<IChannel>(channel => InitializeConnectionPipeline(channel, transport, listener, resume)));
        transport.Configure(bootstrap);
        return bootstrap;
    }

    private void InitializeConnectionPipeline(IChannel channel, XmppTransport transport, INegotiationListener listener, bool resume)
    {
        var settings = new Pipeline.NegotiationSettings(
            _options.Account!,
            _options.Password!,
            _options.Resource,
            transport.UsesStartTls,
            _options.TlsHost ?? _options.Account!.Domain,
            _options.ServerCertificateValidation ?? ServerCertificateValidation.System,
            _options.TlsProtocols);
        (listener as ResumeAttempt)?.Bind(channel);
        IChannelPipeline pipeline = channel.Pipeline;
        var parserOptions = new XmlStreamParserOptions { MaxStanzaBytes = _options.MaxStanzaBytes };
        foreach (BinaryPayloadElement element in _options.BinaryPayloadElements)
        {
            parserOptions.BinaryPayloadElements.Add(element);
        }

        pipeline.AddLast(XmppPipelineNames.XmlDecoder, new XmlStreamDecoder(parserOptions));
        pipeline.AddLast(XmppPipelineNames.XmlEncoder, new XmlStreamEncoder());
        pipeline.AddLast(XmppPipelineNames.Negotiation, new StreamNegotiationHandler(settings, listener, _options.LoggerFactory.CreateLogger<StreamNegotiationHandler>(), _streamManager, resume));
        pipeline.AddLast(XmppPipelineNames.StreamManagement, new StreamManagementHandler(_streamManager, _channel!));
    }

    private void InitializeSessionPipeline(IChannelPipeline pipeline)
    {
        if (_options.AnnounceCapabilities)
        {
            pipeline.AddLast(XmppPipelineNames.Caps, new CapsPresenceHandler(Features));
        }

        pipeline.AddLast(XmppPipelineNames.StanzaHandler, new StanzaHandler(this, _options.LoggerFactory.CreateLogger<StanzaHandler>()));
        foreach (Action<IChannelPipeline, ISession> initializer in _options.PipelineInitializers)
        {
            initializer(pipeline, this);
        }
    }

    private static TaskCompletionSource<T> NewCompletion<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One reconnection of a resumption: what its connection reports goes to this attempt only.</summary>
    private sealed class ResumeAttempt(XmppClient client, int number) : INegotiationListener, IResumptionListener
    {
        private IChannel? _connection;

        public int Number => number;

        public TaskCompletionSource Outcome { get; } = NewCompletion();

        public void Bind(IChannel connection) => _connection = connection;

        public void OnOnline(Jid boundJid) => Outcome.TrySetException(new XmppResumptionFailedException("The server bound a new resource instead of resuming."));

        public void OnNegotiationFailed(Exception failure) => Outcome.TrySetException(failure);

        public void OnStreamEnded(SessionCloseReason reason, Exception? failure)
        {
            if (Outcome.Task.IsCompletedSuccessfully)
            {
                client.OnConnectionEnded(reason, failure);
            }
            else
            {
                Outcome.TrySetException(failure ?? new XmppConnectionException("The connection ended while the session was being resumed."));
            }
        }

        public void OnResumed(int resent)
        {
            if (_connection is { } connection && client.OnResumed(this, connection, resent))
            {
                Outcome.TrySetResult();
            }
            else
            {
                _ = _connection?.CloseAsync();
                Outcome.TrySetException(new XmppResumptionFailedException("The session ended while it was being resumed."));
            }
        }
    }

    private sealed record StanzaHandlerRegistration(Func<XElement, bool> Predicate, Func<XElement, ValueTask<bool>> Handler);

    private sealed class Unregister(Action action) : IDisposable
    {
        private Action? _action = action;

        public void Dispose() => Interlocked.Exchange(ref _action, null)?.Invoke();
    }
}
