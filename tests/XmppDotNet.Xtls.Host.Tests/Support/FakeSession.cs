using System.Collections.Concurrent;
using System.Xml.Linq;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Tests.Support;

/// <summary>
/// A session without a network: inbound stanzas are handed to <see cref="ReceiveAsync"/>, what the
/// session sends is recorded, and IQ requests are answered by <see cref="IqResponder"/>.
/// </summary>
internal sealed class FakeSession : ISession
{
    private readonly List<(Func<XElement, bool> Predicate, Func<XElement, ValueTask<bool>> Handler)> _handlers = [];
    private readonly ConcurrentDictionary<Type, object> _services = new();
    private int _ids;

    public FakeSession(string jid = "romeo@montague.lit/orchard") => Jid = Jid.Parse(jid);

    public event EventHandler<StanzaReceivedEventArgs>? StanzaReceived;

    public event EventHandler<SessionClosedEventArgs>? Closed;

    public Jid Jid { get; set; }

    public SessionState State { get; set; } = SessionState.Online;

    public IChannel? Channel => null;

    public StreamLimits? ServerLimits { get; set; }

    public FeatureSet Features { get; } = new();

    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    public TimeProvider TimeProvider => Clock;

    /// <summary>Everything sent with <see cref="SendAsync"/> (IQ requests sent with <see cref="SendIqAsync"/> too).</summary>
    public ConcurrentQueue<XElement> Sent { get; } = new();

    /// <summary>Stanzas that no handler consumed.</summary>
    public ConcurrentQueue<XElement> Delivered { get; } = new();

    /// <summary>Answers IQ requests; default: <c>service-unavailable</c>.</summary>
    public Func<XElement, Task<XElement>> IqResponder { get; set; } =
        iq => Task.FromResult(Stanza.ErrorFor(iq, new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.ServiceUnavailable)));

    public Task SendAsync(XElement stanza)
    {
        Sent.Enqueue(stanza);
        return Task.CompletedTask;
    }

    public async Task<XElement> SendIqAsync(XElement iq, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (Stanza.GetId(iq) is null)
        {
            iq.SetAttributeValue("id", NextId());
        }

        Sent.Enqueue(iq);
        XElement answer = await IqResponder(iq).WaitAsync(cancellationToken);
        if (Stanza.GetType(answer) == "error")
        {
            throw new XmppStanzaException(StanzaError.FromStanza(answer)!, answer);
        }

        return answer;
    }

    public IDisposable AddStanzaHandler(Func<XElement, bool> predicate, Func<XElement, ValueTask<bool>> handler)
    {
        _handlers.Add((predicate, handler));
        return new Removal(() => _handlers.Remove((predicate, handler)));
    }

    public IDisposable AddClosingHandler(Func<CancellationToken, Task> onClosing) => new Removal(() => { });

    public T? GetService<T>()
        where T : class => _services.TryGetValue(typeof(T), out object? s) ? (T)s : null;

    public void SetService<T>(T service)
        where T : class => _services[typeof(T)] = service;

    public string NextId() => "id" + Interlocked.Increment(ref _ids);

    /// <summary>Runs the handlers as the client does: in order, until one consumes; the rest reaches the application.</summary>
    /// <returns>Whether a handler consumed the stanza.</returns>
    public async Task<bool> ReceiveAsync(XElement stanza)
    {
        foreach ((Func<XElement, bool> predicate, Func<XElement, ValueTask<bool>> handler) in _handlers.ToList())
        {
            if (predicate(stanza) && await handler(stanza))
            {
                return true;
            }
        }

        Delivered.Enqueue(stanza);
        StanzaReceived?.Invoke(this, new StanzaReceivedEventArgs(stanza));
        return false;
    }

    public void End(SessionCloseReason reason = SessionCloseReason.ConnectionLost)
    {
        State = SessionState.Closed;
        Closed?.Invoke(this, new SessionClosedEventArgs(reason, null));
    }

    private sealed class Removal(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
