using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Clients;

/// <summary>
/// A fixture with one throwaway ejabberd for all its tests and a fresh <see cref="ClientSet"/> per test
/// (see <see cref="ServerClientFixture{TServer}"/>). A machine without ejabberd ignores the fixture, or
/// fails it under XTLS_REQUIRE_SERVER=1 (<see cref="ServerRequirement"/>).
/// </summary>
public abstract class EjabberdClientFixture : ServerClientFixture<EjabberdServer>
{
    /// <summary>The server's configuration; <c>null</c> for the defaults (no shaper).</summary>
    protected virtual EjabberdServerOptions? ServerOptions => null;

    /// <inheritdoc />
    protected override Task<EjabberdServer> StartServerAsync()
    {
        ServerRequirement.RequireEjabberd();
        return EjabberdServer.StartNewAsync(ServerOptions);
    }
}
