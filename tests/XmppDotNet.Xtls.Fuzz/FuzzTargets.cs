using System.Diagnostics.CodeAnalysis;

namespace XmppDotNet.Xtls.Fuzz;

/// <summary>The fuzz targets by name. Each takes one input; an exception escaping it is a finding.</summary>
internal static class FuzzTargets
{
    private static readonly Dictionary<string, Action<byte[]>> Targets = new(StringComparer.Ordinal)
    {
        ["xml-stream"] = input => XmlStreamTarget.Run(FuzzInput.Bound(input), expectStreamHeader: true),
        ["xml-fragment"] = input => XmlStreamTarget.Run(FuzzInput.Bound(input), expectStreamHeader: false),
        ["tunnel-iq"] = input => TunnelIqTarget.Run(FuzzInput.Bound(input)),
        ["inner-stanza"] = input => InnerStanzaTarget.Run(FuzzInput.Bound(input)),
        ["xml-element"] = input => XmlElementTarget.Run(FuzzInput.Bound(input)),
    };

    public static IEnumerable<string> Names => Targets.Keys;

    public static bool TryGet(string name, [NotNullWhen(true)] out Action<byte[]>? target) => Targets.TryGetValue(name, out target);
}
