using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>
/// The contact layer of XTLS for one session: a policy per contact (bare JID), the fan-out of a
/// message to a contact's bare JID into one copy per resource through that resource's tunnel, and
/// the tunnels of a contact. Get it with <see cref="XtlsClientBuilderExtensions.GetXtlsContacts"/>.
/// </summary>
/// <remarks>
/// <para>
/// Policies govern messages and IQ requests to other accounts: JIDs with a localpart whose bare JID
/// is not this session's account. Servers, components and this account's other resources are not
/// affected, nor are disco#info requests (they find out whether a tunnel is possible), IQ responses,
/// presence, and messages of type <c>error</c> or <c>groupchat</c>.
/// </para>
/// <para>
/// A message to a contact's bare JID (policy not <see cref="ContactPolicy.Off"/>) is sent as one copy
/// per available resource that supports XTLS, each addressed to that resource's full JID and sent
/// through its tunnel (opened first where missing); the receiving application sees <c>to</c> = its
/// own full JID. Resources whose support is unknown are asked first (caps, else disco#info). The send
/// completes when every copy was acknowledged, and fails with <see cref="XtlsContactSendException"/>
/// listing the copies delivered and the ones that failed. IQ requests to a bare JID are for the
/// contact's server (RFC 6121 §8.5.3.1) and pass unchanged; so does presence.
/// </para>
/// </remarks>
public sealed class XtlsContacts
{
    private readonly ISession _session;
    private readonly XtlsService _service;
    private readonly ContactPolicies _policies;

    internal XtlsContacts(ISession session, XtlsService service, IContactDirectory directory)
    {
        _session = session;
        _service = service;
        XtlsOptions options = service.Options;
        _policies = new ContactPolicies(options.DefaultContactPolicy, options.MaxContactPolicies);
        FanOut = new ContactFanOut(service, directory, new SemaphoreSlim(options.MaxConcurrentContactOpens), session.TimeProvider);
        if (options.OpenOnPresence)
        {
            PresenceOpener = new PresenceOpener(this, FanOut, directory, service, session.LoggerFactory.CreateLogger<XtlsContacts>());
        }
    }

    /// <summary>The policy of contacts without one of their own (<see cref="XtlsOptions.DefaultContactPolicy"/>).</summary>
    public ContactPolicy DefaultPolicy => _policies.Default;

    internal ContactFanOut FanOut { get; }

    /// <summary>How many messages to one contact may wait to be fanned out (<see cref="XtlsOptions.MaxQueuedStanzasPerTunnel"/>).</summary>
    internal int MaxQueuedFanOuts => _service.Options.MaxQueuedStanzasPerTunnel;

    internal PresenceOpener? PresenceOpener { get; }

    /// <summary>Never send to this contact in the clear: the same as <see cref="SetPolicy"/> with <see cref="ContactPolicy.Required"/>.</summary>
    /// <param name="contact">The contact; any resource is ignored (policies are per bare JID).</param>
    /// <exception cref="ContactPolicyLimitException">Too many contacts have a policy of their own.</exception>
    public void RequireEncryption(Jid contact) => SetPolicy(contact, ContactPolicy.Required);

    /// <summary>Sets a contact's policy.</summary>
    /// <param name="contact">The contact; any resource is ignored (policies are per bare JID).</param>
    /// <param name="policy">The policy.</param>
    /// <exception cref="ArgumentException">The JID is not another account (no localpart, or this session's own).</exception>
    /// <exception cref="ContactPolicyLimitException">Too many contacts have a policy of their own (<see cref="XtlsOptions.MaxContactPolicies"/>).</exception>
    public void SetPolicy(Jid contact, ContactPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(contact);
        if (!ContactScope.IsContact(_session.Jid, contact))
        {
            throw new ArgumentException("Policies apply to other accounts (user@domain), not to servers, components or this account.", nameof(contact));
        }

        _policies.Set(contact, policy);
    }

    /// <summary>Removes a contact's own policy: <see cref="DefaultPolicy"/> applies again.</summary>
    /// <returns>Whether the contact had a policy of its own.</returns>
    public bool ClearPolicy(Jid contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return _policies.Remove(contact);
    }

    /// <summary>
    /// The policy that applies to stanzas to this JID: the contact's own, else the default;
    /// <see cref="ContactPolicy.Off"/> for servers, components and this account's own resources.
    /// </summary>
    public ContactPolicy GetPolicy(Jid jid)
    {
        ArgumentNullException.ThrowIfNull(jid);
        return PolicyFor(jid);
    }

    /// <summary>The tunnels open now to resources of a contact: per resource its full JID (<see cref="XtlsTunnel.Peer"/>), method, peer fingerprint and opening time.</summary>
    public IReadOnlyList<XtlsTunnel> GetTunnels(Jid contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        Jid bare = contact.Bare;
        return [.. _service.OpenTunnels.Where(t => t.Peer.Bare == bare).OrderBy(t => t.Peer)];
    }

    /// <summary>
    /// Opens a tunnel to every available resource of a contact that supports XTLS (asking those not
    /// known), a bounded number at a time and at most <see cref="Tunnels.TunnelManagerOptions.MaxTunnelsPerBareJid"/>.
    /// </summary>
    /// <returns>The contact's tunnels open afterwards.</returns>
    /// <exception cref="XtlsContactSendException">No tunnel is open afterwards; the failures say why for each resource.</exception>
    public async Task<IReadOnlyList<XtlsTunnel>> OpenTunnelsAsync(Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        IReadOnlyList<ContactResource> resources = await FanOut.DescribeAsync(contact, cancellationToken).ConfigureAwait(false);
        FanOutPlan plan = FanOutPlanner.Plan(contact, ContactPolicy.Required, resources, _service.Options.Tunnels.MaxTunnelsPerBareJid);
        var outcome = new ContactSendOutcome(contact, plan.Failures);
        await Task.WhenAll(plan.ThroughTunnel.Select(async resource =>
        {
            try
            {
                await FanOut.OpenAsync(resource, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
            {
                outcome.Failed(ContactSendOutcome.TunnelFailure(resource, e));
            }
        })).ConfigureAwait(false);

        IReadOnlyList<XtlsTunnel> open = GetTunnels(contact);
        return open.Count == 0 && outcome.ToException() is { } error ? throw error : open;
    }

    /// <summary>
    /// Waits until a tunnel to any resource of a contact is open, starting the opens that are missing
    /// (as <see cref="OpenTunnelsAsync"/>, in the background).
    /// </summary>
    /// <returns>The first tunnel (an open one at once, if there is one).</returns>
    /// <exception cref="TimeoutException">No tunnel opened within <paramref name="timeout"/> (measured on the session's clock).</exception>
    public async Task<XtlsTunnel> WaitForTunnelAsync(Jid contact, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        Jid bare = contact.Bare;
        var first = new TaskCompletionSource<XtlsTunnel>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnOpened(object? sender, XtlsTunnelOpenedEventArgs e)
        {
            if (e.Tunnel.Peer.Bare == bare)
            {
                first.TrySetResult(e.Tunnel);
            }
        }

        _service.TunnelOpened += OnOpened;
        try
        {
            if (GetTunnels(bare) is [var open, ..])
            {
                return open;
            }

            _ = OpenTunnelsAsync(bare, cancellationToken).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            return await first.Task.WaitAsync(timeout, _session.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _service.TunnelOpened -= OnOpened;
        }
    }

    /// <summary>
    /// Sends a copy of a stanza through every tunnel open now to a contact (nothing is opened, nothing
    /// goes in the clear); each copy is addressed to the resource's full JID.
    /// </summary>
    /// <returns>The copies delivered, once each was acknowledged.</returns>
    /// <exception cref="XtlsContactSendException">No tunnel is open (<see cref="ContactSendFailureReason.NoTunnelOpen"/>), or a copy failed.</exception>
    public async Task<IReadOnlyList<ContactDelivery>> SendToTunnelsAsync(Jid contact, XElement stanza)
    {
        ArgumentNullException.ThrowIfNull(contact);
        ArgumentNullException.ThrowIfNull(stanza);
        IReadOnlyList<XtlsTunnel> tunnels = GetTunnels(contact);
        if (tunnels.Count == 0)
        {
            throw new XtlsContactSendException(contact.Bare, [], [new ContactCopyFailure(contact.Bare, ContactSendFailureReason.NoTunnelOpen, "no tunnel to the contact is open")]);
        }

        var outcome = new ContactSendOutcome(contact, []);
        await Task.WhenAll(tunnels.Select(async tunnel =>
        {
            var copy = new XElement(stanza);
            copy.SetAttributeValue("to", tunnel.Peer.ToString());
            copy.OnlyThroughTunnel();
            try
            {
                await _session.SendAsync(copy).ConfigureAwait(false);
                outcome.Delivered(tunnel.Peer, throughTunnel: true);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                outcome.Failed(ContactSendOutcome.TunnelFailure(tunnel.Peer, e));
            }
        })).ConfigureAwait(false);

        return outcome.ToException() is { } error ? throw error : outcome.DeliveredCopies;
    }

    /// <summary>The policy for a recipient; <see cref="ContactPolicy.Off"/> outside the contacts' scope.</summary>
    internal ContactPolicy PolicyFor(Jid recipient) =>
        ContactScope.IsContact(_session.Jid, recipient) ? _policies.Get(recipient) : ContactPolicy.Off;
}
