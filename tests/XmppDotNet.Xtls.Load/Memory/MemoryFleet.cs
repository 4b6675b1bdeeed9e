using System.Globalization;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>
/// The run's clients on one in-memory router: a hub that opens every tunnel, and one peer client per
/// tunnel, grouped as resources of accounts (<see cref="ResourcesPerAccount"/> each), all sharing one
/// certificate (the hub trusts each peer account on first use, so resources of one account must agree).
/// </summary>
internal sealed class MemoryFleet : IAsyncDisposable
{
    public const int ResourcesPerAccount = 100;
    public const string Password = "load-password";

    // Logging in is not what is measured: a bounded number of logins at a time.
    private const int ConnectConcurrency = 64;

    private MemoryFleet(InMemoryRouter router, XmppClient hub, XmppClient[] peers)
    {
        Router = router;
        Hub = hub;
        Peers = peers;
    }

    public InMemoryRouter Router { get; }

    public XmppClient Hub { get; }

    public IReadOnlyList<XmppClient> Peers { get; }

    /// <summary>Starts the router and brings the hub and <paramref name="tunnels"/> peers online.</summary>
    public static async Task<MemoryFleet> StartAsync(int tunnels, MemoryLimits limits, CancellationToken cancellationToken)
    {
        var router = new InMemoryRouter("memory.load");
        try
        {
            router.AddAccount("hub", Password);
            int accounts = (tunnels + ResourcesPerAccount - 1) / ResourcesPerAccount;
            for (int a = 0; a < accounts; a++)
            {
                router.AddAccount(PeerAccount(a), Password);
            }

            await router.StartAsync();
            XmppClient hub = Build(router, "hub", "hub", limits.ConfigureHub);
            XtlsIdentity shared = XtlsIdentity.Generate(XtlsKeyType.EcdsaP256);
            var peers = new XmppClient[tunnels];
            for (int i = 0; i < tunnels; i++)
            {
                string resource = "r" + (i % ResourcesPerAccount).ToString(CultureInfo.InvariantCulture);
                peers[i] = Build(router, PeerAccount(i / ResourcesPerAccount), resource, o =>
                {
                    limits.ConfigurePeer(o);
                    o.Identity = shared;
                });
            }

            var fleet = new MemoryFleet(router, hub, peers);
            await hub.ConnectAsync(cancellationToken);
            await Parallel.ForEachAsync(
                peers,
                new ParallelOptions { MaxDegreeOfParallelism = ConnectConcurrency, CancellationToken = cancellationToken },
                async (peer, token) => await peer.ConnectAsync(token));
            return fleet;
        }
        catch
        {
            await router.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends every session (closing the connections, not a polite close of each), then the router.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (XmppClient client in Peers.Append(Hub))
        {
            if (client.Channel is { } channel)
            {
                _ = channel.CloseAsync();
            }
        }

        await Router.DisposeAsync();
    }

    private static string PeerAccount(int account) => "peer" + account.ToString(CultureInfo.InvariantCulture);

    private static XmppClient Build(InMemoryRouter router, string user, string resource, Action<XtlsOptions> xtls) =>
        new XmppClientBuilder()
            .WithJid($"{user}@{router.Domain}")
            .WithPassword(Password)
            .WithResource(resource)
            .WithInMemoryRouter(router)
            .Configure(o => o.SendInitialPresence = false)
            .UseXtls(xtls)
            .Build();
}
