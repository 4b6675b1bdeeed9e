using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Services;

/// <summary>Asks other entities what they support (XEP-0030 disco#info).</summary>
public static class DiscoInfoClient
{
    /// <summary>Queries an entity's disco#info features.</summary>
    /// <returns>The feature names the entity announced.</returns>
    /// <exception cref="XmppStanzaException">The entity (or its server) answered with an error, e.g. <c>service-unavailable</c> when it is offline.</exception>
    public static async Task<IReadOnlySet<string>> QueryFeaturesAsync(this ISession session, Jid entity, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(entity);
        XElement request = Stanza.Iq("get", session.NextId(), entity, new XElement(XName.Get("query", XmppNamespaces.DiscoInfo)));
        XElement result = await session.SendIqAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        return result.Element(XName.Get("query", XmppNamespaces.DiscoInfo))?
            .Elements(XName.Get("feature", XmppNamespaces.DiscoInfo))
            .Select(f => (string?)f.Attribute("var"))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal) ?? [];
    }
}
