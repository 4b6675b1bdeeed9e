using XmppDotNet.Xtls.IntegrationTests.Prosody;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Clients;

/// <summary>
/// A fixture with one throwaway XMPP server for all its tests and a fresh <see cref="ClientSet"/> per test,
/// disposed after it. When a test fails, the server's log goes to its output (<see cref="ProsodyTestReport"/>).
/// Derived fixtures start the server they need with <see cref="StartServerAsync"/>; their own [SetUp] runs
/// after this one's, their [TearDown] before.
/// </summary>
/// <typeparam name="TServer">The kind of server.</typeparam>
public abstract class ServerClientFixture<TServer>
    where TServer : class, ITestXmppServer
{
    /// <summary>The server of this fixture, started once for all its tests.</summary>
    protected TServer Server { get; private set; } = null!;

    /// <summary>The clients of the running test, disposed after it.</summary>
    private protected ClientSet Clients { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartServer() => Server = await StartServerAsync();

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

    /// <summary>Starts the fixture's server; on failure nothing may be left behind.</summary>
    protected abstract Task<TServer> StartServerAsync();
}
