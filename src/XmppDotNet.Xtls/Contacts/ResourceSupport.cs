namespace XmppDotNet.Xtls.Contacts;

/// <summary>What is known about a resource's XTLS support.</summary>
internal enum ResourceSupport
{
    /// <summary>Not known (no caps, no disco#info answer yet, or no answer at all).</summary>
    Unknown,

    /// <summary>Its caps or disco#info list <c>urn:xmpp:tmp:xtls</c>.</summary>
    Supported,

    /// <summary>Its verified caps or disco#info lack <c>urn:xmpp:tmp:xtls</c>.</summary>
    NotSupported,
}
