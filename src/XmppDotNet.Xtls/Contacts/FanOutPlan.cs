using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>What to do with a stanza to a contact's bare JID: one entry per resource, or the bare JID in the clear.</summary>
internal sealed class FanOutPlan
{
    public FanOutPlan(IReadOnlyList<Jid> throughTunnel, IReadOnlyList<Jid> inClear, IReadOnlyList<ContactCopyFailure> failures, bool toBareInClear)
    {
        ThroughTunnel = throughTunnel;
        InClear = inClear;
        Failures = failures;
        ToBareInClear = toBareInClear;
    }

    /// <summary>The resources that get a copy through their tunnel (opened first where missing).</summary>
    public IReadOnlyList<Jid> ThroughTunnel { get; }

    /// <summary>The resources known not to support XTLS that get a copy in the clear.</summary>
    public IReadOnlyList<Jid> InClear { get; }

    /// <summary>The resources that get no copy, and why.</summary>
    public IReadOnlyList<ContactCopyFailure> Failures { get; }

    /// <summary>The stanza goes unchanged to the bare JID, in the clear (no resource online, policy opportunistic).</summary>
    public bool ToBareInClear { get; }

    /// <summary>Whether at least one copy is sent.</summary>
    public bool SendsAnything => ToBareInClear || ThroughTunnel.Count > 0 || InClear.Count > 0;
}
