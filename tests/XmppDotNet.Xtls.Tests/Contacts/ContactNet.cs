using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Xml.Linq;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tests.Pipeline;

namespace XmppDotNet.Xtls.Tests.Contacts;

/// <summary>
/// Romeo and any number of Juliet's devices on an in-memory router, each announcing its presence
/// (the router broadcasts it to every session), with what each received and what the router saw.
/// </summary>
internal sealed class ContactNet : IAsyncDisposable
{
    public static readonly Jid JulietBare = Jid.Parse("juliet@capulet.lit");

    private readonly List<XmppClient> _clients = [];

    private ContactNet(InMemoryRouter router) => Router = router;

    public InMemoryRouter Router { get; }

    public XmppClient Romeo { get; private set; } = null!;

    public XtlsContacts RomeoContacts => Romeo.GetXtlsContacts();

    /// <summary>Every stanza the router forwarded, as the sender sent it: what a server could read.</summary>
    public ConcurrentQueue<XElement> Routed { get; } = new();

    public Dictionary<Jid, Channel<XElement>> Inboxes { get; } = [];

    public static async Task<ContactNet> StartAsync(Action<XtlsOptions>? romeoOptions = null, Action<InMemoryRouter>? configureRouter = null)
    {
        var router = new InMemoryRouter("capulet.lit");
        router.AddAccount("romeo", "r-pass");
        router.AddAccount("juliet", "j-pass");
        configureRouter?.Invoke(router);
        await router.StartAsync();
        var net = new ContactNet(router);
        router.StanzaRouted += (_, e) => net.Routed.Enqueue(new XElement(e.Stanza));
        net.Romeo = await net.ConnectAsync("romeo", "r-pass", "orchard", xtls: o =>
        {
            // Each of Juliet's devices has its own key; which of them to trust is the trust store's
            // business (tested on its own), so Romeo accepts them all here.
            o.VerifyPeer = static (_, _, _, _) => ValueTask.FromResult(true);
            romeoOptions?.Invoke(o);
        });
        return net;
    }

    /// <summary>Logs a client in (with XTLS when <paramref name="xtls"/> is given) and waits until Romeo's presence book lists it.</summary>
    public async Task<XmppClient> ConnectAsync(string user, string password, string resource, Action<XtlsOptions>? xtls, Action<XmppClientBuilder>? configure = null, bool sendPresence = true)
    {
        XmppClientBuilder builder = new XmppClientBuilder()
            .WithJid($"{user}@{Router.Domain}")
            .WithPassword(password)
            .WithResource(resource)
            .WithInMemoryRouter(Router)
            .Configure(o => o.SendInitialPresence = sendPresence);
        if (xtls is not null)
        {
            builder.UseXtls(xtls);
        }

        configure?.Invoke(builder);
        XmppClient client = builder.Build();
        var inbox = Channel.CreateUnbounded<XElement>();
        client.StanzaReceived += (_, e) => inbox.Writer.TryWrite(e.Stanza);
        Task seen = Romeo is null || !sendPresence ? Task.CompletedTask : UntilAsync(Romeo, book => book.Find(new Jid(user, Router.Domain, resource)) is not null);
        await client.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await seen.WaitAsync(XtlsPair.Bound);
        lock (_clients)
        {
            _clients.Add(client);
            Inboxes[client.Jid] = inbox;
        }

        return client;
    }

    public Task<XmppClient> JulietAsync(string resource, bool xtls = true, Action<XtlsOptions>? options = null) =>
        ConnectAsync("juliet", "j-pass", resource, xtls ? options ?? (_ => { }) : null);

    /// <summary>Completes when a condition on a client's presence book holds (checked at once and on each change).</summary>
    public static Task UntilAsync(XmppClient client, Func<PresenceBook, bool> condition)
    {
        PresenceBook book = client.GetPresenceBook();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition(book))
            {
                done.TrySetResult();
            }
        }

        book.ResourceAvailable += (_, _) => Check();
        book.ResourceUnavailable += (_, _) => Check();
        Check();
        return done.Task;
    }

    /// <summary>The next message a client received.</summary>
    public Task<XElement> NextMessageAsync(XmppClient client) => XtlsPair.NextMessageAsync(Inboxes[client.Jid]);

    /// <summary>Whether the router forwarded any message stanza whose text contains <paramref name="text"/>.</summary>
    public bool SawInTheClear(string text) => Routed.Any(s => s.ToString(SaveOptions.DisableFormatting).Contains(text, StringComparison.Ordinal));

    /// <summary>The message stanzas the router forwarded.</summary>
    public IReadOnlyList<XElement> RoutedMessages => [.. Routed.Where(s => s.Name == Stanza.MessageName)];

    public async ValueTask DisposeAsync()
    {
        XmppClient[] clients;
        lock (_clients)
        {
            clients = [.. _clients];
        }

        foreach (XmppClient client in clients)
        {
            await client.DisposeAsync().AsTask().WaitAsync(XtlsPair.Bound);
        }

        await Router.DisposeAsync().AsTask().WaitAsync(XtlsPair.Bound);
    }
}
