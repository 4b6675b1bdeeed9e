using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Services;

/// <summary>Answers disco#info requests (XEP-0030) with the session's identity and <see cref="ISession.Features"/>.</summary>
public static class DiscoInfoResponder
{
    /// <summary>Registers the responder on a session.</summary>
    public static IDisposable Register(ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.AddStanzaHandler(
            static stanza => Stanza.IsIqRequest(stanza) && Stanza.GetType(stanza) == "get" && stanza.Element(XName.Get("query", XmppNamespaces.DiscoInfo)) is { } query && query.Attribute("node") is null,
            stanza => Answer(session, stanza));
    }

    private static async ValueTask<bool> Answer(ISession session, XElement request)
    {
        var query = new XElement(
            XName.Get("query", XmppNamespaces.DiscoInfo),
            new XElement(XName.Get("identity", XmppNamespaces.DiscoInfo), new XAttribute("category", "client"), new XAttribute("type", "pc"), new XAttribute("name", "XmppDotNet.Xtls")),
            session.Features.ToList().Select(f => new XElement(XName.Get("feature", XmppNamespaces.DiscoInfo), new XAttribute("var", f))));
        await session.SendAsync(Stanza.ResultFor(request, query)).ConfigureAwait(false);
        return true;
    }
}
