using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Services;

/// <summary>
/// Answers disco#info requests (XEP-0030) with the session's identity and <see cref="ISession.Features"/>,
/// both without a node and for the <c>node#ver</c> of our current entity capabilities (XEP-0115 §6.2);
/// any other node is <c>item-not-found</c>.
/// </summary>
public static class DiscoInfoResponder
{
    /// <summary>Registers the responder on a session.</summary>
    public static IDisposable Register(ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.AddStanzaHandler(
            static stanza => Stanza.IsIqRequest(stanza) && Stanza.GetType(stanza) == "get" && stanza.Element(XName.Get("query", XmppNamespaces.DiscoInfo)) is not null,
            stanza => Answer(session, stanza));
    }

    private static async ValueTask<bool> Answer(ISession session, XElement request)
    {
        string? node = (string?)request.Element(XName.Get("query", XmppNamespaces.DiscoInfo))!.Attribute("node");
        DiscoInfo info = OwnCapabilities.Info(session.Features);
        if (node is not null && node != OwnCapabilities.Node + "#" + CapsVerification.Compute(info))
        {
            await session.SendAsync(Stanza.ErrorFor(request, StanzaError.Of(StanzaErrorConditions.ItemNotFound))).ConfigureAwait(false);
            return true;
        }

        var query = new XElement(
            XName.Get("query", XmppNamespaces.DiscoInfo),
            node is null ? null : new XAttribute("node", node),
            info.Identities.Select(i => new XElement(
                XName.Get("identity", XmppNamespaces.DiscoInfo),
                new XAttribute("category", i.Category),
                new XAttribute("type", i.Type),
                i.Name is null ? null : new XAttribute("name", i.Name))),
            info.Features.Select(f => new XElement(XName.Get("feature", XmppNamespaces.DiscoInfo), new XAttribute("var", f))));
        await session.SendAsync(Stanza.ResultFor(request, query)).ConfigureAwait(false);
        return true;
    }
}
