using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Prosody;

/// <summary>The Prosody test server itself, checked over raw sockets (no client library involved).</summary>
[TestFixture]
public sealed class ProsodyServerTests
{
    private static readonly XName Features = XName.Get("features", XmppNamespaces.Streams);
    private static readonly XName StreamError = XName.Get("error", XmppNamespaces.Streams);
    private static readonly XName StartTls = XName.Get("starttls", XmppNamespaces.Tls);
    private static readonly XName Required = XName.Get("required", XmppNamespaces.Tls);
    private static readonly XName Mechanisms = XName.Get("mechanisms", XmppNamespaces.Sasl);

    private CancellationTokenSource _timeout = null!;
    private ProsodyServer? _server;

    private CancellationToken Deadline => _timeout.Token;

    [SetUp]
    public void SetUp() => _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

    [TearDown]
    public async Task TearDown()
    {
        ProsodyTestReport.ReportIfTestFailed(_server);
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        _timeout.Dispose();
    }

    [Test]
    public async Task Started_server_answers_a_stream_header_from_its_domain_and_requires_starttls()
    {
        _server = await ProsodyServer.StartNewAsync(cancellationToken: Deadline);

        await using var client = await RawXmppClient.ConnectAsync(_server.Host, _server.Port, Deadline);
        var header = await client.OpenStreamAsync(_server.Domain, Deadline);
        var features = await client.ReadElementAsync(Deadline);

        Assert.Multiple(() =>
        {
            Assert.That(_server.IsRunning, Is.True);
            Assert.That(header.From, Is.EqualTo("xtls.test"));
            Assert.That(header.Version, Is.EqualTo("1.0"));
            Assert.That(header.Id, Is.Not.Null.And.Not.Empty);
            Assert.That(features.Name, Is.EqualTo(Features));
            Assert.That(features.Element(StartTls)?.Element(Required), Is.Not.Null, features.ToString());
            Assert.That(features.Element(Mechanisms), Is.Null, "no authentication before TLS: " + features);
        });
    }

    [Test]
    public async Task Server_listens_on_127_0_0_1_only()
    {
        _server = await ProsodyServer.StartNewAsync(cancellationToken: Deadline);
        var otherAddresses = NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(address => !IPAddress.IsLoopback(address) && !address.IsIPv6LinkLocal)
            .Append(IPAddress.IPv6Loopback)
            .ToList();

        foreach (var address in otherAddresses)
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(Deadline);
            attempt.CancelAfter(TimeSpan.FromSeconds(5));
            var connect = async () => await socket.ConnectAsync(address, _server.Port, attempt.Token);
            Assert.That(
                connect,
                Throws.InstanceOf<SocketException>().Or.InstanceOf<OperationCanceledException>(),
                $"{address} port {_server.Port}");
        }

        Assert.That(await LoopbackPort.AcceptsConnectionsAsync(_server.Host, _server.Port), Is.True);
    }

    [Test]
    public async Task Registered_user_logs_in_over_tls_with_the_pinned_certificate()
    {
        _server = await ProsodyServer.StartNewAsync(cancellationToken: Deadline);
        await _server.RegisterUserAsync("alice", "correct horse", Deadline);
        X509Certificate? presented = null;

        await using var client = await RawXmppClient.ConnectAsync(_server.Host, _server.Port, Deadline);
        await client.OpenStreamAsync(_server.Domain, Deadline);
        await client.ReadElementAsync(Deadline);
        var header = await client.StartTlsAsync(
            _server.Domain,
            certificate =>
            {
                presented = certificate;
                return _server.IsServerCertificate(certificate);
            },
            Deadline);
        var features = await client.ReadElementAsync(Deadline);
        var outcome = await client.AuthenticatePlainAsync("alice", "correct horse", Deadline);

        Assert.Multiple(() =>
        {
            Assert.That(presented?.GetRawCertData(), Is.EqualTo(_server.Certificate.RawData));
            Assert.That(header.From, Is.EqualTo(_server.Domain));
            Assert.That(features.Element(StartTls), Is.Null, "no second STARTTLS: " + features);
            Assert.That(
                features.Element(Mechanisms)?.Elements().Select(mechanism => mechanism.Value),
                Does.Contain("PLAIN"));
            Assert.That(outcome.Name, Is.EqualTo(XName.Get("success", XmppNamespaces.Sasl)), outcome.ToString());
        });
    }

    [Test]
    public async Task Wrong_password_is_refused()
    {
        _server = await ProsodyServer.StartNewAsync(cancellationToken: Deadline);
        await _server.RegisterUserAsync("bob", "right", Deadline);

        var outcome = await LogInAsync(_server, "bob", "wrong");

        Assert.That(outcome.Name, Is.EqualTo(XName.Get("failure", XmppNamespaces.Sasl)), outcome.ToString());
        Assert.That(outcome.Element(XName.Get("not-authorized", XmppNamespaces.Sasl)), Is.Not.Null, outcome.ToString());
    }

    [Test]
    public void Exported_certificate_names_the_domain_and_carries_no_private_key()
    {
        _server = new ProsodyServer(new ProsodyServerOptions { Domain = "pinned.example" });
        var names = _server.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames();

        Assert.Multiple(() =>
        {
            Assert.That(names.Single(), Is.EqualTo("pinned.example"));
            Assert.That(_server.Certificate.HasPrivateKey, Is.False);
            Assert.That(_server.Certificate.GetECDsaPublicKey()?.KeySize, Is.EqualTo(256));
            Assert.That(_server.CertificatePem, Does.StartWith("-----BEGIN CERTIFICATE-----"));
            Assert.That(File.ReadAllText(_server.CertificatePath), Is.EqualTo(_server.CertificatePem));
            Assert.That(_server.IsServerCertificate(_server.Certificate), Is.True);
        });
    }

    [Test]
    public async Task StopAsync_closes_the_port_and_deletes_the_directory()
    {
        _server = await ProsodyServer.StartNewAsync(cancellationToken: Deadline);
        var port = _server.Port;
        var directory = _server.DirectoryPath;
        Assert.That(Directory.Exists(directory), Is.True);

        await _server.StopAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(_server.IsRunning, Is.False);
            Assert.That(Directory.Exists(directory), Is.False);
            var connect = async () => await RawXmppClient.ConnectAsync(_server.Host, port, Deadline);
            Assert.That(
                connect,
                Throws.InstanceOf<SocketException>().With.Property(nameof(SocketException.SocketErrorCode)).EqualTo(SocketError.ConnectionRefused));
            Assert.That(await LoopbackPort.AcceptsConnectionsAsync(_server.Host, port), Is.False);
        });
    }

    [Test]
    public async Task Restart_serves_the_same_port_and_keeps_the_users()
    {
        _server = await ProsodyServer.StartNewAsync(cancellationToken: Deadline);
        await _server.RegisterUserAsync("carol", "secret", Deadline);
        var port = _server.Port;

        await _server.RestartAsync(ShutdownMode.Kill, Deadline);
        var outcome = await LogInAsync(_server, "carol", "secret");

        Assert.Multiple(() =>
        {
            Assert.That(_server.Port, Is.EqualTo(port));
            Assert.That(outcome.Name, Is.EqualTo(XName.Get("success", XmppNamespaces.Sasl)), outcome.ToString());
        });
    }

    [Test]
    public async Task Graceful_stop_ends_open_streams_with_system_shutdown()
    {
        _server = await ProsodyServer.StartNewAsync(cancellationToken: Deadline);
        await using var client = await RawXmppClient.ConnectAsync(_server.Host, _server.Port, Deadline);
        await client.OpenStreamAsync(_server.Domain, Deadline);
        await client.ReadElementAsync(Deadline);

        var nextElement = client.ReadElementAsync(Deadline);
        await _server.StopProcessAsync(ShutdownMode.Graceful);
        var error = await nextElement;

        Assert.Multiple(() =>
        {
            Assert.That(error.Name, Is.EqualTo(StreamError), error.ToString());
            Assert.That(error.Element(XName.Get("system-shutdown", XmppNamespaces.StreamErrors)), Is.Not.Null, error.ToString());
            Assert.That(_server.IsRunning, Is.False);
            Assert.That(Directory.Exists(_server.DirectoryPath), Is.True, "only StopAsync deletes the directory");
        });
    }

    [Test]
    public async Task Killed_server_drops_open_streams_without_a_word()
    {
        _server = await ProsodyServer.StartNewAsync(cancellationToken: Deadline);
        await using var client = await RawXmppClient.ConnectAsync(_server.Host, _server.Port, Deadline);
        await client.OpenStreamAsync(_server.Domain, Deadline);
        await client.ReadElementAsync(Deadline);

        var nextElement = client.ReadElementAsync(Deadline);
        await _server.StopProcessAsync(ShutdownMode.Kill);

        // A FIN ends the XML document unfinished, a RST fails the read: either way no element arrives.
        Assert.That(async () => await nextElement, Throws.InstanceOf<XmlException>().Or.InstanceOf<IOException>());
    }

    [Test]
    public async Task Start_moves_to_another_port_when_the_picked_one_is_taken()
    {
        var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        try
        {
            var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
            var picks = new Queue<int>([taken, FreeTcpPort.Pick()]);
            _server = new ProsodyServer(new ProsodyServerOptions(), picks.Dequeue);

            await _server.StartAsync(Deadline);

            Assert.Multiple(() =>
            {
                Assert.That(_server.Port, Is.Not.EqualTo(taken));
                Assert.That(picks, Is.Empty, "both picks used");
                Assert.That(_server.ReadLogTail(), Does.Contain($"Failed to open server port {taken}"));
            });
        }
        finally
        {
            squatter.Stop();
        }
    }

    [Test]
    public async Task Start_on_a_fixed_port_in_use_fails_with_the_log_tail()
    {
        var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        try
        {
            var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
            _server = new ProsodyServer(new ProsodyServerOptions { Port = taken });

            var start = async () => await _server.StartAsync(Deadline);

            Assert.That(
                start,
                Throws.InstanceOf<ProsodyStartException>()
                    .With.Message.Contains("in use")
                    .And.Message.Contains($"Failed to open server port {taken}"));
            Assert.That(_server.IsRunning, Is.False);
        }
        finally
        {
            squatter.Stop();
        }
    }

    [Test]
    public void Start_fails_at_once_when_the_server_offers_no_starttls()
    {
        // The test's own settings come last, so they can take mod_tls away again.
        _server = new ProsodyServer(new ProsodyServerOptions
        {
            AdditionalGlobalSettings = "modules_enabled = { \"roster\", \"saslauth\", \"disco\", \"ping\" }",
        });

        Assert.That(
            async () => await _server.StartAsync(Deadline),
            Throws.InstanceOf<ProsodyStartException>().With.Message.Contains("offers no STARTTLS"));
        Assert.That(_server.IsRunning, Is.False);
    }

    [Test]
    public async Task Registering_an_existing_user_again_replaces_the_password()
    {
        _server = await ProsodyServer.StartNewAsync(cancellationToken: Deadline);
        await _server.RegisterUserAsync("dave", "first", Deadline);

        await _server.RegisterUserAsync("dave", "second", Deadline);

        Assert.Multiple(async () =>
        {
            Assert.That((await LogInAsync(_server, "dave", "first")).Name.LocalName, Is.EqualTo("failure"));
            Assert.That((await LogInAsync(_server, "dave", "second")).Name.LocalName, Is.EqualTo("success"));
        });
    }

    [Test]
    public async Task Users_registered_before_the_first_start_can_log_in()
    {
        _server = new ProsodyServer();
        await _server.RegisterUserAsync("frank", "early", Deadline);

        await _server.StartAsync(Deadline);

        Assert.That((await LogInAsync(_server, "frank", "early")).Name.LocalName, Is.EqualTo("success"));
    }

    [Test]
    public void Register_refuses_control_characters_before_running_prosodyctl()
    {
        _server = new ProsodyServer();

        Assert.That(
            async () => await _server.RegisterUserAsync("eve", "pass\nword\n", Deadline),
            Throws.ArgumentException);
    }

    [Test]
    public async Task Users_written_in_bulk_log_in_before_and_after_a_restart_and_wrong_passwords_fail()
    {
        _server = new ProsodyServer();
        await _server.RegisterUsersAsync([new("bulk0", "pw-zero"), new("bulk1", "pw-one"), new("bulk.2", "pw-two")], Deadline);
        await _server.StartAsync(Deadline);

        var first = await LogInAsync(_server, "bulk0", "pw-zero");
        await _server.RestartAsync(ShutdownMode.Kill, Deadline);

        Assert.Multiple(async () =>
        {
            Assert.That(first.Name.LocalName, Is.EqualTo("success"), first.ToString());
            Assert.That((await LogInAsync(_server, "bulk1", "pw-one")).Name.LocalName, Is.EqualTo("success"));
            Assert.That((await LogInAsync(_server, "bulk.2", "pw-two")).Name.LocalName, Is.EqualTo("success"));
            Assert.That((await LogInAsync(_server, "bulk1", "pw-zero")).Name.LocalName, Is.EqualTo("failure"));
        });
    }

    [TestCase("Upper", "pw")]
    [TestCase("with space", "pw")]
    [TestCase("ok", "has space")]
    [TestCase("ok", "")]
    public void Bulk_registration_refuses_names_and_passwords_it_cannot_write_faithfully(string user, string password)
    {
        _server = new ProsodyServer();

        Assert.That(
            async () => await _server.RegisterUsersAsync([new(user, password)], Deadline),
            Throws.ArgumentException);
    }

    private async Task<XElement> LogInAsync(ProsodyServer server, string user, string password)
    {
        await using var client = await RawXmppClient.ConnectAsync(server.Host, server.Port, Deadline);
        await client.OpenStreamAsync(server.Domain, Deadline);
        await client.ReadElementAsync(Deadline);
        await client.StartTlsAsync(server.Domain, server.IsServerCertificate, Deadline);
        await client.ReadElementAsync(Deadline);
        return await client.AuthenticatePlainAsync(user, password, Deadline);
    }
}
