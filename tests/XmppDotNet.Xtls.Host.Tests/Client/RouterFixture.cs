using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;

namespace XmppDotNet.Xtls.Host.Tests.Client;

/// <summary>An in-memory router with two accounts, and helpers to log clients in.</summary>
internal sealed class RouterFixture : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly List<XmppClient> _clients = [];

    private RouterFixture(InMemoryRouter router) => Router = router;

    public InMemoryRouter Router { get; }

    public static async Task<RouterFixture> StartAsync()
    {
        var router = new InMemoryRouter("capulet.lit");
        router.AddAccount("romeo", "r-pass");
        router.AddAccount("juliet", "j-pass");
        await router.StartAsync();
        return new RouterFixture(router);
    }

    public XmppClient Build(string user, string password, string resource, Action<XmppClientBuilder>? configure = null)
    {
        XmppClientBuilder builder = new XmppClientBuilder()
            .WithJid($"{user}@{Router.Domain}")
            .WithPassword(password)
            .WithResource(resource)
            .WithInMemoryRouter(Router);
        configure?.Invoke(builder);
        XmppClient client = builder.Build();
        _clients.Add(client);
        return client;
    }

    public async Task<XmppClient> OnlineAsync(string user, string password, string resource, Action<XmppClientBuilder>? configure = null)
    {
        XmppClient client = Build(user, password, resource, configure);
        await client.ConnectAsync().WaitAsync(Bound);
        return client;
    }

    public static XElement Message(string to, string body) =>
        new(
            XName.Get("message", XmppNamespaces.Client),
            new XAttribute("to", to),
            new XAttribute("type", "chat"),
            new XElement(XName.Get("body", XmppNamespaces.Client), body));

    public async ValueTask DisposeAsync()
    {
        foreach (XmppClient client in _clients)
        {
            await client.DisposeAsync();
        }

        await Router.DisposeAsync();
    }
}
