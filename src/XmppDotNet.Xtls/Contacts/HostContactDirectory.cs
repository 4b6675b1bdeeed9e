using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>
/// The contact directory of a host session: its presence book for the resources, its entity
/// capabilities (verified caps, else disco#info of the resource) for their XTLS support.
/// </summary>
internal sealed class HostContactDirectory : IContactDirectory
{
    private readonly PresenceBook _presence;
    private readonly EntityCapabilities _caps;

    public HostContactDirectory(ISession session)
    {
        _presence = session.GetPresenceBook();
        _caps = session.GetEntityCapabilities();
        _presence.ResourceAvailable += (_, e) => ResourceAvailable?.Invoke(e.Presence.Jid, e.IsNew);
        _presence.ResourceUnavailable += (_, e) => ResourceUnavailable?.Invoke(e.Jid);
        _caps.FeaturesKnown += (_, e) => SupportKnown?.Invoke(e.FullJid, e.Features.Contains(XtlsNamespaces.Xtls));
    }

    public event Action<Jid, bool>? ResourceAvailable;

    public event Action<Jid>? ResourceUnavailable;

    public event Action<Jid, bool>? SupportKnown;

    public IReadOnlyList<Jid> GetResources(Jid contact) => [.. _presence.GetResources(contact).Select(r => r.Jid)];

    public ResourceSupport KnownSupport(Jid resource) => !_caps.TryGetKnownFeatures(resource, out IReadOnlySet<string>? features)
        ? ResourceSupport.Unknown
        : features.Contains(XtlsNamespaces.Xtls) ? ResourceSupport.Supported : ResourceSupport.NotSupported;

    public async Task<bool> AskSupportAsync(Jid resource, CancellationToken cancellationToken)
    {
        IReadOnlySet<string> features = await _caps.GetFeaturesAsync(resource, cancellationToken).ConfigureAwait(false);
        return features.Contains(XtlsNamespaces.Xtls);
    }
}
