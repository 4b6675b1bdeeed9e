using System.Collections.Frozen;
using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Services;

/// <summary>
/// A disco#info answer (XEP-0030): identities, features and extended information forms (XEP-0128),
/// in the order and multiplicity the entity sent them.
/// </summary>
/// <param name="Node">The node the answer is about, or <c>null</c>.</param>
/// <param name="Identities">The identities.</param>
/// <param name="Features">The feature names as sent (duplicates kept, so that a caps check can refuse them).</param>
/// <param name="Forms">The <c>jabber:x:data</c> forms.</param>
public sealed record DiscoInfo(string? Node, IReadOnlyList<DiscoIdentity> Identities, IReadOnlyList<string> Features, IReadOnlyList<XElement> Forms)
{
    private static readonly XName IdentityName = XName.Get("identity", XmppNamespaces.DiscoInfo);
    private static readonly XName FeatureName = XName.Get("feature", XmppNamespaces.DiscoInfo);
    private static readonly XName FormName = XName.Get("x", XmppNamespaces.DataForms);

    /// <summary>The features as an immutable set (safe to share between callers and caches).</summary>
    public IReadOnlySet<string> FeatureSet => Features.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Reads a disco#info <c>&lt;query/&gt;</c> element; identities without category or type and features without <c>var</c> are skipped.</summary>
    public static DiscoInfo FromQuery(XElement query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new DiscoInfo(
            (string?)query.Attribute("node"),
            [.. query.Elements(IdentityName)
                .Where(i => i.Attribute("category") is not null && i.Attribute("type") is not null)
                .Select(i => new DiscoIdentity((string)i.Attribute("category")!, (string)i.Attribute("type")!, (string?)i.Attribute("name"), (string?)i.Attribute(XNamespace.Xml + "lang")))],
            [.. query.Elements(FeatureName).Select(f => (string?)f.Attribute("var")).OfType<string>()],
            [.. query.Elements(FormName)]);
    }
}
