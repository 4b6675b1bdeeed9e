using System.Security.Cryptography.X509Certificates;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// The throwaway Prosody of comparison 5: the integration tests' server fixture (own directory, configuration,
/// certificate and users on 127.0.0.1, stopped at the end) with the server's limits raised for a benchmark.
/// </summary>
internal sealed class BenchProsody : IAsyncDisposable
{
    /// <summary>What the configuration changes from Prosody's defaults, for the report.</summary>
    public const string Limits =
        "Prosody on 127.0.0.1 with c2s over STARTTLS (TLS to the server on both legs); mod_limits not loaded (no rate limit; " +
        "Debian's stock config throttles clients to 10 kB/s), c2s_stanza_size_limit raised to 1 MiB, Nagle off (network_settings nagle = false)";

    public const string Domain = "xtls.bench";

    public const string Host = "127.0.0.1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ProsodyServer _server;

    private BenchProsody(ProsodyServer server, string version)
    {
        _server = server;
        Version = version;
    }

    public int Port => _server.Port;

    public X509Certificate2 Certificate => _server.Certificate;

    public string Version { get; }

    /// <summary>The CPU time the Prosody process has used so far.</summary>
    public TimeSpan CpuTime => _server.ProcessorTime;

    /// <summary>Where prosody and prosodyctl are, or <c>null</c> when Prosody is not installed.</summary>
    public static ProsodyInstallation? Locate() => ProsodyInstallation.Locate();

    /// <summary>Creates the users (password <see cref="BenchClients.Password"/>), starts Prosody and waits until it answers.</summary>
    public static async Task<BenchProsody> StartAsync(IEnumerable<string> users)
    {
        var server = new ProsodyServer(new ProsodyServerOptions { Domain = Domain, StanzaSizeLimit = 1 << 20, StartTimeout = StartTimeout });
        try
        {
            await server.RegisterUsersAsync(users.Select(user => KeyValuePair.Create(user, BenchClients.Password)));
            string version = await server.ReadVersionAsync();
            await server.StartAsync();
            return new BenchProsody(server, version);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
