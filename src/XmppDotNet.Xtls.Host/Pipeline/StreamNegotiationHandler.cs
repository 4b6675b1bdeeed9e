using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using DotNetty.Handlers.Tls;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Host.Diagnostics;
using XmppDotNet.Xtls.Host.Sasl;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.StreamManagement;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Pipeline;

/// <summary>
/// Client-side stream negotiation (RFC 6120): stream header, STARTTLS, SASL, stream restarts,
/// resource binding; afterwards it passes stanzas on and turns stream errors and the closing
/// footer into session events.
/// </summary>
public sealed class StreamNegotiationHandler : ChannelHandlerAdapter
{
    private static readonly XName Features = XName.Get("features", XmppNamespaces.Streams);
    private static readonly XName StreamErrorName = XName.Get("error", XmppNamespaces.Streams);

    private readonly NegotiationSettings _settings;
    private readonly INegotiationListener _listener;
    private readonly ILogger _logger;
    private readonly StreamManager? _streamManagement;
    private readonly bool _resume;
    private Phase _phase = Phase.AwaitingHeader;
    private bool _tlsDone;
    private bool _authenticated;
    private bool _sessionRequired;
    private bool _footerSent;
    private bool _ended;
    private bool _streamManagementOffered;
    private string? _bindId;
    private Jid? _boundJid;
    private SaslMechanism? _mechanism;

    /// <summary>Creates the handler.</summary>
    public StreamNegotiationHandler(NegotiationSettings settings, INegotiationListener listener, ILogger logger)
        : this(settings, listener, logger, null, resume: false)
    {
    }

    /// <summary>
    /// Creates the handler with stream management (XEP-0198): enabled after binding when offered, or, with
    /// <paramref name="resume"/>, the previous stream resumed after authentication instead of binding.
    /// </summary>
    internal StreamNegotiationHandler(NegotiationSettings settings, INegotiationListener listener, ILogger logger, StreamManager? streamManagement, bool resume)
    {
        _settings = settings;
        _listener = listener;
        _logger = logger;
        _streamManagement = streamManagement;
        _resume = resume && streamManagement is not null;
    }

    private enum Phase
    {
        AwaitingHeader,
        AwaitingFeatures,
        StartTls,
        Sasl,
        Binding,
        Session,
        Resuming,
        Online,
    }

    /// <inheritdoc />
    public override void ChannelActive(IChannelHandlerContext context)
    {
        base.ChannelActive(context);
        SendHeader(context);
    }

    /// <inheritdoc />
    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (_ended)
        {
            // Read after the stream ended (later elements of the same read): dropped, but a payload's buffer is released.
            ReferenceCountUtil.Release(message);
            return;
        }

        if (message is StreamFooter)
        {
            OnFooter(context);
            return;
        }

        if (message is XElement error && error.Name == StreamErrorName)
        {
            OnStreamError(context, error);
            return;
        }

        if (_phase == Phase.Online)
        {
            context.FireChannelRead(message);
            return;
        }

        try
        {
            Negotiate(context, message);
        }
        catch (XmppException e)
        {
            Fail(context, e);
        }
        catch (SaslAuthenticationException e)
        {
            Fail(context, new XmppAuthenticationException(e.Condition, e.Message, e));
        }
        catch (FormatException e)
        {
            Fail(context, new XmppConnectionException("The server sent a malformed negotiation element.", e));
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        if (message is StreamFooter)
        {
            _footerSent = true;
        }

        return context.WriteAsync(message);
    }

    /// <inheritdoc />
    public override void UserEventTriggered(IChannelHandlerContext context, object evt)
    {
        if (evt is TlsHandshakeCompletionEvent tls && _phase == Phase.StartTls)
        {
            if (tls.IsSuccessful)
            {
                _tlsDone = true;
                SendHeader(context);
            }
            else
            {
                Fail(context, new XmppConnectionException("The TLS handshake with the server failed.", tls.Exception));
            }

            return;
        }

        base.UserEventTriggered(context, evt);
    }

    /// <inheritdoc />
    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        XmlStreamException? xml = XmlStreamDecoder.Unwrap(exception);
        if (xml is not null)
        {
            HostLog.EndingStream(_logger, xml.Condition, xml.Message);
            SendStreamError(context, xml.Condition);
            End(context, SessionCloseReason.StreamError, new XmppStreamErrorException(xml.Condition, xml.Message, sentByPeer: false, xml));
            return;
        }

        HostLog.PipelineError(_logger, exception);
        End(context, SessionCloseReason.ConnectionLost, new XmppConnectionException("The connection failed: " + exception.Message, exception));
    }

    /// <inheritdoc />
    public override void ChannelInactive(IChannelHandlerContext context)
    {
        if (!_ended)
        {
            _ended = true;
            if (_phase != Phase.Online)
            {
                _listener.OnNegotiationFailed(new XmppConnectionException("The connection closed during stream negotiation."));
            }
            else
            {
                _listener.OnStreamEnded(_footerSent ? SessionCloseReason.ClosedLocally : SessionCloseReason.ConnectionLost, null);
            }
        }

        base.ChannelInactive(context);
    }

    private void Negotiate(IChannelHandlerContext context, object message)
    {
        switch (message)
        {
            case StreamHeader:
                _phase = Phase.AwaitingFeatures;
                break;
            case XElement features when features.Name == Features && _phase == Phase.AwaitingFeatures:
                OnFeatures(context, features);
                break;
            case XElement tls when tls.Name.Namespace == XmppNamespaces.Tls && _phase == Phase.StartTls:
                OnStartTlsAnswer(context, tls);
                break;
            case XElement sasl when sasl.Name.Namespace == XmppNamespaces.Sasl && _phase == Phase.Sasl:
                OnSasl(context, sasl);
                break;
            case XElement iq when iq.Name.LocalName == "iq" && _phase is Phase.Binding or Phase.Session:
                OnBindingAnswer(context, iq);
                break;
            case XElement sm when sm.Name.Namespace == XmppNamespaces.StreamManagement && _phase == Phase.Resuming:
                OnResumeAnswer(context, sm);
                break;
            default:
                HostLog.UnexpectedNegotiationElement(_logger, (message as XElement)?.Name.LocalName ?? message.GetType().Name);
                ReferenceCountUtil.Release(message);
                break;
        }
    }

    private void OnFeatures(IChannelHandlerContext context, XElement features)
    {
        if (_settings.UseStartTls && !_tlsDone)
        {
            if (features.Element(XName.Get("starttls", XmppNamespaces.Tls)) is null)
            {
                throw new XmppConnectionException("The server does not offer STARTTLS; refusing to continue without TLS.");
            }

            _phase = Phase.StartTls;
            _ = context.WriteAndFlushAsync(new XElement(XName.Get("starttls", XmppNamespaces.Tls)));
            return;
        }

        if (!_authenticated)
        {
            StartSasl(context, features);
            return;
        }

        // The limits announced now govern the session (those before authentication were for an unknown party).
        StreamLimits.Store(context.Channel, StreamLimits.FromFeatures(features));
        _streamManagementOffered = features.Element(XName.Get("sm", XmppNamespaces.StreamManagement)) is not null;
        if (_resume)
        {
            if (!_streamManagementOffered)
            {
                throw new XmppResumptionFailedException("The server no longer offers stream management; the session cannot be resumed.");
            }

            _phase = Phase.Resuming;
            _ = context.WriteAndFlushAsync(_streamManagement!.CreateResume());
            return;
        }

        if (features.Element(XName.Get("bind", XmppNamespaces.Bind)) is null)
        {
            throw new XmppBindException("The server does not offer resource binding.");
        }

        XElement? session = features.Element(XName.Get("session", XmppNamespaces.Session));
        _sessionRequired = session is not null && session.Element(XName.Get("optional", XmppNamespaces.Session)) is null;
        _phase = Phase.Binding;
        _bindId = "bind";
        var bind = new XElement(XName.Get("bind", XmppNamespaces.Bind));
        if (_settings.Resource is not null)
        {
            bind.Add(new XElement(XName.Get("resource", XmppNamespaces.Bind), _settings.Resource));
        }

        _ = context.WriteAndFlushAsync(Iq("set", _bindId, bind));
    }

    private void StartSasl(IChannelHandlerContext context, XElement features)
    {
        XElement? mechanisms = features.Element(XName.Get("mechanisms", XmppNamespaces.Sasl));
        string[] offered = mechanisms?.Elements(XName.Get("mechanism", XmppNamespaces.Sasl)).Select(m => m.Value.Trim()).ToArray() ?? [];
        bool encrypted = _tlsDone || context.Channel.Pipeline.Get(XmppPipelineNames.Tls) is not null;
        _mechanism = SaslMechanismSelector.Select(offered, _settings.Account.Local ?? string.Empty, _settings.Password, encrypted)
            ?? throw new XmppAuthenticationException(
                "invalid-mechanism",
                $"No acceptable SASL mechanism is offered (offered: {string.Join(", ", offered)}); PLAIN is used only over TLS.");
        _phase = Phase.Sasl;
        byte[]? initial = _mechanism.GetInitialResponse();
        var auth = new XElement(XName.Get("auth", XmppNamespaces.Sasl), new XAttribute("mechanism", _mechanism.Name), SaslPayload.Encode(initial));
        _ = context.WriteAndFlushAsync(auth);
    }

    private void OnSasl(IChannelHandlerContext context, XElement element)
    {
        SaslMechanism mechanism = _mechanism!;
        switch (element.Name.LocalName)
        {
            case "challenge":
                byte[] response = mechanism.EvaluateChallenge(SaslPayload.Decode(element.Value));
                _ = context.WriteAndFlushAsync(new XElement(XName.Get("response", XmppNamespaces.Sasl), SaslPayload.Encode(response)));
                break;
            case "success":
                mechanism.VerifySuccess(SaslPayload.Decode(element.Value));
                _authenticated = true;
                _mechanism = null;
                ResetDecoder(context);
                SendHeader(context);
                break;
            case "failure":
                string condition = element.Elements().FirstOrDefault(e => e.Name.LocalName != "text")?.Name.LocalName ?? "not-authorized";
                string? text = element.Element(XName.Get("text", XmppNamespaces.Sasl))?.Value;
                throw new XmppAuthenticationException(condition, text is null ? $"Authentication failed: {condition}." : $"Authentication failed: {condition}: {text}");
            default:
                throw new XmppAuthenticationException("malformed-request", $"Unexpected SASL element '{element.Name.LocalName}'.");
        }
    }

    private void OnStartTlsAnswer(IChannelHandlerContext context, XElement answer)
    {
        if (answer.Name.LocalName != "proceed")
        {
            throw new XmppConnectionException("The server refused STARTTLS.");
        }

        ResetDecoder(context);
        var tls = new TlsHandler(
            stream => new SslStream(stream, leaveInnerStreamOpen: true, _settings.CertificateValidation),
            new ClientTlsSettings(_settings.TlsProtocols, false, new List<X509Certificate>(), _settings.TlsHost));
        context.Channel.Pipeline.AddFirst(XmppPipelineNames.Tls, tls);
    }

    private void OnBindingAnswer(IChannelHandlerContext context, XElement iq)
    {
        string? type = (string?)iq.Attribute("type");
        string? id = (string?)iq.Attribute("id");
        if (id != _bindId || type is not ("result" or "error"))
        {
            return;
        }

        if (type == "error")
        {
            string condition = iq.Element(XName.Get("error", XmppNamespaces.Client))?.Elements().FirstOrDefault()?.Name.LocalName ?? "undefined-condition";
            throw _phase == Phase.Binding
                ? new XmppBindException($"The server refused to bind a resource: {condition}.")
                : new XmppBindException($"The server refused to establish the session: {condition}.");
        }

        if (_phase == Phase.Binding)
        {
            string? jid = iq.Element(XName.Get("bind", XmppNamespaces.Bind))?.Element(XName.Get("jid", XmppNamespaces.Bind))?.Value;
            if (!Jid.TryParse(jid, out Jid? bound) || !bound.IsFull || bound.Bare != _settings.Account.Bare)
            {
                throw new XmppBindException($"The server bound an unexpected address '{jid}'.");
            }

            _boundJid = bound;
            if (_sessionRequired)
            {
                _phase = Phase.Session;
                _bindId = "sess";
                _ = context.WriteAndFlushAsync(Iq("set", _bindId, new XElement(XName.Get("session", XmppNamespaces.Session))));
                return;
            }
        }

        _phase = Phase.Online;

        // Before the session goes online: every stanza written after <enable/> is counted by both sides.
        _streamManagement?.Attach(context.Channel);
        if (_streamManagementOffered && _streamManagement is { EnableWanted: true })
        {
            _ = context.WriteAndFlushAsync(_streamManagement.CreateEnable());
        }

        _listener.OnOnline(_boundJid!);
    }

    private void OnResumeAnswer(IChannelHandlerContext context, XElement answer)
    {
        if (answer.Name.LocalName == "failed")
        {
            // What the server says it got is not reported as lost; the rest is (ResumptionFailedEventArgs).
            _streamManagement!.OnResumeFailed(answer);
            string condition = answer.Elements().FirstOrDefault(e => e.Name.LocalName != "text")?.Name.LocalName ?? "undefined-condition";
            throw new XmppResumptionFailedException($"The server refused to resume the session: {condition}.");
        }

        if (answer.Name.LocalName != "resumed")
        {
            return;
        }

        int resent;
        try
        {
            resent = _streamManagement!.OnResumed(answer, context.Channel);
        }
        catch (StreamManagementViolationException e)
        {
            Violation(context, StreamErrorConditions.UndefinedCondition, e.Message);
            return;
        }

        _phase = Phase.Online;
        (_listener as IResumptionListener)?.OnResumed(resent);
    }

    /// <summary>
    /// The server broke a rule that the session cannot recover from (such as XEP-0198's counting): the
    /// stream ends with a stream error carrying <paramref name="text"/>, and the session fails.
    /// </summary>
    internal void Violation(IChannelHandlerContext context, string condition, string text)
    {
        if (_ended)
        {
            return;
        }

        HostLog.EndingStream(_logger, condition, text);
        if (context.Channel.Active)
        {
            _footerSent = true;
            _ = context.WriteAndFlushAsync(new StreamError(condition, text).ToXElement());
            _ = context.WriteAndFlushAsync(StreamFooter.Instance);
        }

        End(context, _phase == Phase.Online ? SessionCloseReason.StreamError : SessionCloseReason.NegotiationFailed, new XmppStreamErrorException(condition, text, sentByPeer: false));
    }

    private void OnFooter(IChannelHandlerContext context)
    {
        if (_phase != Phase.Online)
        {
            Fail(context, new XmppConnectionException("The server closed the stream during negotiation."));
            return;
        }

        SessionCloseReason reason = _footerSent ? SessionCloseReason.ClosedLocally : SessionCloseReason.ClosedByServer;
        End(context, reason, null);
    }

    private void OnStreamError(IChannelHandlerContext context, XElement error)
    {
        StreamError parsed = StreamError.FromXElement(error);
        End(context, SessionCloseReason.StreamError, new XmppStreamErrorException(parsed.Condition, parsed.Text, sentByPeer: true));
    }

    private void Fail(IChannelHandlerContext context, Exception error)
    {
        if (_phase == Phase.Online)
        {
            End(context, SessionCloseReason.StreamError, error);
            return;
        }

        End(context, SessionCloseReason.NegotiationFailed, error);
    }

    // Ends the stream once: the footer if not sent yet, then the connection.
    private void End(IChannelHandlerContext context, SessionCloseReason reason, Exception? error)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        if (!_footerSent && context.Channel.Active)
        {
            _footerSent = true;
            _ = context.WriteAndFlushAsync(StreamFooter.Instance);
        }

        _ = context.CloseAsync();
        if (_phase == Phase.Online)
        {
            _listener.OnStreamEnded(reason, error);
        }
        else
        {
            _listener.OnNegotiationFailed(error ?? new XmppConnectionException("The stream ended during negotiation."));
        }
    }

    private void SendHeader(IChannelHandlerContext context)
    {
        _phase = Phase.AwaitingHeader;
        _ = context.WriteAndFlushAsync(StreamHeader.ForClient(_settings.Account.Domain, _authenticated ? _settings.Account.Bare.ToString() : null));
    }

    private static void SendStreamError(IChannelHandlerContext context, string condition)
    {
        if (context.Channel.Active)
        {
            _ = context.WriteAndFlushAsync(new StreamError(condition).ToXElement());
        }
    }

    private static void ResetDecoder(IChannelHandlerContext context)
    {
        if (context.Channel.Pipeline.Get(XmppPipelineNames.XmlDecoder) is XmlStreamDecoder decoder)
        {
            decoder.Reset();
        }
    }

    private static XElement Iq(string type, string id, XElement payload) =>
        new(XName.Get("iq", XmppNamespaces.Client), new XAttribute("type", type), new XAttribute("id", id), payload);

}
