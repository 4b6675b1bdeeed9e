using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Clients;

/// <summary>
/// A fixture with one throwaway Prosody for all its tests and a fresh <see cref="ClientSet"/> per test
/// (see <see cref="ServerClientFixture{TServer}"/>). Derived fixtures choose the server's configuration
/// with <see cref="ServerOptions"/>.
/// </summary>
public abstract class ProsodyClientFixture : ServerClientFixture<ProsodyServer>
{
    /// <summary>The server's configuration; <c>null</c> for the defaults.</summary>
    protected virtual ProsodyServerOptions? ServerOptions => null;

    /// <inheritdoc />
    protected override Task<ProsodyServer> StartServerAsync() => ProsodyServer.StartNewAsync(ServerOptions);
}
