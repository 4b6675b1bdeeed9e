using XmppDotNet.Xtls.IntegrationTests.Host;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Faults;

/// <summary>The fault run through Prosody's mod_smacks.</summary>
[TestFixture]
public sealed class FaultRunThroughProsodyTests : FaultRunScenarios<ProsodyServer>
{
    /// <inheritdoc />
    protected override Task<ProsodyServer> StartServerAsync() => ProsodyServer.StartNewAsync(StreamManagementThroughProsodyTests.SmacksOptions);
}
