using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.IntegrationTests.Prosody;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Ejabberd;

/// <summary>
/// The ejabberd test server itself: a private node (own name, cookie, spool, log, no epmd) that answers
/// XMPP with STARTTLS on loopback, keeps its accounts across a restart, and leaves nothing behind. The server's
/// own operations are not cut short here: each has its own bound, and one abandoned mid-start would leave a node.
/// </summary>
[TestFixture]
public sealed class EjabberdServerTests
{
    private EjabberdServer? _server;

    [OneTimeSetUp]
    public void RequireEjabberd() => ServerRequirement.RequireEjabberd();

    [TearDown]
    public async Task TearDown()
    {
        ProsodyTestReport.ReportIfTestFailed(_server);
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    [Test]
    public async Task Started_server_requires_starttls_and_its_accounts_log_in_before_and_after_a_restart()
    {
        _server = await EjabberdServer.StartNewAsync();
        await using (var raw = await RawXmppClient.ConnectAsync(_server.Host, _server.Port, CancellationToken.None))
        {
            StreamHeader header = await raw.OpenStreamAsync(_server.Domain, CancellationToken.None).WaitAsync(ProsodyClients.Bound);
            XElement features = await raw.ReadElementAsync(CancellationToken.None).WaitAsync(ProsodyClients.Bound);
            Assert.Multiple(() =>
            {
                Assert.That(header.From, Is.EqualTo(_server.Domain));
                Assert.That(features.Element(XName.Get("starttls", XmppNamespaces.Tls))?.Element(XName.Get("required", XmppNamespaces.Tls)), Is.Not.Null, features.ToString());
            });
        }

        TestAccount romeo = await TestAccount.RegisterAsync(_server, "romeo");
        await using (XmppClient client = ProsodyClients.Builder(_server, romeo, "orchard").Build())
        {
            await client.ConnectAsync().WaitAsync(ProsodyClients.Bound);
            Assert.That(client.State, Is.EqualTo(SessionState.Online));
        }

        int port = _server.Port;
        await _server.RestartAsync(ShutdownMode.Graceful);
        await using (XmppClient client = ProsodyClients.Builder(_server, romeo, "orchard").Build())
        {
            await client.ConnectAsync().WaitAsync(ProsodyClients.Bound);
            Assert.Multiple(() =>
            {
                Assert.That(client.State, Is.EqualTo(SessionState.Online), "the account is kept in the spool");
                Assert.That(_server.Port, Is.EqualTo(port));
            });
        }
    }

    [Test]
    public async Task Many_accounts_are_registered_at_once_and_each_can_log_in()
    {
        _server = await EjabberdServer.StartNewAsync();
        var accounts = Enumerable.Range(0, 30)
            .Select(i => new KeyValuePair<string, string>(string.Create(CultureInfo.InvariantCulture, $"bulk{i}"), "pw\"\\" + i.ToString(CultureInfo.InvariantCulture)))
            .ToList();
        await _server.RegisterUsersAsync(accounts);

        foreach (var (user, password) in new[] { accounts[0], accounts[^1] })
        {
            await using XmppClient client = ProsodyClients.Builder(_server, new TestAccount(_server.UserJid(user), password), "r").Build();
            await client.ConnectAsync().WaitAsync(ProsodyClients.Bound);
            Assert.That(client.State, Is.EqualTo(SessionState.Online), user);
        }

        Assert.That(
            async () => await _server.RegisterUsersAsync([accounts[0]]),
            Throws.InvalidOperationException,
            "an existing account fails the batch");
    }

    [Test]
    public async Task Stopping_kills_the_node_and_deletes_its_directory_and_the_system_node_is_never_used()
    {
        _server = await EjabberdServer.StartNewAsync();
        string directory = _server.DirectoryPath;
        string node = _server.NodeName;
        string config = await File.ReadAllTextAsync(_server.ConfigPath);
        Assert.Multiple(() =>
        {
            Assert.That(ProcessesNamed(node), Has.Count.EqualTo(1), "one Erlang node runs under the private name");
            Assert.That(node, Does.StartWith("xtls-").And.EndWith("@127.0.0.1"));
            Assert.That(config, Does.Contain("mod_stream_mgmt").And.Contain("c2s_shaper: none").And.Contain("ip: '127.0.0.1'"));
            Assert.That(config, Does.Not.Contain("/etc/ejabberd").And.Not.Contain("/var/lib/ejabberd"));
        });

        await _server.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(ProcessesNamed(node), Is.Empty, "no process of the node is left");
            Assert.That(Directory.Exists(directory), Is.False);
            Assert.That(_server.IsRunning, Is.False);
        });
    }

    [Test]
    public async Task The_stock_shaper_is_configured_when_asked_for()
    {
        _server = new EjabberdServer(new EjabberdServerOptions { Shaper = EjabberdShaper.Stock });
        await _server.StartAsync();
        string config = await File.ReadAllTextAsync(_server.ConfigPath);
        Assert.That(config, Does.Contain("c2s_shaper: normal").And.Contain("rate: 3000"));
    }

    [Test]
    public void Accounts_need_a_running_server_and_safe_names()
    {
        _server = new EjabberdServer();
        Assert.Multiple(() =>
        {
            Assert.That(async () => await _server.RegisterUserAsync("romeo", "pw"), Throws.InvalidOperationException);
            Assert.That(async () => await _server.RegisterUserAsync("Romeo'", "pw"), Throws.ArgumentException);
            Assert.That(async () => await _server.RegisterUserAsync("romeo", "with space"), Throws.ArgumentException);
        });
    }

    /// <summary>The processes whose command line names <paramref name="node"/> (Linux /proc).</summary>
    private static List<int> ProcessesNamed(string node)
    {
        var found = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                string commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("-name " + node, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile.
            }
        }

        return found;
    }
}
