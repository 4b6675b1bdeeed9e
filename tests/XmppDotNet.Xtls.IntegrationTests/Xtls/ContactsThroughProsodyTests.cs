using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.IntegrationTests.Prosody;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Testing.Prosody;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Xtls;

/// <summary>
/// The contact layer through a real server: a message to a contact's bare JID goes to each of its
/// devices through that device's tunnel, and Prosody, which logs every stanza in full here, sees none
/// of its text. Presence is directed (no roster subscription needed), as Prosody delivers it.
/// </summary>
[TestFixture]
public sealed class ContactsThroughProsodyTests : ProsodyClientFixture
{
    protected override ProsodyServerOptions ServerOptions => new ProsodyServerOptions
    {
        LogLevel = "debug",
        AdditionalGlobalSettings = """
            modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "stanza_debug" }
            modules_disabled = { "s2s", "s2s_auth_certs" }
            """,
    };

    [Test]
    public async Task Under_required_a_message_to_the_bare_jid_reaches_both_devices_through_tunnels_and_the_server_logs_none_of_it()
    {
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClient romeo = Clients.Add(Builder(Server, romeoAccount, "orchard").UseXtls(o =>
        {
            o.VerifyPeer = static (_, _, _, _) => ValueTask.FromResult(true); // two devices, two keys
        }));
        romeo.GetXtlsContacts().RequireEncryption(julietAccount.Jid);
        XmppClient balcony = Clients.Add(Builder(Server, julietAccount, "balcony").UseXtls());
        XmppClient tomb = Clients.Add(Builder(Server, julietAccount, "tomb").UseXtls());
        using var balconyInbox = new Inbox(balcony);
        using var tombInbox = new Inbox(tomb);
        await romeo.ConnectAsync().WaitAsync(Bound);
        await balcony.ConnectAsync().WaitAsync(Bound);
        await tomb.ConnectAsync().WaitAsync(Bound);
        await AnnounceAsync(romeo, balcony, tomb);
        string secret = Marker("bare-jid-secret");

        await romeo.SendAsync(ChatMessage(julietAccount.Jid, secret)).WaitAsync(Bound);
        XElement atBalcony = await balconyInbox.NextMessageAsync();
        XElement atTomb = await tombInbox.NextMessageAsync();
        await FlushLogAsync(romeo, balcony.Jid);

        Assert.Multiple(() =>
        {
            Assert.That(atBalcony.IsFromXtlsTunnel() && Body(atBalcony) == secret && Stanza.GetTo(atBalcony) == balcony.Jid, Is.True, atBalcony.ToString());
            Assert.That(atTomb.IsFromXtlsTunnel() && Body(atTomb) == secret && Stanza.GetTo(atTomb) == tomb.Jid, Is.True, atTomb.ToString());
            Assert.That(romeo.GetXtlsContacts().GetTunnels(julietAccount.Jid).Select(t => t.Peer), Is.EquivalentTo(new[] { balcony.Jid, tomb.Jid }));
            AssertNowhereOnTheServer(secret);
            Assert.That(ServerFiles.Containing(Server.DirectoryPath, "<data xmlns='" + XtlsNamespaces.Xtls + "'"), Does.Contain(Path.GetFileName(Server.LogPath)), "the log holds the tunnels' IQs in full");
        });
    }

    [Test]
    public async Task Under_required_with_no_xtls_device_online_the_send_fails_and_the_server_logs_none_of_it()
    {
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClient romeo = Clients.Add(Builder(Server, romeoAccount, "orchard").UseXtls());
        romeo.GetXtlsContacts().RequireEncryption(julietAccount.Jid);
        XmppClient plain = Clients.Add(Builder(Server, julietAccount, "kitchen"));
        await romeo.ConnectAsync().WaitAsync(Bound);
        await plain.ConnectAsync().WaitAsync(Bound);
        await AnnounceAsync(romeo, plain);
        string secret = Marker("required-secret");

        XtlsContactSendException? error = await Assert.ThrowsAsync<XtlsContactSendException>(
            async () => await romeo.SendAsync(ChatMessage(julietAccount.Jid, secret)).WaitAsync(Bound));
        await FlushLogAsync(romeo, plain.Jid);

        Assert.Multiple(() =>
        {
            Assert.That(error!.Failures.Select(f => (f.Resource, f.Reason)), Is.EqualTo(new[] { (plain.Jid, ContactSendFailureReason.NotSupported) }));
            Assert.That(error.Delivered, Is.Empty);
            AssertNowhereOnTheServer(secret);
        });
    }

    [Test]
    public async Task Both_sides_opening_on_the_same_presence_end_with_exactly_one_tunnel()
    {
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClient romeo = Clients.Add(Builder(Server, romeoAccount, "orchard").UseXtls(o => o.OpenOnPresence = true));
        XmppClient juliet = Clients.Add(Builder(Server, julietAccount, "balcony").UseXtls(o => o.OpenOnPresence = true));
        var romeoOpened = new ConcurrentQueue<XtlsTunnel>();
        var julietOpened = new ConcurrentQueue<XtlsTunnel>();
        romeo.GetXtls().TunnelOpened += (_, e) => romeoOpened.Enqueue(e.Tunnel);
        juliet.GetXtls().TunnelOpened += (_, e) => julietOpened.Enqueue(e.Tunnel);
        using var julietInbox = new Inbox(juliet);
        using var romeoInbox = new Inbox(romeo);
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        Task romeoTunnel = romeo.GetXtlsContacts().WaitForTunnelAsync(julietAccount.Jid, Bound);
        Task julietTunnel = juliet.GetXtlsContacts().WaitForTunnelAsync(romeoAccount.Jid, Bound);

        // Each announces itself to the other at the same moment: both open on the presence they receive.
        await Task.WhenAll(Directed(romeo, juliet.Jid), Directed(juliet, romeo.Jid)).WaitAsync(Bound);
        await Task.WhenAll(romeoTunnel, julietTunnel);
        await romeo.SendAsync(ChatMessage(julietAccount.Jid, "from the orchard")).WaitAsync(Bound);
        await juliet.SendAsync(ChatMessage(romeoAccount.Jid, "from the balcony")).WaitAsync(Bound);
        XElement atJuliet = await julietInbox.NextMessageAsync();
        XElement atRomeo = await romeoInbox.NextMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(romeoOpened, Has.Count.EqualTo(1));
            Assert.That(julietOpened, Has.Count.EqualTo(1));
            Assert.That(romeo.GetXtls().OpenTunnels, Has.Count.EqualTo(1));
            Assert.That(juliet.GetXtls().OpenTunnels, Has.Count.EqualTo(1));
            Assert.That(romeoOpened.Single().Initiator, Is.Not.EqualTo(julietOpened.Single().Initiator), "one initiator, one responder");
            Assert.That(atJuliet.IsFromXtlsTunnel() && Body(atJuliet) == "from the orchard", Is.True, atJuliet.ToString());
            Assert.That(atRomeo.IsFromXtlsTunnel() && Body(atRomeo) == "from the balcony", Is.True, atRomeo.ToString());
        });
    }

    private static string Marker(string what) => $"{what}-{Guid.NewGuid():N}";

    private static Task Directed(XmppClient from, Jid to) =>
        from.SendAsync(new XElement(XName.Get("presence", XmppNamespaces.Client), new XAttribute("to", to.ToString())));

    // Each device sends its presence (with its caps) to Romeo; returns when Romeo's presence book lists them all.
    private static async Task AnnounceAsync(XmppClient romeo, params XmppClient[] devices)
    {
        PresenceBook book = romeo.GetPresenceBook();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (devices.All(d => book.Find(d.Jid) is not null))
            {
                all.TrySetResult();
            }
        }

        book.ResourceAvailable += (_, _) => Check();
        foreach (XmppClient device in devices)
        {
            await Directed(device, romeo.Jid).WaitAsync(Bound);
        }

        Check();
        await all.Task.WaitAsync(Bound);
    }

    // A control message in the clear, after everything else: once the log shows it, all before it was written.
    private async Task FlushLogAsync(XmppClient romeo, Jid to)
    {
        string control = Marker("control");
        await romeo.SendAsync(ChatMessage(to, control).SendInClear()).WaitAsync(Bound);
        using var timeout = new CancellationTokenSource(Bound);
        while (ServerFiles.Containing(Server.DirectoryPath, control).Count == 0)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private void AssertNowhereOnTheServer(string secret)
    {
        Assert.That(ServerFiles.Containing(Server.DirectoryPath, secret), Is.Empty, secret);
        foreach (string encoded in ServerFiles.Base64Forms(secret))
        {
            Assert.That(ServerFiles.Containing(Server.DirectoryPath, encoded), Is.Empty, $"{secret} as Base64 {encoded}");
        }
    }
}
