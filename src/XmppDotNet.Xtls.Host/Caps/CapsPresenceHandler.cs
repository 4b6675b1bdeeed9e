using System.Xml.Linq;
using DotNetty.Transport.Channels;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Caps;

/// <summary>
/// Adds our entity capabilities (XEP-0115) to every outbound available presence, broadcast or
/// directed, that carries none, with the ver of the session's features at the time it is sent.
/// </summary>
internal sealed class CapsPresenceHandler : ChannelHandlerAdapter
{
    private static readonly XName CapsName = XName.Get("c", XmppNamespaces.Caps);

    private readonly FeatureSet _features;

    public CapsPresenceHandler(FeatureSet features) => _features = features;

    /// <inheritdoc />
    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        if (message is XElement presence && Stanza.IsPresence(presence) && presence.Attribute("type") is null && presence.Element(CapsName) is null)
        {
            // A copy: the caller's element stays as the caller built it.
            var announced = new XElement(presence);
            announced.Add(new XElement(
                CapsName,
                new XAttribute("hash", CapsVerification.Sha1),
                new XAttribute("node", OwnCapabilities.Node),
                new XAttribute("ver", OwnCapabilities.Ver(_features))));
            message = announced;
        }

        return context.WriteAsync(message);
    }
}
