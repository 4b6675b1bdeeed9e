using System.Collections.Concurrent;
using System.Xml.Linq;
using DotNetty.Transport.Channels;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.IntegrationTests.Host;

/// <summary>Records the disco#info requests a client receives and passes everything on unchanged.</summary>
internal sealed class DiscoQuerySpy : ChannelHandlerAdapter
{
    private readonly ConcurrentQueue<(Jid? From, string? Node)> _queries;

    public DiscoQuerySpy(ConcurrentQueue<(Jid? From, string? Node)> queries) => _queries = queries;

    public override bool IsSharable => true;

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is XElement stanza && Stanza.IsIqRequest(stanza) && stanza.Element(XName.Get("query", XmppNamespaces.DiscoInfo)) is { } query)
        {
            _queries.Enqueue((Stanza.GetFrom(stanza), (string?)query.Attribute("node")));
        }

        context.FireChannelRead(message);
    }
}
