using System.Xml.Linq;
using XmppDotNet.Xtls;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Trust;

// A program written against the XmppDotNet.Xtls package alone: two clients on an in-memory XMPP
// server, a tunnel between them, one message through it. Each step prints one line.
XNamespace client = "jabber:client";
await using var router = new InMemoryRouter("capulet.lit");
router.AddAccount("romeo", "romeo-secret");
router.AddAccount("juliet", "juliet-secret");
await router.StartAsync();

await using XmppClient romeo = LogIn("romeo", "orchard");
await using XmppClient juliet = LogIn("juliet", "balcony");
var received = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
juliet.StanzaReceived += (_, e) =>
{
    if (e.Stanza.Name == client + "message" && e.Stanza.IsFromXtlsTunnel(out XtlsTunnel? _))
    {
        received.TrySetResult(e.Stanza);
    }
};
await romeo.ConnectAsync();
await juliet.ConnectAsync();
Console.WriteLine($"online: {romeo.Jid} and {juliet.Jid}");

XtlsTunnel tunnel = await romeo.GetXtls().OpenAsync(juliet.Jid);
Console.WriteLine($"tunnel: {tunnel.ProtocolVersion}, {tunnel.CipherSuite}");

await romeo.SendAsync(new XElement(client + "message",
    new XAttribute("to", juliet.Jid.ToString()),
    new XElement(client + "body", "It is my lady, O, it is my love!")));
XElement message = await received.Task.WaitAsync(TimeSpan.FromSeconds(60));
Console.WriteLine($"juliet received through the tunnel from {message.Attribute("from")?.Value}: {message.Element(client + "body")?.Value}");

await romeo.GetXtls().CloseAsync(juliet.Jid);
Console.WriteLine($"closed; open tunnels: {romeo.GetXtls().OpenTunnels.Count}");

XmppClient LogIn(string user, string resource) => new XmppClientBuilder()
    .WithJid($"{user}@{router.Domain}")
    .WithPassword(user + "-secret")
    .WithResource(resource)
    .WithInMemoryRouter(router)
    .UseXtls(xtls =>
    {
        xtls.Identity = XtlsIdentity.Generate(XtlsKeyType.EcdsaP256, commonName: user);
        xtls.TrustStore = new InMemoryTrustStore();
    })
    .Build();
