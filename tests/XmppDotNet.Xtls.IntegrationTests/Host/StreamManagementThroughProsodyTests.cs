using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Host;

/// <summary>The stream-management scenarios through Prosody's mod_smacks.</summary>
[TestFixture]
public sealed class StreamManagementThroughProsodyTests : StreamManagementScenarios<ProsodyServer>
{
    /// <summary>Prosody with mod_smacks, which Debian's package ships but does not load by default.</summary>
    internal static ProsodyServerOptions SmacksOptions => new()
    {
        AdditionalGlobalSettings = """
            modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "smacks" }
            network_settings = { nagle = false }
            """,
    };

    /// <inheritdoc />
    protected override Task<ProsodyServer> StartServerAsync() => ProsodyServer.StartNewAsync(SmacksOptions);
}
