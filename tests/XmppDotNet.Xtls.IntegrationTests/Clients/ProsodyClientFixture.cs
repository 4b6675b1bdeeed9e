using XmppDotNet.Xtls.IntegrationTests.Prosody;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Clients;

/// <summary>
/// A fixture with one throwaway Prosody for all its tests and a fresh <see cref="ClientSet"/> per test,
/// disposed after it. When a test fails, the server's log goes to its output (<see cref="ProsodyTestReport"/>).
/// Derived fixtures choose the server's configuration with <see cref="ServerOptions"/>; their own
/// [SetUp] runs after this one's, their [TearDown] before.
/// </summary>
public abstract class ProsodyClientFixture
{
    /// <summary>The server of this fixture, started once for all its tests.</summary>
    protected ProsodyServer Server { get; private set; } = null!;

    /// <summary>The clients of the running test, disposed after it.</summary>
    private protected ClientSet Clients { get; private set; } = null!;

    /// <summary>The server's configuration; <c>null</c> for the defaults.</summary>
    protected virtual ProsodyServerOptions? ServerOptions => null;

    [OneTimeSetUp]
    public async Task StartServer() => Server = await ProsodyServer.StartNewAsync(ServerOptions);

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    [SetUp]
    public void CreateClients() => Clients = new ClientSet();

    [TearDown]
    public async Task ReportAndDisposeClients()
    {
        ProsodyTestReport.ReportIfTestFailed(Server);
        await Clients.DisposeAsync();
    }
}
