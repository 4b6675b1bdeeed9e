using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>
/// Decides, without I/O, how a stanza to a contact's bare JID is delivered, given the contact's
/// available resources (highest priority first) and what is known about their XTLS support.
/// </summary>
internal static class FanOutPlanner
{
    /// <param name="contact">The contact's bare JID.</param>
    /// <param name="policy">The contact's policy.</param>
    /// <param name="resources">The available resources, highest priority first.</param>
    /// <param name="maxTunnels">How many resources of one contact may have a tunnel.</param>
    public static FanOutPlan Plan(Jid contact, ContactPolicy policy, IReadOnlyList<ContactResource> resources, int maxTunnels)
    {
        if (policy == ContactPolicy.Off)
        {
            return new FanOutPlan([], [], [], toBareInClear: true);
        }

        if (resources.Count == 0)
        {
            // Nobody to encrypt for: opportunistically the server may store the message offline.
            return policy == ContactPolicy.Required
                ? new FanOutPlan([], [], [new ContactCopyFailure(contact.Bare, ContactSendFailureReason.NoResourceOnline, "no resource of the contact is online, and its policy requires encryption")], toBareInClear: false)
                : new FanOutPlan([], [], [], toBareInClear: true);
        }

        var tunnels = new List<Jid>();
        var clear = new List<Jid>();
        var failures = new List<ContactCopyFailure>();

        // Resources with a tunnel keep it first; the others share what is left of the per-contact bound.
        IEnumerable<ContactResource> capable = resources
            .Where(r => r.HasTunnel || r.Support == ResourceSupport.Supported)
            .OrderByDescending(r => r.HasTunnel);
        foreach (ContactResource resource in capable)
        {
            if (tunnels.Count < maxTunnels)
            {
                tunnels.Add(resource.Jid);
            }
            else
            {
                failures.Add(new ContactCopyFailure(resource.Jid, ContactSendFailureReason.LimitExceeded, $"the contact already has {maxTunnels} resources with tunnels, the most allowed"));
            }
        }

        foreach (ContactResource resource in resources.Where(r => !r.HasTunnel && r.Support != ResourceSupport.Supported))
        {
            if (resource.Support == ResourceSupport.Unknown)
            {
                failures.Add(new ContactCopyFailure(resource.Jid, ContactSendFailureReason.SupportUnknown, resource.Detail ?? "whether the resource supports XTLS is not known"));
            }
            else if (policy == ContactPolicy.Opportunistic)
            {
                clear.Add(resource.Jid);
            }
            else
            {
                failures.Add(new ContactCopyFailure(resource.Jid, ContactSendFailureReason.NotSupported, "the resource does not announce XTLS, and the contact's policy requires encryption"));
            }
        }

        return new FanOutPlan(tunnels, clear, failures, toBareInClear: false);
    }
}
