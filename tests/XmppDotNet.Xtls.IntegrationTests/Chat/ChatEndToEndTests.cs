using System.Text.Json;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.IntegrationTests.Prosody;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Chat;

/// <summary>
/// <c>xtls chat</c> end to end: two instances of the program log in to a real Prosody, one with
/// <c>--peer</c>, one with <c>--accept</c>, and talk through an XTLS tunnel by piping lines.
/// </summary>
[TestFixture]
public sealed class ChatEndToEndTests
{
    private static readonly TimeSpan Bound = ChatInstance.Bound;
    private static readonly string[] Users = ["romeo", "juliet", "nurse"];

    private ProsodyServer _server = null!;
    private string _directory = null!;

    private string Romeo => $"romeo@{_server.Domain}/orchard";

    private string Juliet => $"juliet@{_server.Domain}/balcony";

    [OneTimeSetUp]
    public async Task StartServer()
    {
        using var timeout = new CancellationTokenSource(Bound);
        _server = await ProsodyServer.StartNewAsync(cancellationToken: timeout.Token);
        foreach (string user in Users)
        {
            await _server.RegisterUserAsync(user, ChatInstance.PasswordOf(user), timeout.Token);
        }
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("xtls-chat-tests-").FullName;

    [TearDown]
    public void TearDown()
    {
        ProsodyTestReport.ReportIfTestFailed(_server);
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Two_instances_talk_both_ways_and_both_exit_0_when_one_input_ends()
    {
        string romeoPrint = Identity("romeo");
        await using ChatInstance juliet = await AcceptAsync("juliet", "balcony", "--json");
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet]);

        romeo.Input.WriteLine("Wilt thou leave me so unsatisfied?");
        string json = await juliet.Output.WaitForLineAsync(_ => true, Bound, "with romeo's message on juliet's stdout");
        juliet.Input.WriteLine("What satisfaction canst thou have tonight?");
        string reply = await romeo.Output.WaitForLineAsync(_ => true, Bound, "with juliet's reply on romeo's stdout");
        romeo.Input.End();

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(0), romeo.Transcript());
        Assert.That(await juliet.ExitCodeAsync(), Is.EqualTo(0), juliet.Transcript());
        using JsonDocument message = JsonDocument.Parse(json);
        Assert.Multiple(() =>
        {
            Assert.That(message.RootElement.GetProperty("from").GetString(), Is.EqualTo(Romeo));
            Assert.That(message.RootElement.GetProperty("to").GetString(), Is.EqualTo(Juliet));
            Assert.That(message.RootElement.GetProperty("body").GetString(), Is.EqualTo("Wilt thou leave me so unsatisfied?"));
            Assert.That(message.RootElement.GetProperty("method").GetString(), Is.EqualTo("x509"));
            Assert.That(message.RootElement.GetProperty("fingerprint").GetString(), Is.EqualTo(romeoPrint));
            Assert.That(message.RootElement.GetProperty("tls").GetString(), Is.EqualTo("TLSv1.3"));
            Assert.That(reply, Is.EqualTo($"{Juliet}: What satisfaction canst thou have tonight?"));
            Assert.That(romeo.Output.Lines, Has.Count.EqualTo(1));
            Assert.That(juliet.Output.Lines, Has.Count.EqualTo(1));
            Assert.That(romeo.Error.ToString(), Does.Contain("end of input: closing the tunnel").And.Contain("tunnel closed"));
            Assert.That(juliet.Error.ToString(), Does.Contain($"{Romeo} closed the tunnel"));
            Assert.That(File.ReadAllText(ChatInstance.KnownPeersFile(_directory, "juliet")), Does.Contain($"romeo@{_server.Domain} {romeoPrint} first-use"));
        });
    }

    [Test]
    public async Task Many_piped_lines_arrive_in_order_before_the_tunnel_closes()
    {
        await using ChatInstance juliet = await AcceptAsync("juliet", "balcony");
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet, "--quiet"]);
        string[] lines = [.. Enumerable.Range(1, 60).Select(i => $"line {i}")];

        foreach (string line in lines)
        {
            romeo.Input.WriteLine(line);
        }

        romeo.Input.End();

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(0), romeo.Transcript());
        Assert.That(await juliet.ExitCodeAsync(), Is.EqualTo(0), juliet.Transcript());
        Assert.That(juliet.Output.Lines, Is.EqualTo(lines.Select(line => $"{Romeo}: {line}")));
        Assert.That(romeo.Error.Lines, Is.Empty.Or.All.StartsWith("xtls: warning: first contact"), "--quiet keeps only warnings");
    }

    [Test]
    public async Task The_right_expected_fingerprint_without_colons_in_lower_case_is_accepted_and_pinned()
    {
        string julietPrint = Identity("juliet");
        await using ChatInstance juliet = await AcceptAsync("juliet", "balcony");
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet, "--expect-fingerprint", julietPrint.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant()]);

        romeo.Input.WriteLine("pinned");
        await juliet.Output.WaitForLineAsync(line => line.EndsWith(": pinned", StringComparison.Ordinal), Bound, "with the message");
        romeo.Input.End();

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(0), romeo.Transcript());
        Assert.That(File.ReadAllText(ChatInstance.KnownPeersFile(_directory, "romeo")), Does.Contain($"juliet@{_server.Domain} {julietPrint} pinned"));
    }

    [Test]
    public async Task A_wrong_expected_fingerprint_fails_both_sides_with_exit_code_5_and_delivers_nothing()
    {
        string julietPrint = Identity("juliet");
        string wrong = Fingerprint.Of(Guid.NewGuid().ToByteArray()).ToString();
        await using ChatInstance juliet = await AcceptAsync("juliet", "balcony");
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet, "--expect-fingerprint", wrong]);
        romeo.Input.WriteLine("this must never arrive");

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(5), romeo.Transcript());
        Assert.That(await juliet.ExitCodeAsync(), Is.EqualTo(5), juliet.Transcript());
        Assert.That(romeo.LastErrorLine, Is.EqualTo($"xtls: error: not trusted: juliet@{_server.Domain} presented {julietPrint}, which matches no --expect-fingerprint ({wrong})"));
        Assert.That(juliet.LastErrorLine, Does.StartWith($"xtls: error: the TLS layer with {Romeo} failed").And.Contain("bad_certificate"));
        Assert.That(juliet.Output.Lines, Is.Empty);
        Assert.That(File.Exists(ChatInstance.KnownPeersFile(_directory, "romeo")), Is.False, "a refused fingerprint is not recorded");
    }

    [Test]
    public async Task A_changed_fingerprint_is_refused_with_a_warning_and_exit_code_5()
    {
        string oldPrint = Fingerprint.Of(Guid.NewGuid().ToByteArray()).ToString();
        string newPrint = Identity("juliet");
        await File.WriteAllTextAsync(ChatInstance.KnownPeersFile(_directory, "romeo"), $"juliet@{_server.Domain} {oldPrint} first-use\n");
        await using ChatInstance juliet = await AcceptAsync("juliet", "balcony");
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet]);
        romeo.Input.WriteLine("this must never arrive");

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(5), romeo.Transcript());
        Assert.That(await juliet.ExitCodeAsync(), Is.EqualTo(5), juliet.Transcript());
        string warning = romeo.Error.Lines.Single(line => line.StartsWith("xtls: warning:", StringComparison.Ordinal));
        Assert.That(warning, Does.Contain($"THE FINGERPRINT OF juliet@{_server.Domain} HAS CHANGED").And.Contain(oldPrint).And.Contain("--expect-fingerprint " + newPrint));
        Assert.That(romeo.LastErrorLine, Does.StartWith("xtls: error: not trusted:"));
        Assert.That(juliet.Output.Lines, Is.Empty);
    }

    [Test]
    public async Task A_peer_that_refuses_ends_the_initiator_with_exit_code_4_and_keeps_waiting_for_its_own_peer()
    {
        await using ChatInstance juliet = await AcceptAsync("juliet", "balcony", "nurse@" + _server.Domain);
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet]);

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(4), romeo.Transcript());
        Assert.That(romeo.LastErrorLine, Does.StartWith($"xtls: error: {Juliet} refused the tunnel").And.Contain("not-acceptable"));
        await juliet.Error.WaitForLineAsync(line => line.Contains($"refused a tunnel request from {Romeo}: only nurse@{_server.Domain} is accepted", StringComparison.Ordinal), Bound, "saying juliet refused");
        Assert.That(juliet.Exit.IsCompleted, Is.False, "juliet still waits for the nurse");

        juliet.Interrupt();

        Assert.That(await juliet.ExitCodeAsync(), Is.EqualTo(130), juliet.Transcript());
        Assert.That(juliet.LastErrorLine, Is.EqualTo("xtls: error: interrupted"));
    }

    [Test]
    public async Task An_interrupted_chat_closes_the_tunnel_in_order_and_the_peer_exits_0()
    {
        await using ChatInstance juliet = await AcceptAsync("juliet", "balcony");
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet]);
        romeo.Input.WriteLine("before the interruption");
        await juliet.Output.WaitForLineAsync(_ => true, Bound, "with the message");

        romeo.Interrupt();

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(130), romeo.Transcript());
        Assert.That(await juliet.ExitCodeAsync(), Is.EqualTo(0), juliet.Transcript());
        Assert.That(juliet.Error.ToString(), Does.Contain($"{Romeo} closed the tunnel"));
    }

    [Test]
    public async Task An_srp_tunnel_uses_the_shared_password_and_has_no_fingerprint()
    {
        var shared = new Dictionary<string, string> { ["XTLS_SRP_PASSWORD"] = "a rose by any other name" };
        await using ChatInstance juliet = await AcceptAsync("juliet", "balcony", shared, "--srp", "--json");
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet, "--srp"], shared);

        romeo.Input.WriteLine("would smell as sweet");
        string json = await juliet.Output.WaitForLineAsync(_ => true, Bound, "with the message");
        romeo.Input.End();

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(0), romeo.Transcript());
        Assert.That(await juliet.ExitCodeAsync(), Is.EqualTo(0), juliet.Transcript());
        using JsonDocument message = JsonDocument.Parse(json);
        Assert.That(message.RootElement.GetProperty("method").GetString(), Is.EqualTo("srp"));
        Assert.That(message.RootElement.GetProperty("fingerprint").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(message.RootElement.GetProperty("tls").GetString(), Is.EqualTo("TLSv1.2"));
        Assert.That(message.RootElement.GetProperty("body").GetString(), Is.EqualTo("would smell as sweet"));
        Assert.That(File.Exists(ChatInstance.IdentityFile(_directory, "romeo")), Is.False, "SRP needs no identity file");
    }

    [Test]
    public async Task A_wrong_srp_password_fails_both_sides_with_exit_code_5()
    {
        await using ChatInstance juliet = await AcceptAsync("juliet", "balcony", new Dictionary<string, string> { ["XTLS_SRP_PASSWORD"] = "Montague" }, "--srp");
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet, "--srp"], new Dictionary<string, string> { ["XTLS_SRP_PASSWORD"] = "Capulet" });

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(5), romeo.Transcript());
        Assert.That(await juliet.ExitCodeAsync(), Is.EqualTo(5), juliet.Transcript());
        Assert.That(romeo.LastErrorLine, Does.StartWith("xtls: error: the TLS layer with").And.Contain("bad_record_mac"));
    }

    [Test]
    public async Task A_peer_that_is_not_online_is_exit_code_4()
    {
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet]);

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(4), romeo.Transcript());
        Assert.That(romeo.LastErrorLine, Is.EqualTo($"xtls: error: {Juliet} cannot be reached (service-unavailable): is it online, with exactly this resource?"));
    }

    [Test]
    public async Task A_wrong_account_password_is_exit_code_3()
    {
        await using ChatInstance romeo = ChatInstance.Start(_server, "romeo", "orchard", _directory, ["--peer", Juliet], new Dictionary<string, string> { ["XTLS_PASSWORD"] = "not romeo's" });

        Assert.That(await romeo.ExitCodeAsync(), Is.EqualTo(3), romeo.Transcript());
        Assert.That(romeo.LastErrorLine, Does.StartWith($"xtls: error: the server refused the login of romeo@{_server.Domain}").And.Contain("not-authorized"));
    }

    private string Identity(string user) => XtlsIdentity.LoadOrCreate(ChatInstance.IdentityFile(_directory, user)).Fingerprint.ToString();

    // Options may start with a JID, which becomes the value of --accept.
    private Task<ChatInstance> AcceptAsync(string user, string resource, params string[] options) =>
        AcceptAsync(user, resource, new Dictionary<string, string>(), options);

    // Starts an instance that waits for a tunnel, and returns once it is online and waiting.
    private async Task<ChatInstance> AcceptAsync(string user, string resource, IReadOnlyDictionary<string, string> environment, params string[] options)
    {
        ChatInstance instance = ChatInstance.Start(_server, user, resource, _directory, ["--accept", .. options], environment);
        await instance.Error.WaitForLineAsync(line => line.Contains("waiting for a tunnel request", StringComparison.Ordinal), Bound, $"saying {user} waits");
        return instance;
    }
}
