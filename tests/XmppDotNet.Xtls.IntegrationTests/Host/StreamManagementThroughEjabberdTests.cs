using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Host;

/// <summary>The stream-management scenarios through ejabberd's mod_stream_mgmt (no shaper).</summary>
[TestFixture]
public sealed class StreamManagementThroughEjabberdTests : StreamManagementScenarios<EjabberdServer>
{
    /// <inheritdoc />
    protected override Task<EjabberdServer> StartServerAsync()
    {
        ServerRequirement.RequireEjabberd();
        return EjabberdServer.StartNewAsync();
    }
}
