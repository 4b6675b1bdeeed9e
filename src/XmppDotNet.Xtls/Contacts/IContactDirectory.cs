using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>
/// What the contact layer needs to know about contacts: their available resources and their XTLS
/// support. The session's presence book and entity capabilities answer it; tests give their own.
/// </summary>
internal interface IContactDirectory
{
    /// <summary>A resource became available (<c>true</c>: new) or changed its presence; raised on the event loop.</summary>
    event Action<Jid, bool>? ResourceAvailable;

    /// <summary>A resource became unavailable; raised on the event loop.</summary>
    event Action<Jid>? ResourceUnavailable;

    /// <summary>A resource's features became known (<c>true</c>: it supports XTLS); raised on the event loop.</summary>
    event Action<Jid, bool>? SupportKnown;

    /// <summary>The available resources of a contact, highest priority first.</summary>
    IReadOnlyList<Jid> GetResources(Jid contact);

    /// <summary>What is known now about a resource's XTLS support, without asking.</summary>
    ResourceSupport KnownSupport(Jid resource);

    /// <summary>Asks a resource (caps cache, else disco#info); throws as the question failed.</summary>
    Task<bool> AskSupportAsync(Jid resource, CancellationToken cancellationToken);
}
