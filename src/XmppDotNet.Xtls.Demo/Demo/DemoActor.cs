using System.Threading.Channels;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Demo.Demo;

/// <summary>One of the demo's two people: an XTLS-enabled client on the in-memory router, with its identity, trust store and inbox.</summary>
internal sealed class DemoActor : IAsyncDisposable
{
    private readonly Channel<XElement> _inbox = Channel.CreateUnbounded<XElement>();

    private DemoActor(string name, XmppClient client, XtlsIdentity identity, ObservedTrustStore trust, Func<string, string> colour)
    {
        Name = name;
        Client = client;
        Identity = identity;
        Trust = trust;
        Colour = colour;
        client.StanzaReceived += (_, e) =>
        {
            if (e.Stanza.Name == Stanza.MessageName)
            {
                _inbox.Writer.TryWrite(e.Stanza);
            }
        };
        Xtls.TunnelOpened += (_, e) => Opened.TrySetResult(e.Tunnel);
        Xtls.TunnelClosed += (_, e) => Closed.TrySetResult(e);
    }

    /// <summary>The name shown on the page.</summary>
    public string Name { get; }

    /// <summary>The session.</summary>
    public XmppClient Client { get; }

    /// <summary>The session's XTLS API.</summary>
    public XtlsService Xtls => Client.GetXtls();

    /// <summary>The bound full JID.</summary>
    public Jid Jid => Client.Jid;

    /// <summary>This side's certificate.</summary>
    public XtlsIdentity Identity { get; }

    /// <summary>This side's trust store.</summary>
    public ObservedTrustStore Trust { get; }

    /// <summary>Colours the name.</summary>
    public Func<string, string> Colour { get; }

    /// <summary>Completes when a tunnel opened on this side.</summary>
    public TaskCompletionSource<XtlsTunnel> Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a tunnel ended on this side.</summary>
    public TaskCompletionSource<XtlsTunnelClosedEventArgs> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the account on the router and logs in.</summary>
    public static async Task<DemoActor> StartAsync(InMemoryRouter router, string name, string resource, Func<string, string> colour, CancellationToken cancellationToken)
    {
        string password = name + "-secret";
        router.AddAccount(name, password);
        XtlsIdentity identity = XtlsIdentity.Generate(XtlsKeyType.EcdsaP256, commonName: name);
        var trust = new ObservedTrustStore();
        XmppClient client = new XmppClientBuilder()
            .WithJid($"{name}@{router.Domain}")
            .WithPassword(password)
            .WithResource(resource)
            .WithInMemoryRouter(router)
            .UseXtls(xtls =>
            {
                xtls.Identity = identity;
                xtls.TrustStore = trust;
            })
            .Build();
        var actor = new DemoActor(name, client, identity, trust, colour);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return actor;
        }
        catch
        {
            await actor.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The next message received.</summary>
    public ValueTask<XElement> NextMessageAsync(CancellationToken cancellationToken) => _inbox.Reader.ReadAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
