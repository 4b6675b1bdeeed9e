using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Faults;

/// <summary>The fault run through ejabberd's mod_stream_mgmt (no shaper).</summary>
[TestFixture]
public sealed class FaultRunThroughEjabberdTests : FaultRunScenarios<EjabberdServer>
{
    /// <inheritdoc />
    protected override Task<EjabberdServer> StartServerAsync()
    {
        ServerRequirement.RequireEjabberd();
        return EjabberdServer.StartNewAsync();
    }
}
