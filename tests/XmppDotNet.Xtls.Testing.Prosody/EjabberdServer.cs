using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>
/// A real ejabberd for one test fixture: its own temporary directory with configuration, Mnesia spool, log
/// and a fresh self-signed certificate, its own Erlang node name and cookie, client connections on
/// 127.0.0.1 only, on a port no other server uses. It never touches the system-wide ejabberd or epmd: the
/// node's distribution listens on a loopback port of its own (no epmd is started or asked), and
/// <c>ejabberdctl</c>'s commands reach it there. Dispose it to kill the process tree and delete the directory.
/// </summary>
public sealed partial class EjabberdServer : ITestXmppServer
{
    private const int MaxPortAttempts = 5;
    private const int MaxLogBytesRead = 256 * 1024;
    private const int MaxAccountsPerCall = 200;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PortCloseTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] LogLevels = ["none", "emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"];

    private readonly EjabberdServerOptions _options;
    private readonly Func<int> _pickPort;
    private readonly EjabberdInstallation _installation;
    private readonly EjabberdServerLayout _layout;
    private readonly TestServerCertificate _certificate;
    private readonly OutputTail _output = new(200);
    private readonly string _cookie = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private Process? _process;
    private bool _portSettled;
    private bool _stopped;
    private string _lastProbeFailure = "none";

    /// <summary>
    /// Prepares a server (directory, certificate, ports, node name) without starting it.
    /// Throws <see cref="EjabberdStartException"/> when ejabberd is not installed.
    /// </summary>
    public EjabberdServer(EjabberdServerOptions? options = null)
        : this(options ?? new EjabberdServerOptions(), FreeTcpPort.Pick)
    {
    }

    /// <summary>Lets tests of this class choose which ports are tried.</summary>
    internal EjabberdServer(EjabberdServerOptions options, Func<int> pickPort)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!DomainPattern().IsMatch(options.Domain))
        {
            throw new ArgumentException($"'{options.Domain}' is not a plain DNS domain.", nameof(options));
        }

        if (!LogLevels.Contains(options.LogLevel, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{options.LogLevel}' is not an ejabberd log level.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxStanzaSize, 1024, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ResumeTimeout, TimeSpan.FromSeconds(1), nameof(options));
        _options = options;
        _pickPort = pickPort;
        _installation = EjabberdInstallation.Require();
        _certificate = TestServerCertificate.Issue(options.Domain);
        _layout = new EjabberdServerLayout(Directory.CreateTempSubdirectory("xtls-ejabberd-").FullName);
        _layout.Create(_certificate);
        Port = options.Port != 0 ? options.Port : pickPort();
        DistributionPort = pickPort();
        NodeName = "xtls-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + "@" + Host;
    }

    /// <inheritdoc />
    public string Product => "ejabberd " + _installation.Version;

    /// <inheritdoc />
    public string Domain => _options.Domain;

    /// <inheritdoc />
    public string Host { get; } = ProsodyConfigFile.LoopbackAddress;

    /// <inheritdoc />
    public int Port { get; private set; }

    /// <summary>The loopback port of the Erlang node's distribution, where <c>ejabberdctl</c> commands reach it.</summary>
    public int DistributionPort { get; private set; }

    /// <summary>The Erlang node name of this instance, unique to it (its Mnesia spool belongs to it).</summary>
    public string NodeName { get; }

    /// <summary>The server's own temporary directory; gone after <see cref="StopAsync"/>.</summary>
    public string DirectoryPath => _layout.Root;

    /// <summary>The generated YAML configuration file.</summary>
    public string ConfigPath => _layout.ConfigFile;

    /// <inheritdoc />
    public string LogPath => _layout.LogFile;

    /// <inheritdoc />
    public X509Certificate2 Certificate => _certificate.Certificate;

    /// <inheritdoc />
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Creates a server and starts it; on failure nothing is left behind.</summary>
    public static async Task<EjabberdServer> StartNewAsync(EjabberdServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new EjabberdServer(options);
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

    /// <inheritdoc />
    public Jid UserJid(string user) => new(user, Domain);

    /// <summary>
    /// Starts ejabberd and returns once its port answers an XMPP stream header with STARTTLS. Also brings a
    /// server back after <see cref="StopProcessAsync"/>, on the same port, with the same node and accounts.
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
            if (await TryStartOnPortsAsync(deadline, cancellationToken))
            {
                _portSettled = true;
                return;
            }

            if (_portSettled || _options.Port != 0 || attempt >= MaxPortAttempts)
            {
                throw new EjabberdStartException($"ejabberd could not listen on {Host}:{Port} or its distribution port {DistributionPort} (in use).{Diagnostics()}");
            }

            Port = _pickPort();
            DistributionPort = _pickPort();
        }
    }

    /// <summary>
    /// Ends the ejabberd process tree (graceful: SIGTERM, which makes the node stop ejabberd, ending every
    /// stream with <c>system-shutdown</c>) but keeps its directory, accounts and port, so that
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

    /// <summary>Stops the server for good: ends the process tree and deletes its directory. Safe to call twice.</summary>
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

    /// <summary>
    /// Creates an account through the running node, as <c>ejabberdctl register</c> does, and writes it to disk
    /// at once, so that it survives a server killed right after (see <see cref="RegisterUsersAsync"/>).
    /// </summary>
    public Task RegisterUserAsync(string user, string password, CancellationToken cancellationToken = default) =>
        RegisterUsersAsync([new KeyValuePair<string, string>(user, password)], cancellationToken);

    /// <summary>
    /// Creates many accounts with one Erlang call per 200 of them (one <c>ejabberdctl register</c> costs a
    /// virtual machine start, about 0.7 s). Names are lower-case ASCII letters, digits, '.', '-' or '_',
    /// passwords printable ASCII without spaces; the server must be running. The accounts table is synced to
    /// disk before this returns: Mnesia keeps it in a DETS file, whose recent writes a killed node would lose.
    /// </summary>
    public async Task RegisterUsersAsync(IEnumerable<KeyValuePair<string, string>> accounts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        foreach (var batch in accounts.Chunk(MaxAccountsPerCall))
        {
            var calls = new StringBuilder();
            foreach (var (user, password) in batch)
            {
                CheckAccount(user, password);
                calls.Append(CultureInfo.InvariantCulture, $"R(<<\"{user}\">>, <<\"{ErlangString(password)}\">>),");
            }

            // Each call must answer ok; anything else (an existing account, a refused name) fails the batch.
            var script =
                $"N = '{NodeName}', H = <<\"{Domain}\">>, " +
                "R = fun(U, P) -> case rpc:call(N, ejabberd_auth, try_register, [U, H, P]) of ok -> ok; E -> io:format(\"~s: ~p~n\", [U, E]), halt(1) end end, " +
                calls + " ok = rpc:call(N, dets, sync, [passwd]), halt(0).";
            var output = await RunCtlAsync(["-eval", script], cancellationToken);
            if (!output.Success)
            {
                throw new InvalidOperationException($"Registering accounts on {NodeName} failed with exit code {output.ExitCode}:{Environment.NewLine}{output.Text}");
            }
        }
    }

    /// <inheritdoc />
    public string ReadLogTail(int maxLines = 60)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        var lines = ReadLog(fromOffset: null).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - maxLines)));
    }

    /// <summary>Everything known about why the server misbehaves: console output, the last probe failure, the log tail.</summary>
    public string Diagnostics() =>
        $"{Environment.NewLine}--- ejabberd console output ---{Environment.NewLine}{_output}" +
        $"{Environment.NewLine}--- last stream probe failure: {_lastProbeFailure}" +
        $"{Environment.NewLine}--- last lines of {LogPath} ---{Environment.NewLine}{ReadLogTail()}";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex("^[a-z0-9._-]{1,64}$")]
    private static partial Regex UserPattern();

    private static void CheckAccount(string user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        if (!UserPattern().IsMatch(user))
        {
            throw new ArgumentException($"'{user}' is not a user name this fixture accepts (lower-case ASCII letters, digits, '.', '-', '_').", nameof(user));
        }

        if (password.Length == 0 || password.Any(c => c is < '!' or > '~'))
        {
            throw new ArgumentException("Passwords must be printable ASCII without spaces.", nameof(password));
        }
    }

    private static string ErlangString(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>The environment ejabberd reads its paths from; HOME too, so that nothing lands in the real one.</summary>
    private Dictionary<string, string> ServerEnvironment() => new(StringComparer.Ordinal)
    {
        ["EJABBERD_CONFIG_PATH"] = _layout.ConfigFile,
        ["EJABBERD_LOG_PATH"] = _layout.LogFile,
        ["ERL_LIBS"] = _installation.ErlLibs,
        ["ERL_CRASH_DUMP"] = _layout.CrashDumpFile,
        ["CONTRIB_MODULES_PATH"] = Path.Combine(_layout.Root, "modules"),
        ["HOME"] = _layout.Root,
    };

    /// <summary>The arguments every Erlang node of this instance shares: the cookie and no epmd, ever.</summary>
    private string[] DistributionArguments() =>
        ["-setcookie", _cookie, "-erl_epmd_port", DistributionPort.ToString(CultureInfo.InvariantCulture), "-start_epmd", "false"];

    /// <summary>Runs a short-lived hidden Erlang node that talks to the server's node (as <c>ejabberdctl</c> does).</summary>
    private async Task<(bool Success, int ExitCode, string Text)> RunCtlAsync(IEnumerable<string> command, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopped, this);
        if (!IsRunning)
        {
            throw new InvalidOperationException("The ejabberd server is not running; accounts are created through the running node.");
        }

        var output = new OutputTail(50);
        var ctlNode = "xtls-ctl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + "@" + Host;
        string[] arguments = ["-name", ctlNode, "-hidden", "-noinput", "-dist_listen", "false", .. DistributionArguments(), .. command];
        var exitCode = await ChildProcess.RunAsync(_installation.ErlPath, arguments, _layout.Root, output, ServerEnvironment(), CtlTimeout, cancellationToken);
        return (exitCode == 0, exitCode, output.ToString());
    }

    /// <summary>One start on the current ports: true when ready, false when a port was taken.</summary>
    private async Task<bool> TryStartOnPortsAsync(Stopwatch deadline, CancellationToken cancellationToken)
    {
        File.WriteAllText(_layout.ConfigFile, EjabberdConfigFile.Render(_layout, _options, Port));

        // ejabberd appends to its log across restarts; only what this start writes counts.
        var logOffset = File.Exists(LogPath) ? new FileInfo(LogPath).Length : 0;
        var listening = string.Create(CultureInfo.InvariantCulture, $"Start accepting TCP connections at {Host}:{Port} for ejabberd_c2s");
        var portTaken = string.Create(CultureInfo.InvariantCulture, $"Failed to open socket at {Host}:{Port}");
        _lastProbeFailure = "none";
        string[] arguments =
        [
            "-name", NodeName, "-noinput", .. DistributionArguments(),
            "-kernel", "inet_dist_use_interface", "{127,0,0,1}",
            "-mnesia", "dir", "\"" + _layout.SpoolDirectory + "\"",
            "-s", "ejabberd",
        ];
        try
        {
            _process = ChildProcess.Start(_installation.ErlPath, arguments, _layout.Root, _output, ServerEnvironment());
        }
        catch (ProsodyStartException e)
        {
            throw new EjabberdStartException(e.Message, e);
        }

        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var log = ReadLog(logOffset);
                if (_process.HasExited)
                {
                    await _process.WaitForExitAsync(cancellationToken); // so its last output is captured
                    var console = _output.ToString();
                    if (!_portSettled && (console.Contains("eaddrinuse", StringComparison.Ordinal) || log.Contains(portTaken, StringComparison.Ordinal)))
                    {
                        await StopProcessQuietlyAsync();
                        return false;
                    }

                    throw new EjabberdStartException($"ejabberd exited with code {_process.ExitCode} while starting.{Diagnostics()}");
                }

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
                    throw new EjabberdStartException(
                        $"ejabberd did not answer an XMPP stream header on {Host}:{Port} within {_options.StartTimeout.TotalSeconds} s.{Diagnostics()}");
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

        if (features.Name != XName.Get("features", XmppNamespaces.Streams) || features.Element(XName.Get("starttls", XmppNamespaces.Tls)) is null)
        {
            throw new EjabberdStartException($"ejabberd answers but offers no STARTTLS: {features}{Diagnostics()}");
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
                throw new InvalidOperationException($"{Host}:{Port} still accepts connections after ejabberd ended.");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Reads the log from <paramref name="fromOffset"/> (or its last part), sharing it with ejabberd, which keeps writing.</summary>
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
