namespace XmppDotNet.Xtls.Host.Caps;

/// <summary>The features of an available resource became known.</summary>
public sealed class FeaturesKnownEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public FeaturesKnownEventArgs(Jid fullJid, IReadOnlySet<string> features, bool fromCaps)
    {
        FullJid = fullJid ?? throw new ArgumentNullException(nameof(fullJid));
        Features = features ?? throw new ArgumentNullException(nameof(features));
        FromCaps = fromCaps;
    }

    /// <summary>The resource.</summary>
    public Jid FullJid { get; }

    /// <summary>Its disco#info features.</summary>
    public IReadOnlySet<string> Features { get; }

    /// <summary><c>true</c> if they come from a verified caps announcement (the ver cache), <c>false</c> if from a disco#info query of the resource itself.</summary>
    public bool FromCaps { get; }
}
