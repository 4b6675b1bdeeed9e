using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// A throwaway Prosody on 127.0.0.1 for comparison 5: its own directory, configuration, certificate and
/// users, started in the foreground and killed at the end (the same approach as the integration tests'
/// server fixture, with the server's limits raised for a benchmark).
/// </summary>
internal sealed class BenchProsody : IAsyncDisposable
{
    /// <summary>What the configuration changes from Prosody's defaults, for the report.</summary>
    public const string Limits =
        "Prosody on 127.0.0.1 with c2s over STARTTLS (TLS to the server on both legs); mod_limits not loaded (no rate limit; " +
        "Debian's stock config throttles clients to 10 kB/s), c2s_stanza_size_limit raised to 1 MiB, Nagle off (network_settings nagle = false), " +
        "log level warn";

    public const string Domain = "xtls.bench";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _root;
    private readonly Process _process;

    private BenchProsody(string root, int port, X509Certificate2 certificate, Process process, string version)
    {
        _root = root;
        Port = port;
        Certificate = certificate;
        _process = process;
        Version = version;
    }

    public const string Host = "127.0.0.1";

    public int Port { get; }

    public X509Certificate2 Certificate { get; }

    public string Version { get; }

    /// <summary>The CPU time the Prosody process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The path of prosody and prosodyctl, or <c>null</c> when Prosody is not installed.</summary>
    public static (string Prosody, string ProsodyCtl)? Locate()
    {
        string? prosody = FindOnPath("prosody");
        string? prosodyCtl = FindOnPath("prosodyctl");
        return prosody is null || prosodyCtl is null ? null : (prosody, prosodyCtl);
    }

    /// <summary>Writes the configuration, registers the users, starts Prosody and waits for its port.</summary>
    public static async Task<BenchProsody> StartAsync(IEnumerable<string> users)
    {
        (string prosody, string prosodyCtl) = Locate() ?? throw new InvalidOperationException("Prosody is not installed.");
        string root = Directory.CreateTempSubdirectory("xtls-bench-prosody-").FullName;
        try
        {
            int port = FreePort();
            X509Certificate2 certificate = WriteCertificate(root);
            string config = Path.Combine(root, "prosody.cfg.lua");
            await File.WriteAllTextAsync(config, Config(root, port));
            foreach (string user in users)
            {
                await RunToEndAsync(prosodyCtl, ["--config", config, "register", user, Domain, BenchClients.Password], root);
            }

            string version = (await RunToEndAsync(prosodyCtl, ["--config", config, "about"], root))
                .Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Prosody ", StringComparison.Ordinal)) ?? "Prosody";
            var start = new ProcessStartInfo(prosody) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(config);
            start.ArgumentList.Add("-F");
            Process process = Process.Start(start) ?? throw new InvalidOperationException("prosody did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new BenchProsody(root, port, certificate, process, version);
            await server.WaitForPortAsync();
            return server;
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        Certificate.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static string Config(string root, int port)
    {
        string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        var lua = new StringBuilder();
        lua.AppendLine("-- A throwaway Prosody for the XmppDotNet.Xtls macro benchmark.");
        lua.AppendLine("run_as_root = true");
        lua.AppendLine(CultureInfo.InvariantCulture, $"pidfile = {Quote(Path.Combine(root, "prosody.pid"))}");
        lua.AppendLine(CultureInfo.InvariantCulture, $"data_path = {Quote(Path.Combine(root, "data"))}");
        lua.AppendLine(CultureInfo.InvariantCulture, $"certificates = {Quote(Path.Combine(root, "certs"))}");
        lua.AppendLine(CultureInfo.InvariantCulture, $"log = {{ {{ levels = {{ min = \"warn\" }}, to = \"file\", filename = {Quote(Path.Combine(root, "prosody.log"))} }} }}");
        lua.AppendLine("network_settings = { nagle = false }");
        lua.AppendLine("interfaces = { \"127.0.0.1\" }");
        lua.AppendLine("local_interfaces = { \"127.0.0.1\" }");
        lua.AppendLine("c2s_interfaces = { \"127.0.0.1\" }");
        lua.AppendLine(CultureInfo.InvariantCulture, $"c2s_ports = {{ {port} }}");
        lua.AppendLine("c2s_direct_tls_ports = { }");
        lua.AppendLine("legacy_ssl_ports = { }");
        lua.AppendLine("s2s_ports = { }");
        lua.AppendLine("s2s_direct_tls_ports = { }");
        lua.AppendLine("http_ports = { }");
        lua.AppendLine("https_ports = { }");
        lua.AppendLine("c2s_require_encryption = true");
        lua.AppendLine("c2s_stanza_size_limit = 1048576");
        lua.AppendLine("authentication = \"internal_hashed\"");
        lua.AppendLine("storage = \"internal\"");
        lua.AppendLine("allow_registration = false");
        lua.AppendLine("-- mod_limits is not loaded: no rate limit on clients.");
        lua.AppendLine("modules_enabled = { \"roster\", \"saslauth\", \"tls\", \"disco\", \"ping\" }");
        lua.AppendLine("modules_disabled = { \"s2s\", \"s2s_auth_certs\", \"offline\" }");
        lua.AppendLine();
        lua.AppendLine(CultureInfo.InvariantCulture, $"VirtualHost {Quote(Domain)}");
        lua.AppendLine(CultureInfo.InvariantCulture, $"    ssl = {{ certificate = {Quote(Path.Combine(root, "certs", Domain + ".crt"))}, key = {Quote(Path.Combine(root, "certs", Domain + ".key"))} }}");
        return lua.ToString();
    }

    private static X509Certificate2 WriteCertificate(string root)
    {
        string certs = Directory.CreateDirectory(Path.Combine(root, "certs")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "data"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Domain}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Domain);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 signed = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(2));
        File.WriteAllText(Path.Combine(certs, Domain + ".crt"), signed.ExportCertificatePem());
        string keyFile = Path.Combine(certs, Domain + ".key");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return X509CertificateLoader.LoadCertificate(signed.RawData);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<string> RunToEndAsync(string program, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments.Take(3))} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private async Task WaitForPortAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                string log = Path.Combine(_root, "prosody.log");
                throw new InvalidOperationException($"Prosody exited with code {_process.ExitCode}: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log")}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port).WaitAsync(TimeSpan.FromSeconds(1));
                return;
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                if (clock.Elapsed > StartTimeout)
                {
                    throw new InvalidOperationException($"Prosody did not listen on {Host}:{Port} within {StartTimeout.TotalSeconds} s.", e);
                }

                await Task.Delay(50);
            }
        }
    }
}
