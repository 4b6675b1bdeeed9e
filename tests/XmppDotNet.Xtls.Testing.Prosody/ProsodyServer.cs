using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>
/// A real Prosody for one test fixture: its own temporary directory with configuration, data,
/// log and a fresh self-signed certificate, client connections on 127.0.0.1 only, on a port no
/// other server uses. It never touches a system-wide Prosody. Dispose it to kill the process and
/// delete the directory.
/// </summary>
public sealed partial class ProsodyServer : ITestXmppServer
{
    private const int MaxPortAttempts = 5;
    private const int LogTailLines = 60;
    private const int MaxLogBytesRead = 256 * 1024;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PortCloseTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProsodyCtlTimeout = TimeSpan.FromSeconds(30);

    private readonly ProsodyServerOptions _options;
    private readonly Func<int> _pickPort;
    private readonly ProsodyInstallation _installation;
    private readonly ProsodyServerLayout _layout;
    private readonly TestServerCertificate _certificate;
    private readonly OutputTail _output = new(200);
    private Process? _process;
    private bool _portSettled;
    private bool _stopped;
    private string _lastProbeFailure = "none";

    /// <summary>
    /// Prepares a server (directory, certificate, port) without starting it.
    /// Throws <see cref="ProsodyStartException"/> when Prosody is not installed.
    /// </summary>
    public ProsodyServer(ProsodyServerOptions? options = null)
        : this(options ?? new ProsodyServerOptions(), FreeTcpPort.Pick)
    {
    }

    /// <summary>Lets tests of this class choose which ports are tried.</summary>
    internal ProsodyServer(ProsodyServerOptions options, Func<int> pickPort)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!DomainPattern().IsMatch(options.Domain))
        {
            throw new ArgumentException($"'{options.Domain}' is not a plain DNS domain.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535, nameof(options));
        _options = options;
        _pickPort = pickPort;
        _installation = ProsodyInstallation.Require();
        _certificate = TestServerCertificate.Issue(options.Domain);
        _layout = new ProsodyServerLayout(Directory.CreateTempSubdirectory("xtls-prosody-").FullName, options.Domain);
        _layout.Create(_certificate);
        Port = options.Port != 0 ? options.Port : pickPort();
        WriteConfig(); // prosodyctl needs it even before the first start
    }

    /// <inheritdoc />
    public string Product => "Prosody";

    /// <summary>The XMPP domain the server hosts.</summary>
    public string Domain => _options.Domain;

    /// <summary>The address to connect to: always 127.0.0.1.</summary>
    public string Host { get; } = ProsodyConfigFile.LoopbackAddress;

    /// <summary>The client-to-server port (STARTTLS, encryption required).</summary>
    public int Port { get; private set; }

    /// <summary>The server's own temporary directory; gone after <see cref="StopAsync"/>.</summary>
    public string DirectoryPath => _layout.Root;

    /// <summary>The generated Lua configuration file.</summary>
    public string ConfigPath => _layout.ConfigFile;

    /// <summary>Prosody's log file.</summary>
    public string LogPath => _layout.LogFile;

    /// <summary>The server's certificate (public part), for clients to pin.</summary>
    public X509Certificate2 Certificate => _certificate.Certificate;

    /// <summary>The server's certificate in PEM form.</summary>
    public string CertificatePem => _certificate.CertificatePem;

    /// <summary>The PEM file of the server's certificate.</summary>
    public string CertificatePath => _layout.CertificateFile;

    /// <summary>True while the Prosody process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The CPU time the running Prosody process has used so far (zero while none runs), for benchmarks.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            var process = _process;
            if (process is null)
            {
                return TimeSpan.Zero;
            }

            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>Creates a server and starts it; on failure nothing is left behind.</summary>
    public static async Task<ProsodyServer> StartNewAsync(ProsodyServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new ProsodyServer(options);
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The bare JID of <paramref name="user"/> on this server.</summary>
    public Jid UserJid(string user) => new(user, Domain);

    /// <summary>True when <paramref name="presented"/> is this server's certificate, byte for byte.</summary>
    public bool IsServerCertificate(X509Certificate? presented) => _certificate.Matches(presented);

    /// <summary>A TLS validation callback that accepts this server's certificate and nothing else.</summary>
    public bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        IsServerCertificate(certificate);

    /// <summary>
    /// Starts Prosody and returns once its port answers an XMPP stream header. Also brings a
    /// server back after <see cref="StopProcessAsync"/>, on the same port and with the same users.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopped, this);
        if (_process is not null)
        {
            throw new InvalidOperationException("The server is already running.");
        }

        var deadline = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            if (await TryStartOnPortAsync(deadline, cancellationToken))
            {
                _portSettled = true;
                return;
            }

            var mayMove = !_portSettled && _options.Port == 0 && attempt < MaxPortAttempts;
            if (!mayMove)
            {
                throw new ProsodyStartException($"Prosody could not listen on {Host}:{Port} (the port is in use).{Diagnostics()}");
            }

            Port = _pickPort();
        }
    }

    /// <summary>
    /// Ends the Prosody process but keeps its directory, users and port, so that
    /// <see cref="StartAsync"/> can bring it back. Returns once the port refuses connections.
    /// </summary>
    public async Task StopProcessAsync(ShutdownMode mode = ShutdownMode.Graceful)
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        _process = null;
        try
        {
            await ChildProcess.EndAsync(process, mode, GracePeriod);
        }
        finally
        {
            process.Dispose();
        }

        await WaitUntilPortRefusesAsync();
    }

    /// <summary>Stops the process (see <see cref="StopProcessAsync"/>) and starts it again on the same port.</summary>
    public async Task RestartAsync(ShutdownMode mode = ShutdownMode.Graceful, CancellationToken cancellationToken = default)
    {
        await StopProcessAsync(mode);
        await StartAsync(cancellationToken);
    }

    /// <summary>Stops the server for good: ends the process and deletes its directory. Safe to call twice.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        try
        {
            await StopProcessAsync(ShutdownMode.Graceful);
        }
        finally
        {
            _stopped = true;
            if (Directory.Exists(_layout.Root))
            {
                Directory.Delete(_layout.Root, recursive: true);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _certificate.Dispose();
        }
    }

    /// <summary>Creates an account with <c>prosodyctl register</c>; works whether or not the server runs.</summary>
    public async Task RegisterUserAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentException.ThrowIfNullOrEmpty(password);
        if (user.Any(char.IsControl) || password.Any(char.IsControl))
        {
            throw new ArgumentException("User names and passwords for the test server cannot contain control characters.");
        }

        ObjectDisposedException.ThrowIf(_stopped, this);
        var output = new OutputTail(50);
        var exitCode = await ChildProcess.RunAsync(
            _installation.ProsodyCtlPath,
            ["--config", _layout.ConfigFile, "register", user, Domain, password],
            _layout.Root,
            output,
            ProsodyCtlTimeout,
            cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"prosodyctl register {user} {Domain} failed with exit code {exitCode}:{Environment.NewLine}{output}");
        }
    }

    /// <summary>
    /// Creates many accounts at once by writing Prosody's account files directly (the SCRAM-SHA-1
    /// keys that <c>internal_hashed</c> stores), instead of one <c>prosodyctl register</c> process per
    /// user, which takes about 0.1 s each. Works whether or not the server runs; names are
    /// lower-case ASCII letters, digits, '.', '-' or '_', passwords printable ASCII.
    /// </summary>
    public async Task RegisterUsersAsync(IEnumerable<KeyValuePair<string, string>> accounts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ObjectDisposedException.ThrowIf(_stopped, this);
        await ProsodyAccountFiles.WriteAsync(_layout.DataDirectory, Domain, accounts, cancellationToken);
    }

    /// <summary>The installed Prosody's version line from <c>prosodyctl about</c>, e.g. <c>Prosody 0.12.3</c>.</summary>
    public async Task<string> ReadVersionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopped, this);
        var output = new OutputTail(200);
        var exitCode = await ChildProcess.RunAsync(
            _installation.ProsodyCtlPath,
            ["--config", _layout.ConfigFile, "about"],
            _layout.Root,
            output,
            ProsodyCtlTimeout,
            cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"prosodyctl about failed with exit code {exitCode}:{Environment.NewLine}{output}");
        }

        // "Prosody 0.12.3", not a warning that also starts with "Prosody " ("Prosody was unable to find lua-unbound").
        return output.ToString().Split('\n').Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith("Prosody ", StringComparison.Ordinal) && l.Length > 8 && char.IsAsciiDigit(l[8])) ?? "Prosody (version unknown)";
    }

    /// <summary>The last lines of Prosody's log (empty when there is no log yet).</summary>
    public string ReadLogTail(int maxLines = LogTailLines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        var text = ReadLog(fromOffset: null);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - maxLines)));
    }

    /// <summary>Everything known about why the server misbehaves: console output, the last probe failure, the log tail.</summary>
    public string Diagnostics() =>
        $"{Environment.NewLine}--- prosody console output ---{Environment.NewLine}{_output}" +
        $"{Environment.NewLine}--- last stream probe failure: {_lastProbeFailure}" +
        $"{Environment.NewLine}--- last lines of {LogPath} ---{Environment.NewLine}{ReadLogTail()}";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")]
    private static partial Regex DomainPattern();

    /// <summary>One start on the current port: true when ready, false when the port was taken.</summary>
    private async Task<bool> TryStartOnPortAsync(Stopwatch deadline, CancellationToken cancellationToken)
    {
        WriteConfig();

        // Prosody appends to its log across restarts; only what this start writes counts.
        var logOffset = File.Exists(LogPath) ? new FileInfo(LogPath).Length : 0;
        var listening = string.Create(CultureInfo.InvariantCulture, $"Activated service 'c2s' on [{Host}]:{Port}");
        var portTaken = string.Create(CultureInfo.InvariantCulture, $"Failed to open server port {Port} on {Host}");
        _lastProbeFailure = "none";
        _process = ChildProcess.Start(_installation.ProsodyPath, ["--config", _layout.ConfigFile, "-F"], _layout.Root, _output);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_process.HasExited)
                {
                    await _process.WaitForExitAsync(cancellationToken); // so its last output is captured
                    throw new ProsodyStartException($"Prosody exited with code {_process.ExitCode} while starting.{Diagnostics()}");
                }

                var log = ReadLog(logOffset);
                if (log.Contains(portTaken, StringComparison.Ordinal))
                {
                    await StopProcessQuietlyAsync();
                    return false;
                }

                if (log.Contains(listening, StringComparison.Ordinal) && await AnswersStreamHeaderAsync(cancellationToken))
                {
                    return true;
                }

                if (deadline.Elapsed > _options.StartTimeout)
                {
                    throw new ProsodyStartException(
                        $"Prosody did not answer an XMPP stream header on {Host}:{Port} within {_options.StartTimeout.TotalSeconds} s.{Diagnostics()}");
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch
        {
            await StopProcessQuietlyAsync();
            throw;
        }
    }

    /// <summary>Ends a process that failed to start; the failure being reported matters more than this one.</summary>
    private async Task StopProcessQuietlyAsync()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        _process = null;
        using (process)
        {
            await ChildProcess.EndAsync(process, ShutdownMode.Kill, TimeSpan.Zero);
        }
    }

    private void WriteConfig() =>
        File.WriteAllText(_layout.ConfigFile, ProsodyConfigFile.Render(_layout, Domain, Port, _options.LogLevel, _options.StanzaSizeLimit, _options.AdditionalGlobalSettings));

    /// <summary>Ready means: a client stream header to our domain gets a header from it and stream features with STARTTLS.</summary>
    private async Task<bool> AnswersStreamHeaderAsync(CancellationToken cancellationToken)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(ProbeTimeout);
        XElement features;
        try
        {
            await using var client = await RawXmppClient.ConnectAsync(Host, Port, probe.Token);
            var header = await client.OpenStreamAsync(Domain, probe.Token);
            features = await client.ReadElementAsync(probe.Token);
            await client.SendAsync("</stream:stream>", probe.Token);
            if (header.From != Domain)
            {
                _lastProbeFailure = $"a stream header from '{header.From}' instead of '{Domain}'";
                return false;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested &&
            e is SocketException or IOException or XmlException or InvalidDataException or OperationCanceledException)
        {
            _lastProbeFailure = $"{e.GetType().Name}: {e.Message}";
            return false;
        }

        // Prosody answers for our domain, so it is up. Without STARTTLS (say, a certificate it could not
        // load) no client can log in, and waiting longer will not change that.
        if (features.Name != XName.Get("features", XmppNamespaces.Streams) || features.Element(XName.Get("starttls", XmppNamespaces.Tls)) is null)
        {
            throw new ProsodyStartException($"Prosody answers but offers no STARTTLS: {features}{Diagnostics()}");
        }

        return true;
    }

    private async Task WaitUntilPortRefusesAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (await LoopbackPort.AcceptsConnectionsAsync(Host, Port))
        {
            if (deadline.Elapsed > PortCloseTimeout)
            {
                throw new InvalidOperationException($"{Host}:{Port} still accepts connections after Prosody ended.");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Reads the log from <paramref name="fromOffset"/> (or its last part), sharing it with Prosody, which keeps writing.</summary>
    private string ReadLog(long? fromOffset)
    {
        if (!File.Exists(LogPath))
        {
            return string.Empty;
        }

        using var file = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = fromOffset ?? Math.Max(0, file.Length - MaxLogBytesRead);
        if (start >= file.Length)
        {
            return string.Empty;
        }

        file.Position = start;
        var buffer = new byte[(int)Math.Min(file.Length - start, MaxLogBytesRead)];
        file.ReadExactly(buffer);
        return Encoding.UTF8.GetString(buffer);
    }
}
