using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Tests.Pipeline;

/// <summary>Two XTLS-enabled clients on an in-memory router, with what each received and what the router saw.</summary>
internal sealed class XtlsPair : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private XtlsPair(InMemoryRouter router, XmppClient romeo, XmppClient juliet)
    {
        Router = router;
        Romeo = romeo;
        Juliet = juliet;
        router.StanzaRouted += (_, e) => Routed.Enqueue(e.Stanza.ToString(SaveOptions.DisableFormatting));
        romeo.StanzaReceived += (_, e) => RomeoInbox.Writer.TryWrite(e.Stanza);
        juliet.StanzaReceived += (_, e) => JulietInbox.Writer.TryWrite(e.Stanza);
    }

    public InMemoryRouter Router { get; }

    public XmppClient Romeo { get; }

    public XmppClient Juliet { get; }

    public XtlsService RomeoXtls => Romeo.GetXtls();

    public XtlsService JulietXtls => Juliet.GetXtls();

    public Channel<XElement> RomeoInbox { get; } = Channel.CreateUnbounded<XElement>();

    public Channel<XElement> JulietInbox { get; } = Channel.CreateUnbounded<XElement>();

    /// <summary>Every stanza the router forwarded, serialised: what a server could read.</summary>
    public ConcurrentQueue<string> Routed { get; } = new();

    /// <summary>Starts the router and logs both clients in.</summary>
    /// <param name="romeoOptions">Romeo's XTLS options.</param>
    /// <param name="julietOptions">Juliet's XTLS options.</param>
    /// <param name="configureRouter">Runs before the router starts: more accounts, an interceptor.</param>
    /// <param name="romeoClock">Romeo's clock (e.g. a FakeTimeProvider), or <c>null</c> for the system clock.</param>
    /// <param name="julietClock">Juliet's clock, or <c>null</c> for the system clock.</param>
    public static async Task<XtlsPair> StartAsync(
        Action<XtlsOptions>? romeoOptions = null,
        Action<XtlsOptions>? julietOptions = null,
        Action<InMemoryRouter>? configureRouter = null,
        TimeProvider? romeoClock = null,
        TimeProvider? julietClock = null)
    {
        var router = new InMemoryRouter("capulet.lit");
        router.AddAccount("romeo", "r-pass");
        router.AddAccount("juliet", "j-pass");
        configureRouter?.Invoke(router);
        await router.StartAsync();
        XmppClient romeo = Build(router, "romeo", "r-pass", "orchard", romeoOptions, romeoClock);
        XmppClient juliet = Build(router, "juliet", "j-pass", "balcony", julietOptions, julietClock);
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        var pair = new XtlsPair(router, romeo, juliet);
        return pair;
    }

    public static XmppClient Build(InMemoryRouter router, string user, string password, string resource, Action<XtlsOptions>? configure, TimeProvider? clock = null)
    {
        XmppClientBuilder builder = new XmppClientBuilder()
            .WithJid($"{user}@{router.Domain}")
            .WithPassword(password)
            .WithResource(resource)
            .WithInMemoryRouter(router)
            .Configure(o => o.SendInitialPresence = false)
            .UseXtls(configure);
        if (clock is not null)
        {
            builder.WithTimeProvider(clock);
        }

        return builder.Build();
    }

    public static XElement Chat(Jid to, string body) =>
        new(
            Stanza.MessageName,
            new XAttribute("to", to.ToString()),
            new XAttribute("type", "chat"),
            new XElement(XName.Get("body", XmppNamespaces.Client), body));

    /// <summary>The next message in an inbox (presence and other stanzas are skipped).</summary>
    public static async Task<XElement> NextMessageAsync(Channel<XElement> inbox)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            XElement stanza = await inbox.Reader.ReadAsync(timeout.Token);
            if (stanza.Name == Stanza.MessageName)
            {
                return stanza;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Bounded: with a fake clock, a close that is never answered would otherwise wait forever.
        await Romeo.DisposeAsync().AsTask().WaitAsync(Bound);
        await Juliet.DisposeAsync().AsTask().WaitAsync(Bound);
        await Router.DisposeAsync().AsTask().WaitAsync(Bound);
    }
}
