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
        DiscoInfo info = await session.QueryInfoAsync(entity, node: null, timeout, cancellationToken).ConfigureAwait(false);
        return info.FeatureSet;
    }

    /// <summary>Queries an entity's disco#info: identities, features and extended information forms.</summary>
    /// <param name="session">The session to ask through.</param>
    /// <param name="entity">Whom to ask.</param>
    /// <param name="node">The node to ask about (e.g. <c>node#ver</c> of an entity capabilities announcement), or <c>null</c>.</param>
    /// <param name="timeout">How long to wait; default: the session's IQ timeout.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The answer; empty if the result carried no query.</returns>
    /// <exception cref="XmppStanzaException">The entity (or its server) answered with an error.</exception>
    public static async Task<DiscoInfo> QueryInfoAsync(this ISession session, Jid entity, string? node = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(entity);
        var query = new XElement(XName.Get("query", XmppNamespaces.DiscoInfo));
        if (node is not null)
        {
            query.SetAttributeValue("node", node);
        }

        XElement request = Stanza.Iq("get", session.NextId(), entity, query);
        XElement result = await session.SendIqAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        return result.Element(XName.Get("query", XmppNamespaces.DiscoInfo)) is { } answer
            ? DiscoInfo.FromQuery(answer)
            : new DiscoInfo(null, [], [], []);
    }
}
