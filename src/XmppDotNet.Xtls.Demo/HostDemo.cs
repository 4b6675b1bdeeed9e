using System.Diagnostics;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Demo;

/// <summary>
/// The embedded default run: two clients in one process log in to an in-memory router
/// (SCRAM-SHA-256, resource binding), discover each other and exchange a message.
/// </summary>
internal static class HostDemo
{
    public static async Task<int> RunAsync(TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        await using var router = new InMemoryRouter("capulet.lit");
        router.AddAccount("romeo", "romeo-secret");
        router.AddAccount("juliet", "juliet-secret");
        await router.StartAsync().ConfigureAwait(false);
        output.WriteLine($"router    in-memory XMPP router for {router.Domain} started");

        await using XmppClient romeo = Connect(router, "romeo", "romeo-secret", "orchard");
        await using XmppClient juliet = Connect(router, "juliet", "juliet-secret", "balcony");
        var received = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        juliet.StanzaReceived += (_, e) =>
        {
            if (e.Stanza.Name.LocalName == "message")
            {
                received.TrySetResult(e.Stanza);
            }
        };

        await romeo.ConnectAsync().ConfigureAwait(false);
        output.WriteLine($"romeo     online as {romeo.Jid}");
        await juliet.ConnectAsync().ConfigureAwait(false);
        output.WriteLine($"juliet    online as {juliet.Jid}");

        IReadOnlySet<string> features = await romeo.QueryFeaturesAsync(juliet.Jid).ConfigureAwait(false);
        output.WriteLine($"romeo     disco#info of {juliet.Jid}: {string.Join(", ", features.Order(StringComparer.Ordinal))}");

        var message = new XElement(
            XName.Get("message", XmppNamespaces.Client),
            new XAttribute("to", juliet.Jid.ToString()),
            new XAttribute("type", "chat"),
            new XElement(XName.Get("body", XmppNamespaces.Client), "But soft, what light through yonder window breaks?"));
        await romeo.SendAsync(message).ConfigureAwait(false);
        output.WriteLine($"romeo  -> {juliet.Jid}: {message.Value}");

        XElement got = await received.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        output.WriteLine($"juliet <- {(string?)got.Attribute("from")}: {got.Value}");

        await romeo.DisconnectAsync().ConfigureAwait(false);
        await juliet.DisconnectAsync().ConfigureAwait(false);
        output.WriteLine($"done      both sessions closed in {clock.ElapsedMilliseconds} ms");
        return got.Value == message.Value && romeo.State == SessionState.Closed && juliet.State == SessionState.Closed ? 0 : 1;
    }

    private static XmppClient Connect(InMemoryRouter router, string user, string password, string resource) =>
        new XmppClientBuilder()
            .WithJid($"{user}@{router.Domain}")
            .WithPassword(password)
            .WithResource(resource)
            .WithInMemoryRouter(router)
            .Build();
}
