using System.Security.Cryptography;
using System.Xml.Linq;
using ReferenceCountUtil = DotNetty.Common.Utilities.ReferenceCountUtil;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Host.Diagnostics;
using XmppDotNet.Xtls.Host.Sasl;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Router;

/// <summary>The server side of one client stream of the <see cref="InMemoryRouter"/>: negotiation, then routing.</summary>
internal sealed class RouterSessionHandler : ChannelHandlerAdapter
{
    private static readonly XName Features = XName.Get("features", XmppNamespaces.Streams);

    private readonly InMemoryRouter _router;
    private readonly ILogger _logger;
    private IChannelHandlerContext? _context;
    private ScramServerConversation? _scram;
    private string? _user;
    private Jid? _bound;
    private bool _ended;
    private XElement? _lastPresence;

    public RouterSessionHandler(InMemoryRouter router, ILogger logger)
    {
        _router = router;
        _logger = logger;
    }

    public bool AnnouncedPresence { get; private set; }

    /// <summary>The session's current broadcast available presence, or <c>null</c>.</summary>
    public XElement? LastPresence => Volatile.Read(ref _lastPresence);

    public override void HandlerAdded(IChannelHandlerContext context) => _context = context;

    public void Send(XElement stanza)
    {
        if (_context is { } context && !_ended)
        {
            _ = context.Channel.WriteAndFlushAsync(stanza);
        }
    }

    /// <summary>Sends a payload stanza as it is; takes its reference.</summary>
    public void Send(PayloadStanza stanza)
    {
        if (_context is { } context && !_ended)
        {
            _ = context.Channel.WriteAndFlushAsync(stanza);
        }
        else
        {
            stanza.Release();
        }
    }

    public void Terminate(string condition)
    {
        if (_context is not { } context)
        {
            return;
        }

        context.Executor.Execute(() =>
        {
            if (_ended)
            {
                return;
            }

            _ = context.WriteAsync(new StreamError(condition).ToXElement());
            EndStream(context);
        });
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (_ended)
        {
            // Read after the stream ended (later elements of the same read): dropped, but a payload's buffer is released.
            ReferenceCountUtil.Release(message);
            return;
        }

        switch (message)
        {
            case StreamHeader:
                OpenStream(context);
                break;
            case StreamFooter:
                EndStream(context);
                break;
            case XElement element when element.Name.Namespace == XmppNamespaces.Sasl && _user is null:
                Authenticate(context, element);
                break;
            case XElement iq when _bound is null && _user is not null && iq.Name == XName.Get("iq", XmppNamespaces.Client):
                BindResource(context, iq);
                break;
            case XElement stanza when _bound is not null && stanza.Name.Namespace == XmppNamespaces.Client:
                RouteStanza(stanza);
                break;
            case PayloadStanza payload:
                RoutePayload(context, payload);
                break;
            default:
                _ = context.WriteAsync(new StreamError(StreamErrorConditions.UnsupportedStanzaType).ToXElement());
                EndStream(context);
                break;
        }
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        XmlStreamException? xml = XmlStreamDecoder.Unwrap(exception);
        string condition = xml?.Condition ?? StreamErrorConditions.InternalServerError;
        HostLog.EndingStream(_logger, condition, "router session: " + exception.Message);
        if (!_ended && context.Channel.Active)
        {
            _ = context.WriteAsync(new StreamError(condition).ToXElement());
        }

        EndStream(context);
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        _ended = true;
        if (_bound is not null)
        {
            _router.Unbind(_bound, this);
        }

        base.ChannelInactive(context);
    }

    private void OpenStream(IChannelHandlerContext context)
    {
        var header = new StreamHeader(_router.Domain, null, RandomNumberGenerator.GetHexString(16, lowercase: true), "1.0", "en", XmppNamespaces.Client);
        _ = context.WriteAsync(header);
        XElement features = _user is null
            ? new XElement(
                Features,
                new XElement(
                    XName.Get("mechanisms", XmppNamespaces.Sasl),
                    new XElement(XName.Get("mechanism", XmppNamespaces.Sasl), "SCRAM-SHA-256"),
                    new XElement(XName.Get("mechanism", XmppNamespaces.Sasl), "SCRAM-SHA-1")))
            : new XElement(
                Features,
                new XElement(XName.Get("bind", XmppNamespaces.Bind)),
                _router.AnnounceStreamLimits ? new StreamLimits(_router.MaxStanzaBytes, null).ToXElement() : null);
        _ = context.WriteAndFlushAsync(features);
    }

    private void Authenticate(IChannelHandlerContext context, XElement element)
    {
        try
        {
            switch (element.Name.LocalName)
            {
                case "auth":
                    string? mechanism = (string?)element.Attribute("mechanism");
                    ScramHash? hash = mechanism switch
                    {
                        "SCRAM-SHA-256" => ScramHash.Sha256,
                        "SCRAM-SHA-1" => ScramHash.Sha1,
                        _ => null,
                    };
                    if (hash is null)
                    {
                        Fail(context, "invalid-mechanism");
                        return;
                    }

                    _scram = new ScramServerConversation(hash.Value, user => _router.FindCredentials(hash.Value, user));
                    byte[] serverFirst = _scram.HandleClientFirst(SaslPayload.Decode(element.Value));
                    _ = context.WriteAndFlushAsync(new XElement(XName.Get("challenge", XmppNamespaces.Sasl), Convert.ToBase64String(serverFirst)));
                    break;
                case "response" when _scram is not null:
                    byte[] serverFinal = _scram.HandleClientFinal(SaslPayload.Decode(element.Value));
                    _user = _scram.AuthenticatedUser;
                    _scram = null;
                    _ = context.WriteAndFlushAsync(new XElement(XName.Get("success", XmppNamespaces.Sasl), Convert.ToBase64String(serverFinal)));
                    if (context.Channel.Pipeline.Get("xml-decoder") is XmlStreamDecoder decoder)
                    {
                        decoder.Reset();
                    }

                    break;
                default:
                    Fail(context, "malformed-request");
                    break;
            }
        }
        catch (SaslAuthenticationException e)
        {
            Fail(context, e.Condition);
        }
        catch (FormatException)
        {
            Fail(context, "incorrect-encoding");
        }
    }

    private void Fail(IChannelHandlerContext context, string condition)
    {
        _scram = null;
        _ = context.WriteAndFlushAsync(new XElement(XName.Get("failure", XmppNamespaces.Sasl), new XElement(XName.Get(condition, XmppNamespaces.Sasl))));
    }

    private void BindResource(IChannelHandlerContext context, XElement iq)
    {
        XElement? bind = iq.Element(XName.Get("bind", XmppNamespaces.Bind));
        if (bind is null || Stanza.GetType(iq) != "set")
        {
            _ = context.WriteAndFlushAsync(Stanza.ErrorFor(iq, new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.NotAllowed)));
            return;
        }

        string resource = bind.Element(XName.Get("resource", XmppNamespaces.Bind))?.Value is { Length: > 0 } requested
            ? requested
            : RandomNumberGenerator.GetHexString(8, lowercase: true);
        Jid full;
        try
        {
            full = new Jid(_user, _router.Domain, resource);
        }
        catch (InvalidJidException)
        {
            _ = context.WriteAndFlushAsync(Stanza.ErrorFor(iq, new StanzaError(StanzaErrorType.Modify, StanzaErrorConditions.BadRequest)));
            return;
        }

        _bound = full;
        _router.Bind(full, this);
        var result = new XElement(
            XName.Get("iq", XmppNamespaces.Client),
            new XAttribute("type", "result"),
            new XAttribute("id", Stanza.GetId(iq) ?? string.Empty),
            new XElement(XName.Get("bind", XmppNamespaces.Bind), new XElement(XName.Get("jid", XmppNamespaces.Bind), full.ToString())));
        _ = context.WriteAndFlushAsync(result);
    }

    // A payload stanza between bound sessions goes on as it is; anything else is routed as the ordinary stanza.
    private void RoutePayload(IChannelHandlerContext context, PayloadStanza payload)
    {
        XElement whole;
        try
        {
            if (_bound is not null && payload.Stanza.Name.Namespace == XmppNamespaces.Client && payload.Stanza.Name.LocalName != "presence")
            {
                payload.Stanza.SetAttributeValue("from", _bound.ToString());
                if (_router.TryForwardAsIs(payload))
                {
                    return;
                }
            }

            whole = payload.ToXElement();
        }
        catch
        {
            payload.Release();
            throw;
        }

        payload.Release();
        ChannelRead(context, whole);
    }

    private void RouteStanza(XElement stanza)
    {
        // Servers stamp the sender's address; whatever the client wrote is replaced.
        stanza.SetAttributeValue("from", _bound!.ToString());
        bool initial = false;
        if (stanza.Name.LocalName == "presence" && stanza.Attribute("to") is null)
        {
            bool available = Stanza.GetType(stanza) != "unavailable";
            initial = available && !AnnouncedPresence;
            AnnouncedPresence = available;
            Volatile.Write(ref _lastPresence, available ? new XElement(stanza) : null);
        }

        try
        {
            _router.Route(_bound, stanza);
            if (initial)
            {
                _router.OnAvailable(_bound);
            }
        }
        catch (InvalidJidException)
        {
            Send(Stanza.ErrorFor(stanza, new StanzaError(StanzaErrorType.Modify, StanzaErrorConditions.JidMalformed)));
        }
    }

    private void EndStream(IChannelHandlerContext context)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        _ = context.WriteAndFlushAsync(StreamFooter.Instance);
        _ = context.CloseAsync();
    }
}
