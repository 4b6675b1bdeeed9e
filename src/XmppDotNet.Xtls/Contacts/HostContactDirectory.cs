using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>The contact directory of a host session: its presence book, and disco#info for support.</summary>
internal sealed class HostContactDirectory : IContactDirectory
{
    private readonly PresenceBook _presence;
    private readonly Func<Jid, CancellationToken, Task<bool>> _ask;

    public HostContactDirectory(ISession session, Func<Jid, CancellationToken, Task<bool>> ask)
    {
        _presence = session.GetPresenceBook();
        _ask = ask;
        _presence.ResourceAvailable += (_, e) => ResourceAvailable?.Invoke(e.Presence.Jid, e.IsNew);
        _presence.ResourceUnavailable += (_, e) => ResourceUnavailable?.Invoke(e.Jid);
    }

    public event Action<Jid, bool>? ResourceAvailable;

    public event Action<Jid>? ResourceUnavailable;

    public event Action<Jid, bool>? SupportKnown;

    public IReadOnlyList<Jid> GetResources(Jid contact) => [.. _presence.GetResources(contact).Select(r => r.Jid)];

    public ResourceSupport KnownSupport(Jid resource) => ResourceSupport.Unknown;

    public async Task<bool> AskSupportAsync(Jid resource, CancellationToken cancellationToken)
    {
        bool supported = await _ask(resource, cancellationToken).ConfigureAwait(false);
        SupportKnown?.Invoke(resource, supported);
        return supported;
    }
}
