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
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Client;

/// <summary>
/// An XMPP client session over a DotNetty pipeline: connect, negotiate, send and receive stanzas,
/// close. Built with <see cref="XmppClientBuilder"/>; can connect again after it has closed.
/// </summary>
public sealed class XmppClient : ISession, IStanzaSink, INegotiationListener, IAsyncDisposable
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
    private IChannel? _channel;
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

    /// <inheritdoc />
    public Jid Jid => _boundJid ?? _options.Account!;

    /// <inheritdoc />
    public SessionState State => (SessionState)Volatile.Read(ref _state);

    /// <inheritdoc />
    public IChannel? Channel => _channel;

    /// <inheritdoc />
    public FeatureSet Features { get; }

    /// <inheritdoc />
    public ILoggerFactory LoggerFactory => _options.LoggerFactory;

    /// <inheritdoc />
    public TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>The options the client was built with.</summary>
    public XmppClientOptions Options => _options;

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

        XmppTransport transport = _options.Transport ?? new TcpTransport(_options.Account!.Domain);
        var bootstrap = new Bootstrap()
            .Group(_options.EventLoopGroup ?? XmppEventLoops.Shared)
            .Handler(new ActionChannelInitializer<IChannel>(channel => InitializePipeline(channel, transport)));
        transport.Configure(bootstrap);

        using var timeout = new CancellationTokenSource(_options.NegotiationTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            _channel = await transport.ConnectAsync(bootstrap, linked.Token).ConfigureAwait(false);
            _boundJid = await _online.Task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Volatile.Write(ref _state, (int)SessionState.Closed);
            if (_channel is { } channel)
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }

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
    public Task SendAsync(XElement stanza)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        IChannel? channel = _channel;
        if (State != SessionState.Online || channel is null)
        {
            throw new InvalidOperationException($"The session is {State}; stanzas can be sent only while online.");
        }

        return WriteAsync(channel, stanza);
    }

    /// <inheritdoc />
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

        IChannel channelToClose = _channel!;
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

    void INegotiationListener.OnStreamEnded(SessionCloseReason reason, Exception? failure)
    {
        Volatile.Write(ref _state, (int)SessionState.Closed);
        _iqs.FailAll(new XmppConnectionException("The session ended before the response arrived.", failure ?? new OperationCanceledException()));
        HostLog.SessionEnded(_logger, Jid.ToString(), reason);
        _closed.TrySetResult();
        try
        {
            Closed?.Invoke(this, new SessionClosedEventArgs(reason, failure));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            HostLog.HandlerFailed(_logger, e);
        }
    }

    private void InitializePipeline(IChannel channel, XmppTransport transport)
    {
        var settings = new Pipeline.NegotiationSettings(
            _options.Account!,
            _options.Password!,
            _options.Resource,
            transport.UsesStartTls,
            _options.TlsHost ?? _options.Account!.Domain,
            _options.ServerCertificateValidation ?? ServerCertificateValidation.System,
            _options.TlsProtocols);
        IChannelPipeline pipeline = channel.Pipeline;
        pipeline.AddLast(XmppPipelineNames.XmlDecoder, new XmlStreamDecoder(new XmlStreamParserOptions { MaxStanzaBytes = _options.MaxStanzaBytes }));
        pipeline.AddLast(XmppPipelineNames.XmlEncoder, new XmlStreamEncoder());
        pipeline.AddLast(XmppPipelineNames.Negotiation, new StreamNegotiationHandler(settings, this, _options.LoggerFactory.CreateLogger<StreamNegotiationHandler>()));
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

    private sealed record StanzaHandlerRegistration(Func<XElement, bool> Predicate, Func<XElement, ValueTask<bool>> Handler);

    private sealed class Unregister(Action action) : IDisposable
    {
        private Action? _action = action;

        public void Dispose() => Interlocked.Exchange(ref _action, null)?.Invoke();
    }
}
