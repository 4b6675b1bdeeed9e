using System.Collections.Concurrent;
using System.Xml.Linq;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Local;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Diagnostics;
using XmppDotNet.Xtls.Host.Sasl;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Router;

/// <summary>
/// A small XMPP server inside the process, for demos and tests without a network: clients connect
/// over DotNetty local channels, authenticate with SCRAM, bind resources, and the router delivers
/// stanzas by full JID the way a server does (an IQ to an offline JID comes back as
/// <c>service-unavailable</c>; available and unavailable presence is broadcast to the other sessions).
/// </summary>
/// <remarks>
/// It keeps a minimal roster per account (RFC 6121): roster get and set with pushes to the account's
/// sessions, and subscription presence (subscribe, subscribed, unsubscribe, unsubscribed) with the
/// subscription states it changes; a new subscriber gets the contact's current presence. Presence
/// broadcast does not look at subscriptions: every session still gets every other session's
/// available and unavailable presence, subscribed or not.
/// </remarks>
public sealed class InMemoryRouter : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ScramAccount> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Jid, RouterSessionHandler> _sessions = new();
    private readonly RouterRosters _rosters;
    private readonly IEventLoopGroup _group;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private IChannel? _serverChannel;

    /// <summary>Creates a router for a domain.</summary>
    public InMemoryRouter(string domain = "localhost", IEventLoopGroup? eventLoopGroup = null, ILoggerFactory? loggerFactory = null)
    {
        Domain = new Jid(null, domain).Domain;
        _group = eventLoopGroup ?? XmppEventLoops.Shared;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<InMemoryRouter>();
        Address = new LocalAddress("xmpp-router-" + Guid.NewGuid().ToString("N"));
        _rosters = new RouterRosters(this);
    }

    /// <summary>Raised (on an event loop) for every stanza forwarded from one session to another, as the sender sent it (before any <see cref="Interceptor"/>).</summary>
    public event EventHandler<RoutedStanzaEventArgs>? StanzaRouted;

    /// <summary>
    /// A server in the middle, for tests against a hostile network: consulted for every stanza forwarded
    /// from one session to another (after <see cref="StanzaRouted"/>), it returns what is delivered
    /// instead: the stanza itself, a modified copy, nothing (the stanza is dropped) or several (duplicated,
    /// replayed, or released together with stanzas it held back earlier). <c>null</c> (the default)
    /// forwards everything unchanged.
    /// </summary>
    /// <remarks>
    /// Not consulted for the router's own answers and bounces or for broadcasts of presence without a
    /// <c>to</c>. It runs on the sending session's event loop, so it sees one sender's stanzas in the order
    /// they were sent, but several senders concurrently. The stanza it is given may also go to other
    /// resources (a message to a bare JID): change a copy, never the stanza itself. If it throws or
    /// returns <c>null</c> (or a list holding <c>null</c>), the failure is logged and the stanza is
    /// forwarded unchanged: a broken interceptor never breaks routing.
    /// </remarks>
    /// <example>
    /// <code>
    /// // Deliver every message twice.
    /// router.Interceptor = e => e.Stanza.Name.LocalName == "message" ? [e.Stanza, e.Stanza] : [e.Stanza];
    /// </code>
    /// </example>
    public Func<RoutedStanzaEventArgs, IReadOnlyList<XElement>>? Interceptor { get; set; }

    /// <summary>
    /// Elements the router reads as bytes (set before <see cref="StartAsync"/>): a stanza carrying one goes from
    /// session to session without its text ever becoming a string, as long as nobody observes routing
    /// (<see cref="StanzaRouted"/>, <see cref="Interceptor"/>); otherwise it is routed as an ordinary stanza.
    /// </summary>
    public IList<BinaryPayloadElement> BinaryPayloadElements { get; } = [];

    /// <summary>
    /// The largest stanza a session may send, in UTF-8 bytes (set before <see cref="StartAsync"/>; default 262,144, as
    /// Prosody's and ejabberd's c2s): a bigger one ends the stream with <c>policy-violation</c>.
    /// </summary>
    public int MaxStanzaBytes { get; set; } = 262_144;

    /// <summary>
    /// Whether the stream features after authentication announce <see cref="MaxStanzaBytes"/> (XEP-0478; set before
    /// <see cref="StartAsync"/>; default <see langword="true"/>). Off, the router behaves like a server that keeps its
    /// limit to itself, as Prosody 0.12 and ejabberd 23.01 do.
    /// </summary>
    public bool AnnounceStreamLimits { get; set; } = true;

    /// <summary>The domain the router serves.</summary>
    public string Domain { get; }

    /// <summary>The local address clients connect to.</summary>
    public LocalAddress Address { get; }

    /// <summary>The full JIDs of the sessions online now.</summary>
    public IReadOnlyCollection<Jid> OnlineSessions => [.. _sessions.Keys];

    /// <summary>Creates an account (SCRAM-SHA-1 and SCRAM-SHA-256 credentials; the password itself is not kept).</summary>
    public void AddAccount(string user, string password)
    {
        var jid = new Jid(user, Domain);
        _accounts[jid.Local!] = new ScramAccount(
            ScramCredentials.Create(ScramHash.Sha1, password),
            ScramCredentials.Create(ScramHash.Sha256, password));
    }

    /// <summary>Starts accepting connections.</summary>
    public async Task StartAsync()
    {
        var bootstrap = new ServerBootstrap()
            .Group(_group, _group)
            .Channel<LocalServerChannel>()
            .ChildHandler(new ActionChannelInitializer<IChannel>(channel =>
            {
                var options = new XmlStreamParserOptions { MaxStanzaBytes = MaxStanzaBytes };
                foreach (BinaryPayloadElement element in BinaryPayloadElements)
                {
                    options.BinaryPayloadElements.Add(element);
                }

                channel.Pipeline.AddLast("xml-decoder", new XmlStreamDecoder(options));
                channel.Pipeline.AddLast("xml-encoder", new XmlStreamEncoder());
                channel.Pipeline.AddLast("router-session", new RouterSessionHandler(this, _loggerFactory.CreateLogger<RouterSessionHandler>()));
            }));
        _serverChannel = await bootstrap.BindAsync(Address).ConfigureAwait(false);
    }

    /// <summary>Ends a session as a server would on shutdown or a conflict: a stream error, then the connection.</summary>
    /// <returns><c>false</c> if no such session is online.</returns>
    public bool Disconnect(Jid fullJid, string condition = StreamErrorConditions.SystemShutdown)
    {
        if (!_sessions.TryGetValue(fullJid, out RouterSessionHandler? session))
        {
            return false;
        }

        session.Terminate(condition);
        return true;
    }

    /// <summary>Stops the router and closes every session.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (RouterSessionHandler session in _sessions.Values)
        {
            session.Terminate(StreamErrorConditions.SystemShutdown);
        }

        if (_serverChannel is { } channel)
        {
            await channel.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The accounts' rosters as the router holds them.</summary>
    internal RouterRosters Rosters => _rosters;

    internal ScramCredentials? FindCredentials(ScramHash hash, string user) =>
        _accounts.TryGetValue(user, out ScramAccount? account) ? (hash == ScramHash.Sha1 ? account.Sha1 : account.Sha256) : null;

    internal void Bind(Jid fullJid, RouterSessionHandler session)
    {
        // A new login of a resource replaces the old session, as servers do.
        if (_sessions.TryGetValue(fullJid, out RouterSessionHandler? old) && !ReferenceEquals(old, session))
        {
            old.Terminate(StreamErrorConditions.Conflict);
        }

        _sessions[fullJid] = session;
    }

    internal void Unbind(Jid fullJid, RouterSessionHandler session)
    {
        if (_sessions.TryRemove(new KeyValuePair<Jid, RouterSessionHandler>(fullJid, session)) && session.AnnouncedPresence)
        {
            var unavailable = new XElement(XName.Get("presence", XmppNamespaces.Client), new XAttribute("type", "unavailable"));
            Broadcast(fullJid, unavailable);
        }
    }

    /// <summary>
    /// Routes a payload stanza from a bound session (the caller has stamped <c>from</c>) to a full JID as it is, or
    /// returns <c>false</c> when it must take the ordinary way: someone observes routing, or it is not for a bound full JID.
    /// Takes the stanza's reference only when it returns <c>true</c>.
    /// </summary>
    internal bool TryForwardAsIs(PayloadStanza stanza)
    {
        if (StanzaRouted is not null || Interceptor is not null)
        {
            return false;
        }

        Jid? to;
        try
        {
            to = Stanza.GetTo(stanza.Stanza);
        }
        catch (InvalidJidException)
        {
            return false; // The ordinary way answers it with jid-malformed, as for any stanza.
        }

        if (to is not { IsFull: true } || to.Domain != Domain || !_sessions.TryGetValue(to, out RouterSessionHandler? target))
        {
            return false;
        }

        target.Send(stanza);
        return true;
    }

    /// <summary>Routes a stanza from a bound session; the caller has stamped <c>from</c>.</summary>
    internal void Route(Jid from, XElement stanza)
    {
        Jid? to = Stanza.GetTo(stanza);
        string name = stanza.Name.LocalName;
        if (to is null || to == from.Bare || (to.Local is null && to.Domain == Domain && to.Resource is null))
        {
            HandleForServer(from, to, stanza);
            return;
        }

        if (to.Domain != Domain)
        {
            Bounce(from, stanza, StanzaErrorConditions.RemoteServerNotFound);
            return;
        }

        if (name == "presence" && Stanza.GetType(stanza) is "subscribe" or "subscribed" or "unsubscribe" or "unsubscribed")
        {
            // Subscription presence is between accounts, whatever resource it names.
            _rosters.HandleSubscription(from, to, stanza);
            return;
        }

        if (to.IsFull)
        {
            if (_sessions.TryGetValue(to, out RouterSessionHandler? target))
            {
                Forward(from, to, stanza, target);
            }
            else if (name != "presence")
            {
                Bounce(from, stanza, StanzaErrorConditions.ServiceUnavailable);
            }

            return;
        }

        // A bare JID: messages and presence go to every resource; IQs are the server's to answer.
        if (name == "iq")
        {
            Bounce(from, stanza, StanzaErrorConditions.ServiceUnavailable);
            return;
        }

        RouterSessionHandler[] targets = [.. _sessions.Where(s => s.Key.Bare == to).Select(s => s.Value)];
        if (targets.Length == 0 && name == "message")
        {
            Bounce(from, stanza, StanzaErrorConditions.ServiceUnavailable);
        }

        foreach (RouterSessionHandler target in targets)
        {
            Forward(from, to, stanza, target);
        }
    }

    private void HandleForServer(Jid from, Jid? to, XElement stanza)
    {
        switch (stanza.Name.LocalName)
        {
            case "presence" when to is null:
                Broadcast(from, stanza);
                break;
            case "iq" when Stanza.IsIqRequest(stanza) && stanza.Element(XName.Get("query", XmppNamespaces.Roster)) is not null:
                Deliver(from, _rosters.Answer(from, stanza));
                break;
            case "iq" when Stanza.IsIqRequest(stanza):
                XElement? reply = AnswerServerIq(stanza);
                Deliver(from, reply ?? Stanza.ErrorFor(stanza, new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.ServiceUnavailable)));
                break;
            default:
                break;
        }
    }

    private static XElement? AnswerServerIq(XElement iq)
    {
        if (Stanza.GetType(iq) != "get")
        {
            return null;
        }

        if (iq.Element(XName.Get("ping", XmppNamespaces.Ping)) is not null)
        {
            return Stanza.ResultFor(iq);
        }

        if (iq.Element(XName.Get("query", XmppNamespaces.DiscoInfo)) is not null)
        {
            var query = new XElement(
                XName.Get("query", XmppNamespaces.DiscoInfo),
                new XElement(XName.Get("identity", XmppNamespaces.DiscoInfo), new XAttribute("category", "server"), new XAttribute("type", "im")),
                new XElement(XName.Get("feature", XmppNamespaces.DiscoInfo), new XAttribute("var", XmppNamespaces.DiscoInfo)),
                new XElement(XName.Get("feature", XmppNamespaces.DiscoInfo), new XAttribute("var", XmppNamespaces.Ping)));
            return Stanza.ResultFor(iq, query);
        }

        return null;
    }

    private void Broadcast(Jid from, XElement presence)
    {
        foreach (KeyValuePair<Jid, RouterSessionHandler> session in _sessions)
        {
            if (session.Key != from)
            {
                var copy = new XElement(presence);
                copy.SetAttributeValue("from", from.ToString());
                copy.SetAttributeValue("to", session.Key.ToString());
                session.Value.Send(copy);
            }
        }
    }

    private void Forward(Jid from, Jid to, XElement stanza, RouterSessionHandler target)
    {
        var routed = new RoutedStanzaEventArgs(from, to, stanza);
        try
        {
            StanzaRouted?.Invoke(this, routed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An observer's bug must not break routing.
            HostLog.HandlerFailed(_logger, e);
        }

        foreach (XElement delivered in Intercept(routed))
        {
            target.Send(delivered);
        }
    }

    private IReadOnlyList<XElement> Intercept(RoutedStanzaEventArgs routed)
    {
        if (Interceptor is not { } interceptor)
        {
            return [routed.Stanza];
        }

        try
        {
            IReadOnlyList<XElement>? result = interceptor(routed);
            if (result is null || result.Any(s => s is null))
            {
                throw new InvalidOperationException("The interceptor returned null instead of a list of stanzas.");
            }

            return result;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            RouterLog.InterceptorFailed(_logger, e);
            return [routed.Stanza];
        }
    }

    private void Bounce(Jid from, XElement stanza, string condition)
    {
        // Errors are never answered with errors (RFC 6120 §8.3.1).
        if (Stanza.GetType(stanza) == "error" || (stanza.Name.LocalName == "iq" && !Stanza.IsIqRequest(stanza)))
        {
            return;
        }

        XElement error = Stanza.ErrorFor(stanza, new StanzaError(StanzaError.DefaultTypeFor(condition), condition));
        Deliver(from, error);
    }

    private void Deliver(Jid to, XElement stanza)
    {
        if (_sessions.TryGetValue(to, out RouterSessionHandler? session))
        {
            session.Send(stanza);
        }
    }

    internal bool HasAccount(Jid bare) => bare.Domain == Domain && bare.Local is { } user && _accounts.ContainsKey(user);

    internal IReadOnlyList<Jid> SessionsOf(Jid bare) => [.. _sessions.Keys.Where(k => k.Bare == bare)];

    internal void DeliverTo(Jid fullJid, XElement stanza) => Deliver(fullJid, stanza);

    /// <summary>Sends a copy of a stanza to each resource of an account that has sent available presence.</summary>
    internal void DeliverToAvailable(Jid bare, XElement stanza)
    {
        foreach (KeyValuePair<Jid, RouterSessionHandler> session in _sessions.Where(s => s.Key.Bare == bare && s.Value.AnnouncedPresence))
        {
            session.Value.Send(new XElement(stanza));
        }
    }

    /// <summary>Sends a subscription presence of <paramref name="from"/>'s account to <paramref name="to"/>'s available resources.</summary>
    internal void DeliverToAccount(Jid to, Jid from, string type) =>
        DeliverToAvailable(to, new XElement(Stanza.PresenceName, new XAttribute("from", from.ToString()), new XAttribute("to", to.ToString()), new XAttribute("type", type)));

    /// <summary>Sends the current available presence of each resource of <paramref name="of"/> to each session of <paramref name="to"/>.</summary>
    internal void SendAvailablePresence(Jid of, Jid to)
    {
        foreach (KeyValuePair<Jid, RouterSessionHandler> source in _sessions.Where(s => s.Key.Bare == of))
        {
            if (source.Value.LastPresence is not { } presence)
            {
                continue;
            }

            foreach (KeyValuePair<Jid, RouterSessionHandler> target in _sessions.Where(s => s.Key.Bare == to))
            {
                var copy = new XElement(presence);
                copy.SetAttributeValue("from", source.Key.ToString());
                copy.SetAttributeValue("to", target.Key.ToString());
                target.Value.Send(copy);
            }
        }
    }

    /// <summary>Tells each session of <paramref name="to"/> that each available resource of <paramref name="of"/> is unavailable to it now.</summary>
    internal void SendUnavailablePresence(Jid of, Jid to)
    {
        foreach (KeyValuePair<Jid, RouterSessionHandler> source in _sessions.Where(s => s.Key.Bare == of && s.Value.AnnouncedPresence))
        {
            foreach (KeyValuePair<Jid, RouterSessionHandler> target in _sessions.Where(s => s.Key.Bare == to))
            {
                target.Value.Send(new XElement(
                    Stanza.PresenceName,
                    new XAttribute("from", source.Key.ToString()),
                    new XAttribute("to", target.Key.ToString()),
                    new XAttribute("type", "unavailable")));
            }
        }
    }

    /// <summary>A session sent its initial presence.</summary>
    internal void OnAvailable(Jid fullJid) => _rosters.OnAvailable(fullJid);

    private sealed record ScramAccount(ScramCredentials Sha1, ScramCredentials Sha256);
}
