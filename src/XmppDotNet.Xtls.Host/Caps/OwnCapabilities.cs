using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Host.Caps;

/// <summary>What this client announces about itself: its disco#info identity and its caps node and ver.</summary>
internal static class OwnCapabilities
{
    /// <summary>The caps node: the software's home.</summary>
    public const string Node = "https://github.com/XmppDotNet/XmppDotNet.Xtls";

    /// <summary>The one identity the client answers disco#info with.</summary>
    public static readonly DiscoIdentity Identity = new("client", "pc", "XmppDotNet.Xtls");

    /// <summary>The disco#info answer for the session's current features.</summary>
    public static DiscoInfo Info(FeatureSet features) => new(null, [Identity], features.ToList(), []);

    /// <summary>The verification string of the session's current features.</summary>
    public static string Ver(FeatureSet features) => CapsVerification.Compute(Info(features));
}
