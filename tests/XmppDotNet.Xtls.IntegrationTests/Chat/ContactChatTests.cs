using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Roster;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.IntegrationTests.Prosody;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Chat;

/// <summary>
/// <c>xtls chat --peer</c> with a contact's bare JID, through a real Prosody: a presence subscription
/// asked for and approved, a tunnel to every device of the contact that supports XTLS, devices that
/// come and go, and nothing in the clear: Prosody logs every stanza in full here, and the tests search
/// its log and data for the lines typed.
/// </summary>
[TestFixture]
public sealed class ContactChatTests
{
    private static readonly TimeSpan Bound = ChatInstance.Bound;
    private static int _counter;

    private ProsodyServer _server = null!;
    private string _directory = null!;

    [SetUp]
    public async Task StartServer()
    {
        _directory = Directory.CreateTempSubdirectory("xtls-contact-chat-").FullName;
        using var timeout = new CancellationTokenSource(Bound);
        _server = await ProsodyServer.StartNewAsync(
            new ProsodyServerOptions
            {
                LogLevel = "debug",
                AdditionalGlobalSettings = """
                    modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "stanza_debug" }
                    """,
            },
            timeout.Token);
    }

    [TearDown]
    public async Task StopServer()
    {
        ProsodyTestReport.ReportIfTestFailed(_server);
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Both_devices_of_a_contact_get_every_line_through_their_own_tunnel_and_the_server_sees_none()
    {
        string[] users = await UsersAsync("romeo", "juliet");
        string romeo = users[0], juliet = users[1];
        string line = Marker("first line");
        await using ChatInstance balcony = await AcceptAsync(juliet, "balcony", romeo, "--json");
        await using ChatInstance garden = await AcceptAsync(juliet, "garden", romeo, "--json");
        await using ChatInstance orchard = ChatInstance.Start(_server, romeo, "orchard", _directory, ["--peer", Bare(juliet)]);

        await TunnelOpenAsync(orchard, juliet, "balcony");
        await TunnelOpenAsync(orchard, juliet, "garden");
        orchard.Input.WriteLine(line);
        string atBalcony = await balcony.Output.WaitForLineAsync(_ => true, Bound, "with the line at the balcony");
        string atGarden = await garden.Output.WaitForLineAsync(_ => true, Bound, "with the line in the garden");
        orchard.Input.End();

        Assert.That(await orchard.ExitCodeAsync(), Is.EqualTo(0), orchard.Transcript());
        Assert.That(await balcony.ExitCodeAsync(), Is.EqualTo(0), balcony.Transcript());
        Assert.That(await garden.ExitCodeAsync(), Is.EqualTo(0), garden.Transcript());
        await _server.StopProcessAsync();
        Assert.Multiple(() =>
        {
            AssertJson(atBalcony, from: $"{Bare(romeo)}/orchard", to: $"{Bare(juliet)}/balcony", line);
            AssertJson(atGarden, from: $"{Bare(romeo)}/orchard", to: $"{Bare(juliet)}/garden", line);
            Assert.That(orchard.Error.ToString(), Does.Contain($"asking {Bare(juliet)} for a presence subscription"));
            Assert.That(balcony.Error.ToString(), Does.Contain($"approving the presence subscription request of {Bare(romeo)}"));
            AssertServerNeverSaw(line);
            Assert.That(ServerFiles.Containing(_server.DirectoryPath, "<data xmlns='" + XtlsNamespaces.Xtls + "'"), Is.Not.Empty, "the tunnels' data IQs are in the log");
        });
    }

    [Test]
    public async Task A_device_that_leaves_is_dropped_and_one_that_comes_online_later_gets_a_tunnel_and_the_later_lines()
    {
        string[] users = await UsersAsync("romeo", "juliet");
        string romeo = users[0], juliet = users[1];
        string early = Marker("early"), late = Marker("late");
        await using ChatInstance balcony = await AcceptAsync(juliet, "balcony", romeo);
        await using ChatInstance orchard = ChatInstance.Start(_server, romeo, "orchard", _directory, ["--peer", Bare(juliet)]);
        await TunnelOpenAsync(orchard, juliet, "balcony");
        orchard.Input.WriteLine(early);
        await balcony.Output.WaitForLineAsync(l => l.EndsWith(early, StringComparison.Ordinal), Bound, "with the early line");

        balcony.Input.End();
        Assert.That(await balcony.ExitCodeAsync(), Is.EqualTo(0), balcony.Transcript());
        await orchard.Error.WaitForLineAsync(l => l.Contains($"{Bare(juliet)}/balcony closed the tunnel", StringComparison.Ordinal), Bound, "saying the balcony left");
        await using ChatInstance crypt = await AcceptAsync(juliet, "crypt", romeo);
        await TunnelOpenAsync(orchard, juliet, "crypt");
        orchard.Input.WriteLine(late);
        await crypt.Output.WaitForLineAsync(l => l.EndsWith(late, StringComparison.Ordinal), Bound, "with the late line");
        orchard.Input.End();

        Assert.That(await orchard.ExitCodeAsync(), Is.EqualTo(0), orchard.Transcript());
        Assert.That(await crypt.ExitCodeAsync(), Is.EqualTo(0), crypt.Transcript());
        await _server.StopProcessAsync();
        Assert.Multiple(() =>
        {
            Assert.That(balcony.Output.Lines, Is.EqualTo(new[] { $"{Bare(romeo)}/orchard: {early}" }));
            Assert.That(crypt.Output.Lines, Is.EqualTo(new[] { $"{Bare(romeo)}/orchard: {late}" }));
            AssertServerNeverSaw(early);
            AssertServerNeverSaw(late);
        });
    }

    [Test]
    public async Task With_several_expected_fingerprints_only_the_devices_that_present_one_of_them_get_a_tunnel()
    {
        string[] users = await UsersAsync("romeo", "juliet");
        string romeo = users[0], juliet = users[1];
        string balconyPrint = XtlsIdentity.LoadOrCreate(ChatInstance.IdentityFile(_directory, "balcony")).Fingerprint.ToString();
        string gardenPrint = XtlsIdentity.LoadOrCreate(ChatInstance.IdentityFile(_directory, "garden")).Fingerprint.ToString();
        string line = Marker("pinned line");
        await using ChatInstance balcony = await AcceptAsync(juliet, "balcony", romeo, device: "balcony");
        await using ChatInstance garden = await AcceptAsync(juliet, "garden", romeo, device: "garden");
        await using ChatInstance orchard = ChatInstance.Start(_server, romeo, "orchard", _directory, ["--peer", Bare(juliet), "--expect-fingerprint", balconyPrint]);

        await TunnelOpenAsync(orchard, juliet, "balcony");
        await garden.Error.WaitForLineAsync(l => l.StartsWith("xtls: error:", StringComparison.Ordinal), Bound, "with the garden refused");
        orchard.Input.WriteLine(line);
        await balcony.Output.WaitForLineAsync(l => l.EndsWith(line, StringComparison.Ordinal), Bound, "with the line at the balcony");
        orchard.Input.End();

        Assert.That(await orchard.ExitCodeAsync(), Is.EqualTo(0), orchard.Transcript());
        Assert.That(await garden.ExitCodeAsync(), Is.EqualTo(5), garden.Transcript());
        Assert.Multiple(() =>
        {
            Assert.That(garden.Output.Lines, Is.Empty);
            Assert.That(orchard.Error.ToString(), Does.Contain(gardenPrint).And.Contain("matches no --expect-fingerprint"));
            Assert.That(File.ReadAllText(ChatInstance.KnownPeersFile(_directory, romeo)), Does.Contain(balconyPrint).And.Not.Contain(gardenPrint));
        });
    }

    [Test]
    public async Task A_contact_that_never_comes_online_ends_the_chat_with_exit_code_4_after_the_wait()
    {
        string[] users = await UsersAsync("romeo", "nurse");
        string romeo = users[0], nurse = users[1];
        await using ChatInstance orchard = ChatInstance.Start(_server, romeo, "orchard", _directory, ["--peer", Bare(nurse), "--wait", "2"]);
        orchard.Input.WriteLine("never sent");

        Assert.That(await orchard.ExitCodeAsync(), Is.EqualTo(4), orchard.Transcript());
        Assert.That(orchard.LastErrorLine, Does.StartWith($"xtls: error: no tunnel to {Bare(nurse)} within 2 s"));
    }

    [Test]
    public async Task A_contact_whose_only_device_has_no_XTLS_is_never_written_to_in_the_clear()
    {
        string[] users = await UsersAsync("romeo", "juliet");
        string romeo = users[0], juliet = users[1];
        string line = Marker("not in the clear");
        await using XmppClient plain = PlainClient(juliet, "tablet", approve: Bare(romeo));
        await plain.ConnectAsync().WaitAsync(Bound);
        await using ChatInstance orchard = ChatInstance.Start(_server, romeo, "orchard", _directory, ["--peer", Bare(juliet), "--wait", "3"]);
        orchard.Input.WriteLine(line);

        Assert.That(await orchard.ExitCodeAsync(), Is.EqualTo(4), orchard.Transcript());
        await _server.StopProcessAsync();
        Assert.That(orchard.LastErrorLine, Does.StartWith($"xtls: error: no tunnel to {Bare(juliet)} within 3 s"));
        AssertServerNeverSaw(line);
    }

    [Test]
    public async Task A_contact_that_announces_XTLS_by_disco_info_only_is_chatted_with_through_a_tunnel()
    {
        string[] users = await UsersAsync("romeo", "juliet");
        string romeo = users[0], juliet = users[1];
        string line = Marker("asked by disco");
        await using XmppClient discoOnly = XtlsClientWithoutCaps(juliet, "laptop", approve: Bare(romeo));
        discoOnly.StanzaReceived += (_, e) =>
        {
            // An echo through the tunnel, as another implementation's bot would answer.
            if (e.Stanza.Name.LocalName == "message" && e.Stanza.IsFromXtlsTunnel() && e.Stanza.Element(XName.Get("body", XmppNamespaces.Client)) is { } body)
            {
                _ = discoOnly.SendAsync(new XElement(
                    XName.Get("message", XmppNamespaces.Client),
                    new XAttribute("to", (string)e.Stanza.Attribute("from")!),
                    new XAttribute("type", "chat"),
                    new XElement(XName.Get("body", XmppNamespaces.Client), "echo: " + body.Value)));
            }
        };
        await discoOnly.ConnectAsync().WaitAsync(Bound);
        await using ChatInstance orchard = ChatInstance.Start(_server, romeo, "orchard", _directory, ["--peer", Bare(juliet)]);

        await TunnelOpenAsync(orchard, juliet, "laptop");
        orchard.Input.WriteLine(line);
        string echo = await orchard.Output.WaitForLineAsync(_ => true, Bound, "with the echo");
        orchard.Input.End();

        Assert.That(await orchard.ExitCodeAsync(), Is.EqualTo(0), orchard.Transcript());
        await _server.StopProcessAsync();
        Assert.That(echo, Is.EqualTo($"{Bare(juliet)}/laptop: echo: {line}"));
        AssertServerNeverSaw(line);
    }

    [Test]
    public async Task Accept_with_a_bare_JID_approves_that_contact_only()
    {
        string[] users = await UsersAsync("juliet", "nurse");
        string juliet = users[0], nurse = users[1];
        string romeo = (await UsersAsync("romeo"))[0];
        await using ChatInstance balcony = await AcceptAsync(juliet, "balcony", romeo);
        await using XmppClient nurseClient = PlainClient(nurse, "kitchen", approve: null);
        await nurseClient.ConnectAsync().WaitAsync(Bound);

        await nurseClient.GetRoster().RequestSubscriptionAsync(Jid.Parse(Bare(juliet))).WaitAsync(Bound);
        await balcony.Error.WaitForLineAsync(l => l.Contains($"left the presence subscription request of {Bare(nurse)} unanswered", StringComparison.Ordinal), Bound, "saying the nurse's request was left");
        balcony.Interrupt();

        Assert.That(await balcony.ExitCodeAsync(), Is.EqualTo(130), balcony.Transcript());
        Assert.That(nurseClient.GetRoster().Find(Jid.Parse(Bare(juliet)))?.Subscription, Is.Not.EqualTo(RosterSubscription.To).And.Not.EqualTo(RosterSubscription.Both));
    }

    private static string Marker(string what) => $"{what} {Guid.NewGuid():N}";

    private static void AssertJson(string json, string from, string to, string body)
    {
        using JsonDocument message = JsonDocument.Parse(json);
        Assert.That(message.RootElement.GetProperty("from").GetString(), Is.EqualTo(from), json);
        Assert.That(message.RootElement.GetProperty("to").GetString(), Is.EqualTo(to), json);
        Assert.That(message.RootElement.GetProperty("body").GetString(), Is.EqualTo(body), json);
        Assert.That(message.RootElement.GetProperty("method").GetString(), Is.EqualTo("x509"), json);
    }

    private static async Task TunnelOpenAsync(ChatInstance instance, string user, string resource) =>
        await instance.Error.WaitForLineAsync(
            l => l.Contains($"tunnel open with {user}@", StringComparison.Ordinal) && l.Contains($"/{resource}:", StringComparison.Ordinal),
            Bound,
            $"saying the tunnel to {resource} is open");

    private void AssertServerNeverSaw(string secret)
    {
        Assert.That(ServerFiles.Containing(_server.DirectoryPath, secret), Is.Empty, secret);
        foreach (string encoded in ServerFiles.Base64Forms(secret))
        {
            Assert.That(ServerFiles.Containing(_server.DirectoryPath, encoded), Is.Empty, $"{secret} as Base64 {encoded}");
        }

        // The control: the log holds stanzas in full, so the secret was not missed for want of logging.
        Assert.That(ServerFiles.Containing(_server.DirectoryPath, "<presence"), Is.Not.Empty);
    }

    private string Bare(string user) => $"{user}@{_server.Domain}";

    private async Task<string[]> UsersAsync(params string[] prefixes)
    {
        var users = new string[prefixes.Length];
        for (int i = 0; i < prefixes.Length; i++)
        {
            users[i] = string.Create(CultureInfo.InvariantCulture, $"{prefixes[i]}{Interlocked.Increment(ref _counter)}");
            await _server.RegisterUserAsync(users[i], ChatInstance.PasswordOf(users[i]));
        }

        return users;
    }

    private XmppClientBuilder Builder(string user, string resource, string? approve)
    {
        XmppClientBuilder builder = new XmppClientBuilder()
            .WithJid($"{user}@{_server.Domain}")
            .WithPassword(ChatInstance.PasswordOf(user))
            .WithResource(resource)
            .WithTcpServer(_server.Host, _server.Port)
            .WithPinnedServerCertificate(_server.Certificate);
        if (approve is not null)
        {
            Jid approved = Jid.Parse(approve);
            builder.Configure(o => o.AutoApprove = jid => jid.Bare == approved);
        }

        return builder;
    }

    private XmppClient PlainClient(string user, string resource, string? approve) => Builder(user, resource, approve).Build();

    private XmppClient XtlsClientWithoutCaps(string user, string resource, string approve) =>
        Builder(user, resource, approve)
            .Configure(o => o.AnnounceCapabilities = false)
            .UseXtls(xtls => xtls.Identity = XtlsIdentity.Generate())
            .Build();

    // Starts an instance that waits for a tunnel from the given user only, and returns once it is online and waiting.
    private async Task<ChatInstance> AcceptAsync(string user, string resource, string from, string? option = null, string? device = null)
    {
        string[] mode = option is null ? ["--accept", Bare(from)] : ["--accept", Bare(from), option];
        ChatInstance instance = ChatInstance.Start(_server, user, resource, _directory, mode, device: device);
        await instance.Error.WaitForLineAsync(line => line.Contains("waiting for a tunnel request", StringComparison.Ordinal), Bound, $"saying {user}/{resource} waits");
        return instance;
    }
}
