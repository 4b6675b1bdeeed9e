using System.Xml.Linq;
using DotNetty.Transport.Channels;
using XmppDotNet.Xtls.Host.Pipeline;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.StreamManagement;

/// <summary>
/// The last handler of a connection's pipeline: answers and counts for XEP-0198, and hands stanzas on to
/// the session's own pipeline, which outlives the connection when it is resumed.
/// </summary>
internal sealed class StreamManagementHandler : ChannelHandlerAdapter
{
    private readonly StreamManager? _manager;
    private readonly IChannel _session;

    public StreamManagementHandler(StreamManager? manager, IChannel session)
    {
        _manager = manager;
        _session = session;
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is XElement element && element.Name.Namespace == XmppNamespaces.StreamManagement)
        {
            OnStreamManagement(context, element);
            return;
        }

        if ((message is XElement stanza && StreamManager.IsStanza(stanza)) || (message is PayloadStanza payload && StreamManager.IsStanza(payload.Stanza)))
        {
            _manager?.OnStanzaHandled();
        }

        _session.Pipeline.FireChannelRead(message);
    }

    public override void ChannelReadComplete(IChannelHandlerContext context) => _session.Pipeline.FireChannelReadComplete();

    private void OnStreamManagement(IChannelHandlerContext context, XElement element)
    {
        if (_manager is null)
        {
            return;
        }

        try
        {
            switch (element.Name.LocalName)
            {
                case "r" when _manager.Enabled:
                    _ = context.WriteAndFlushAsync(_manager.CreateAnswer());
                    break;
                case "a" when _manager.Enabled:
                    _manager.OnAck(element);
                    break;
                // A second enabled cannot change the resumption id the session holds.
                case "enabled" when _manager.Enabled && !_manager.EnabledAnswered:
                    _manager.OnEnabled(element);
                    break;
                case "failed" when _manager.Enabled:
                    _manager.OnEnableFailed();
                    break;
            }
        }
        catch (StreamManagementViolationException e)
        {
            // XEP-0198 §4: an h beyond what was sent ends the stream with undefined-condition.
            if (context.Channel.Pipeline.Get(XmppPipelineNames.Negotiation) is StreamNegotiationHandler negotiation)
            {
                negotiation.Violation(context.Channel.Pipeline.Context(XmppPipelineNames.Negotiation), StreamErrorConditions.UndefinedCondition, e.Message);
            }
        }
    }
}
