using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Tests.Pipeline;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>Clients without XTLS, for peers that send XTLS requests by hand.</summary>
internal static class PlainClients
{
    /// <summary>Logs in a plain client as <c>user@domain/resource</c>.</summary>
    public static async Task<XmppClient> ConnectAsync(InMemoryRouter router, string user, string password, string resource)
    {
        XmppClient client = new XmppClientBuilder()
            .WithJid($"{user}@{router.Domain}")
            .WithPassword(password)
            .WithResource(resource)
            .WithInMemoryRouter(router)
            .Configure(o => o.SendInitialPresence = false)
            .Build();
        await client.ConnectAsync().WaitAsync(XtlsPair.Bound);
        return client;
    }
}
