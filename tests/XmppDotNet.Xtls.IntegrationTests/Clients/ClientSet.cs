using XmppDotNet.Xtls.Host.Client;

namespace XmppDotNet.Xtls.IntegrationTests.Clients;

/// <summary>The clients one test created; disposing it disconnects them all (each bounded).</summary>
internal sealed class ClientSet : IAsyncDisposable
{
    private readonly List<XmppClient> _clients = [];

    /// <summary>Builds the client and remembers it for disposal.</summary>
    public XmppClient Add(XmppClientBuilder builder)
    {
        XmppClient client = builder.Build();
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        List<Exception> failures = [];
        foreach (XmppClient client in _clients)
        {
            try
            {
                await client.DisposeAsync().AsTask().WaitAsync(ProsodyClients.Bound);
            }
            catch (Exception e) when (e is TimeoutException or XmppDotNet.Xtls.Host.XmppException)
            {
                failures.Add(e);
            }
        }

        _clients.Clear();
        if (failures.Count > 0)
        {
            throw new AggregateException("Some clients did not disconnect cleanly.", failures);
        }
    }
}
