using System.Xml.Linq;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace XmppDotNet.Xtls.Host.Session;

/// <summary>
/// One XMPP client session as plugins and applications see it: its address, its channel,
/// sending, IQ requests with correlation, stanza handlers and a small service registry.
/// </summary>
public interface ISession
{
    /// <summary>The account's bare JID before binding, the bound full JID after.</summary>
    Jid Jid { get; }

    /// <summary>The current state.</summary>
    SessionState State { get; }

    /// <summary>
    /// The DotNetty channel of the session, or <c>null</c> before the first connection: its pipeline holds
    /// the stanza handlers and the plugins' handlers and outlives a resumed connection (XEP-0198); it is
    /// active while the session lasts, and closing it ends the session without resuming.
    /// </summary>
    IChannel? Channel { get; }

    /// <summary>
    /// What the server announced it accepts on the current connection (XEP-0478), or <see langword="null"/> when it
    /// announced nothing or no connection is online.
    /// </summary>
    StreamLimits? ServerLimits { get; }

    /// <summary>The disco#info features this session advertises; plugins add theirs.</summary>
    FeatureSet Features { get; }

    /// <summary>The logger factory plugins should log through.</summary>
    ILoggerFactory LoggerFactory { get; }

    /// <summary>The clock the session and its plugins use for timeouts.</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Raised on the channel's event loop for each message, presence or IQ that reached the application.</summary>
    /// <remarks>Handlers must not block: they run on the I/O thread.</remarks>
    event EventHandler<StanzaReceivedEventArgs>? StanzaReceived;

    /// <summary>Raised once when the session has ended.</summary>
    event EventHandler<SessionClosedEventArgs>? Closed;

    /// <summary>Writes a stanza through the whole pipeline (plugins see it) and flushes.</summary>
    /// <exception cref="InvalidOperationException">The session is not online.</exception>
    /// <exception cref="XmppConnectionException">(From the task.) The connection closed before the stanza was written.</exception>
    Task SendAsync(XElement stanza);

    /// <summary>
    /// Sends an IQ request (an <c>id</c> is assigned if missing) and waits for its result.
    /// </summary>
    /// <returns>The IQ-result.</returns>
    /// <exception cref="Stanzas.XmppStanzaException">The response is an IQ-error.</exception>
    /// <exception cref="XmppIqTimeoutException">No response within <paramref name="timeout"/> (default: the session's IQ timeout).</exception>
    /// <exception cref="OperationCanceledException">Cancelled, or the session ended first.</exception>
    Task<XElement> SendIqAsync(XElement iq, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers a handler for inbound stanzas. Handlers run in registration order on the event loop;
    /// every handler whose predicate matches runs until one returns <c>true</c>, which consumes the
    /// stanza (a handler that only observes returns <c>false</c>). A stanza no handler consumes reaches
    /// the application; an IQ request no handler consumes is answered with <c>service-unavailable</c>.
    /// </summary>
    /// <returns>Disposing it removes the handler.</returns>
    IDisposable AddStanzaHandler(Func<XElement, bool> predicate, Func<XElement, ValueTask<bool>> handler);

    /// <summary>A service a plugin registered with <see cref="SetService{T}"/>, or <c>null</c>.</summary>
    T? GetService<T>()
        where T : class;

    /// <summary>Registers a service (one per type) so that the application can find a plugin's API.</summary>
    void SetService<T>(T service)
        where T : class;

    /// <summary>
    /// Registers work to do when the application closes the session, before the stream footer is
    /// sent (for example closing end-to-end tunnels cleanly). Bounded by the session's close timeout.
    /// </summary>
    /// <returns>Disposing it removes the callback.</returns>
    IDisposable AddClosingHandler(Func<CancellationToken, Task> onClosing);

    /// <summary>Creates a new unique stanza id.</summary>
    string NextId();
}
