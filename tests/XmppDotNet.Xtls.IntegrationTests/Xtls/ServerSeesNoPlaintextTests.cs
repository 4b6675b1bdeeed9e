using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.IntegrationTests.Prosody;
using XmppDotNet.Xtls.Testing.Prosody;
using XmppDotNet.Xtls.Protocol;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Xtls;

/// <summary>
/// What passes through a tunnel is nowhere in what the server logs or stores, while the same search
/// finds what was sent in the clear: Prosody logs every stanza in full here (debug level with
/// mod_stanza_debug) and keeps messages for offline users on disk (mod_offline).
/// </summary>
[TestFixture]
public sealed class ServerSeesNoPlaintextTests : ProsodyClientFixture
{
    private static readonly XName SecretQuery = XName.Get("query", "urn:xmppdotnet:test:secret");

    protected override ProsodyServerOptions ServerOptions => new ProsodyServerOptions
    {
        LogLevel = "debug",
        AdditionalGlobalSettings = """
            modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "stanza_debug" }
            modules_disabled = { "s2s", "s2s_auth_certs" }
            """,
    };

    [Test]
    public async Task Stanzas_through_a_tunnel_leave_no_plaintext_in_the_server_log_or_data_while_stanzas_in_the_clear_do()
    {
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        TestAccount nurseAccount = await TestAccount.RegisterAsync(Server, "nurse");
        XmppClient romeo = Clients.Add(Builder(Server, romeoAccount, "orchard").UseXtls());
        XmppClient juliet = Clients.Add(Builder(Server, julietAccount, "balcony").UseXtls());
        using var romeoInbox = new Inbox(romeo);
        using var julietInbox = new Inbox(juliet);
        using IDisposable secretHandler = juliet.AddStanzaHandler(
            stanza => Stanza.IsIqRequest(stanza) && stanza.Element(SecretQuery) is not null,
            request =>
            {
                _ = juliet.SendAsync(Stanza.ResultFor(request, new XElement(SecretQuery, "answer " + request.Element(SecretQuery)!.Value)));
                return ValueTask.FromResult(true);
            });
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        string bodyMarker = Marker("tunnel-body");
        string idMarker = Marker("tunnel-id");
        string replyMarker = Marker("tunnel-reply");
        string iqMarker = Marker("tunnel-iq");
        string clearMarker = Marker("clear-body");
        string offlineMarker = Marker("offline-body");

        await romeo.SendAsync(ChatMessage(juliet.Jid, bodyMarker, idMarker)).WaitAsync(Bound);
        XElement atJuliet = await julietInbox.NextMessageAsync();
        await juliet.SendAsync(ChatMessage(romeo.Jid, replyMarker)).WaitAsync(Bound);
        XElement atRomeo = await romeoInbox.NextMessageAsync();
        XElement answer = await romeo.SendIqAsync(Stanza.Iq("get", romeo.NextId(), juliet.Jid, new XElement(SecretQuery, iqMarker))).WaitAsync(Bound);
        await romeo.SendAsync(ChatMessage(juliet.Jid, clearMarker).SendInClear()).WaitAsync(Bound);
        XElement clearAtJuliet = await julietInbox.NextMessageAsync();
        await romeo.SendAsync(ChatMessage(nurseAccount.Jid, offlineMarker)).WaitAsync(Bound);
        // The server handles a session's stanzas in order: once the ping is answered, the message is stored.
        await romeo.SendIqAsync(Stanza.Iq("get", romeo.NextId(), new Jid(null, Server.Domain), new XElement(XName.Get("ping", XmppNamespaces.Ping)))).WaitAsync(Bound);
        await Server.StopProcessAsync();

        Assert.Multiple(() =>
        {
            Assert.That(atJuliet.IsFromXtlsTunnel() && Body(atJuliet) == bodyMarker && Stanza.GetId(atJuliet) == idMarker, Is.True, atJuliet.ToString());
            Assert.That(atRomeo.IsFromXtlsTunnel() && Body(atRomeo) == replyMarker, Is.True, atRomeo.ToString());
            Assert.That(answer.IsFromXtlsTunnel() && answer.Element(SecretQuery)?.Value == "answer " + iqMarker, Is.True, answer.ToString());
            Assert.That(clearAtJuliet.IsFromXtlsTunnel() || Body(clearAtJuliet) != clearMarker, Is.False, clearAtJuliet.ToString());

            foreach (string secret in new[] { bodyMarker, idMarker, replyMarker, iqMarker })
            {
                Assert.That(ServerFiles.Containing(Server.DirectoryPath, secret), Is.Empty, secret);
                foreach (string encoded in ServerFiles.Base64Forms(secret))
                {
                    Assert.That(ServerFiles.Containing(Server.DirectoryPath, encoded), Is.Empty, $"{secret} as Base64 {encoded}");
                }
            }

            // Controls: the same search finds what the server saw in the clear, in its log and in its data;
            // and the log holds the tunnel's own IQs in full, so the secrets were not missed for want of logging.
            Assert.That(ServerFiles.Containing(Server.DirectoryPath, clearMarker), Does.Contain(Path.GetFileName(Server.LogPath)));
            Assert.That(ServerFiles.Containing(Server.DirectoryPath, offlineMarker), Has.Some.StartsWith("data" + Path.DirectorySeparatorChar));
            Assert.That(ServerFiles.Containing(Server.DirectoryPath, "<data xmlns='" + XtlsNamespaces.Xtls + "'"), Does.Contain(Path.GetFileName(Server.LogPath)));
        });
    }

    private static string Marker(string what) => $"{what}-{Guid.NewGuid():N}";
}
