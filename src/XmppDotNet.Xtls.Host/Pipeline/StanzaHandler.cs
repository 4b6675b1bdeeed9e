using System.Xml.Linq;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Host.Diagnostics;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Pipeline;

/// <summary>
/// The tail of the client pipeline: completes IQ requests, runs the registered stanza handlers in
/// order, hands what is left to the application, and answers IQ requests nobody handled with
/// <c>service-unavailable</c> as RFC 6120 §8.4 requires.
/// </summary>
public sealed class StanzaHandler : ChannelHandlerAdapter
{
    private readonly IStanzaSink _sink;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="sink">The session that owns the IQ tracker, the handlers and the application events.</param>
    /// <param name="logger">Where to log.</param>
    public StanzaHandler(IStanzaSink sink, ILogger logger)
    {
        _sink = sink;
        _logger = logger;
    }

    /// <inheritdoc />
    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is PayloadStanza payload)
        {
            // No plugin took the bytes: from here on it is an ordinary stanza.
            try
            {
                message = payload.ToXElement();
            }
            finally
            {
                payload.Release();
            }
        }

        if (message is not XElement stanza || stanza.Name.Namespace != XmppNamespaces.Client)
        {
            // Anything else (stream-level events a plugin did not consume) ends here.
            return;
        }

        if (Stanza.IsIqResponse(stanza) && _sink.Iqs.TryComplete(stanza, _sink.Jid))
        {
            return;
        }

        ValueTask<bool> handled = _sink.DispatchAsync(stanza);
        if (handled.IsCompletedSuccessfully)
        {
            Finish(context, stanza, handled.Result);
        }
        else
        {
            _ = FinishLaterAsync(context, stanza, handled);
        }
    }

    private async Task FinishLaterAsync(IChannelHandlerContext context, XElement stanza, ValueTask<bool> pending)
    {
        bool handled;
        try
        {
            handled = await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            HostLog.HandlerFailed(_logger, e);
            handled = false;
        }

        Finish(context, stanza, handled);
    }

    private void Finish(IChannelHandlerContext context, XElement stanza, bool handled)
    {
        if (handled)
        {
            return;
        }

        if (Stanza.IsIqRequest(stanza))
        {
            var error = new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.ServiceUnavailable);
            _ = context.Channel.WriteAndFlushAsync(Stanza.ErrorFor(stanza, error));
            return;
        }

        _sink.Deliver(stanza);
    }
}
