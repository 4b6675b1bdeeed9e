using System.Text.RegularExpressions;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.Testing.Prosody;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Host;

/// <summary>
/// Which SASL mechanism the client uses with Prosody, read from the server's log of every element
/// (mod_stanza_debug). Prosody offers SCRAM for the hash its accounts are stored with (SHA-1 unless
/// <c>password_hash</c> says otherwise), and PLAIN over TLS.
/// </summary>
[TestFixture("SHA-1", "SCRAM-SHA-1")]
[TestFixture("SHA-256", "SCRAM-SHA-256")]
public sealed partial class SaslMechanismTests(string passwordHash, string expectedMechanism) : ProsodyClientFixture
{
    protected override ProsodyServerOptions ServerOptions => new ProsodyServerOptions
    {
        LogLevel = "debug",
        AdditionalGlobalSettings = $"""
            modules_enabled = {"{"} "roster", "saslauth", "tls", "disco", "ping", "stanza_debug" {"}"}
            password_hash = "{passwordHash}"
            """,
    };

    [Test]
    public async Task The_client_logs_in_with_the_strongest_scram_mechanism_offered_and_not_plain()
    {
        TestAccount alice = await TestAccount.RegisterAsync(Server, "alice");
        XmppClient a = Clients.Add(Builder(Server, alice, "desk"));

        await a.ConnectAsync().WaitAsync(Bound);
        await a.DisconnectAsync().WaitAsync(Bound);
        string log = Server.ReadLogTail(100_000);
        string[] offered = [.. OfferedMechanism().Matches(log).Select(m => m.Groups[1].Value).Distinct()];
        string[] used = [.. UsedMechanism().Matches(log).Select(m => m.Groups[1].Value)];

        Assert.Multiple(() =>
        {
            Assert.That(a.State, Is.EqualTo(SessionState.Closed));
            Assert.That(offered, Does.Contain(expectedMechanism).And.Contain("PLAIN"), log);
            Assert.That(used, Is.EqualTo(new[] { expectedMechanism }), log);
        });
    }

    [GeneratedRegex("<mechanism>([A-Z0-9-]+)</mechanism>")]
    private static partial Regex OfferedMechanism();

    // mod_stanza_debug logs each element received in full once, as "RECV: <auth ...>".
    [GeneratedRegex("RECV: <auth\\b[^>]*\\bmechanism=['\"]([A-Z0-9-]+)['\"]")]
    private static partial Regex UsedMechanism();
}
