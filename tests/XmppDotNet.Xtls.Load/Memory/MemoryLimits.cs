using System.Globalization;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>
/// The library limits this run raises above their defaults, each with the reason the default would
/// refuse the run. Everything else stays at its default.
/// </summary>
internal sealed class MemoryLimits
{
    private static readonly TunnelManagerOptions Defaults = new();

    private readonly int _tunnels;
    private readonly TimeSpan _timeout;

    public MemoryLimits(int tunnels, TimeSpan timeout)
    {
        _tunnels = tunnels;
        _timeout = timeout;
    }

    /// <summary>What was raised: setting, default, value, why (settings this run's size leaves at their default are left out).</summary>
    public IReadOnlyList<RaisedLimit> Raised => [.. Candidates.Where(l => l.Default != l.Value)];

    private IEnumerable<RaisedLimit> Candidates =>
    [
        new("hub: Tunnels.MaxTunnels", Count(Defaults.MaxTunnels), Count(HubMaxTunnels), "the hub holds every tunnel of the run in one session"),
        new("hub: Tunnels.MaxTunnelsPerBareJid", Count(Defaults.MaxTunnelsPerBareJid), Count(MemoryFleet.ResourcesPerAccount), $"each peer account has {MemoryFleet.ResourcesPerAccount} resources, each with its own tunnel to the hub"),
        new("hub: Tunnels.StartTimeout", Seconds(Defaults.StartTimeout), Seconds(_timeout), "every start is sent at once; the answers queue behind all the handshakes on the shared event loops"),
        new("hub and peers: Tunnels.HandshakeTimeout", Seconds(Defaults.HandshakeTimeout), Seconds(_timeout), "all handshakes run at once; the hub's share runs on its one event loop, so the last one ends about (tunnels x handshake CPU) after it began"),
        new("hub and peers: Tunnels.ProgressTimeout", Seconds(Defaults.ProgressTimeout), Seconds(_timeout), "every stream has its window of stanzas on the way at once (2 x tunnels x window in all), and they queue in front of the hub's one event loop: an acknowledgement can take longer than 60 s on a busy machine"),
        new("peers: Tunnels.IncomingDecisionTimeout", Seconds(Defaults.IncomingDecisionTimeout), Seconds(_timeout), "a peer's decision is posted back to an event loop busy with the other handshakes"),
    ];

    private int HubMaxTunnels => Math.Max(Defaults.MaxTunnels, _tunnels);

    public void ConfigureHub(XtlsOptions options)
    {
        options.Tunnels.MaxTunnels = HubMaxTunnels;
        options.Tunnels.MaxTunnelsPerBareJid = MemoryFleet.ResourcesPerAccount;
        options.Tunnels.StartTimeout = _timeout;
        options.Tunnels.HandshakeTimeout = _timeout;
        options.Tunnels.ProgressTimeout = _timeout;
    }

    public void ConfigurePeer(XtlsOptions options)
    {
        options.Tunnels.HandshakeTimeout = _timeout;
        options.Tunnels.ProgressTimeout = _timeout;
        options.Tunnels.IncomingDecisionTimeout = _timeout;
    }

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";
}

/// <summary>One raised library limit.</summary>
internal sealed record RaisedLimit(string Setting, string Default, string Value, string Why);
