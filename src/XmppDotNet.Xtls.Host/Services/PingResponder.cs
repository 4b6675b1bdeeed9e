using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Services;

/// <summary>Answers XMPP Ping requests (XEP-0199), which servers use to check that a client is alive.</summary>
public static class PingResponder
{
    /// <summary>Registers the responder on a session.</summary>
    public static IDisposable Register(ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.AddStanzaHandler(
            static stanza => Stanza.IsIqRequest(stanza) && Stanza.GetType(stanza) == "get" && stanza.Element(XName.Get("ping", XmppNamespaces.Ping)) is not null,
            async stanza =>
            {
                await session.SendAsync(Stanza.ResultFor(stanza)).ConfigureAwait(false);
                return true;
            });
    }
}
