using System.Globalization;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>The run's clients: accounts, building, connecting (again) with bounded retries, and disconnecting.</summary>
internal static class LoadClients
{
    public const int MaxConnectAttempts = 5;

    private const int ConnectConcurrency = 8;
    private static readonly TimeSpan DisconnectBound = TimeSpan.FromSeconds(30);

    public static string User(int index) => string.Create(CultureInfo.InvariantCulture, $"load{index:D4}");

    public static string Password(int index) => string.Create(CultureInfo.InvariantCulture, $"load-pw-{index}");

    public static IEnumerable<KeyValuePair<string, string>> Accounts(int count) =>
        Enumerable.Range(0, count).Select(i => new KeyValuePair<string, string>(User(i), Password(i)));

    /// <summary>A client over STARTTLS with the server's certificate pinned and XTLS on.</summary>
    public static XmppClient Build(ProsodyServer server, int index) =>
        new XmppClientBuilder()
            .WithJid(server.UserJid(User(index)))
            .WithPassword(Password(index))
            .WithResource("load")
            .WithTcpServer(server.Host, server.Port)
            .WithPinnedServerCertificate(server.Certificate)
            .Configure(o =>
            {
                o.SendInitialPresence = false;
                o.MaxPendingIqs = 10_000;
                o.NegotiationTimeout = TimeSpan.FromSeconds(60);
                o.IqTimeout = TimeSpan.FromSeconds(90);
            })
            .UseXtls()
            .Build();

    /// <summary>Connects every client, a few at a time, each up to <see cref="MaxConnectAttempts"/> times; returns the attempts made and the clients that never got online.</summary>
    public static async Task<(int Attempts, List<string> Failures)> ConnectAllAsync(IReadOnlyList<XmppClient> clients, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(ConnectConcurrency);
        int attempts = 0;
        var failures = new List<string>();
        var failuresGate = new Lock();
        await Task.WhenAll(clients.Select(async client =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                for (int attempt = 1; ; attempt++)
                {
                    Interlocked.Increment(ref attempts);
                    try
                    {
                        await client.ConnectAsync(cancellationToken);
                        return;
                    }
                    catch (XmppException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        if (attempt == MaxConnectAttempts)
                        {
                            lock (failuresGate)
                            {
                                failures.Add($"{client.Options.Account}: {e.GetType().Name}: {e.Message}");
                            }

                            return;
                        }

                        await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return (attempts, failures);
    }

    /// <summary>Disconnects every client, each within a bound; a client that does not go is reported, not waited for.</summary>
    public static async Task<int> DisconnectAllAsync(IEnumerable<XmppClient> clients)
    {
        int stuck = 0;
        await Task.WhenAll(clients.Select(async client =>
        {
            try
            {
                await client.DisposeAsync().AsTask().WaitAsync(DisconnectBound);
            }
            catch (Exception e) when (e is TimeoutException or XmppException or InvalidOperationException)
            {
                Interlocked.Increment(ref stuck);
            }
        }));
        return stuck;
    }
}
