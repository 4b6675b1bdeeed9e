using System.Globalization;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Clients;

/// <summary>An account registered on a test server for one test only.</summary>
/// <param name="Jid">The account's bare JID.</param>
/// <param name="Password">Its password.</param>
internal sealed record TestAccount(Jid Jid, string Password)
{
    private static int _counter;

    /// <summary>
    /// Registers an account whose name no other test of the run uses, so that tests sharing one
    /// server never see each other's stanzas or sessions.
    /// </summary>
    public static async Task<TestAccount> RegisterAsync(ITestXmppServer server, string prefix)
    {
        string user = string.Create(CultureInfo.InvariantCulture, $"{prefix}{Interlocked.Increment(ref _counter)}");
        string password = "pw-" + Guid.NewGuid().ToString("N");
        await server.RegisterUserAsync(user, password);
        return new TestAccount(server.UserJid(user), password);
    }
}
