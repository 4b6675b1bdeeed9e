using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// The side-by-side comparisons in one process run: raw TLS engines, SslStream, the host
/// pipeline in the clear and through XTLS on the in-memory router and on a real Prosody, handshakes,
/// wire bytes and memory per tunnel. Writes <c>macro.md</c> and <c>macro.json</c>.
/// </summary>
internal static class MacroCommand
{
    private const string ClearInMemory = "3. host pipelines in the clear, in-memory router";
    private const string XtlsInMemory = "4. host pipelines through an XTLS tunnel, in-memory router";
    private const string ClearProsody = "5a. host pipelines in the clear, Prosody on loopback";
    private const string XtlsProsody = "5b. host pipelines through an XTLS tunnel, Prosody on loopback";
    private const char SrpSecretChar = 's';

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        MacroOptions? options = MacroOptions.Parse(args);
        if (options is null)
        {
            return 2;
        }

        var report = new MacroReport { Machine = DescribeMachine(), Started = DateTimeOffset.UtcNow, CellSeconds = options.CellDuration.TotalSeconds };
        var total = new CpuClock();
        Log($"macro benchmark: {report.Machine}; {options.CellDuration.TotalSeconds:F1} s per cell");

        if (options.TunnelWindow is { } window)
        {
            report.Notes.Add(Inv($"This run set the tunnel window to {window} data IQs (the library's default is 8)."));
        }

        if (options.ChunkSize is { } chunk)
        {
            report.Notes.Add(Inv($"This run set the chunk size to {chunk} bytes of ciphertext per data IQ (the library's default is 4096)."));
        }

        await Section(report, options, "engine", "engine handshakes", () => EngineHandshakesAsync(report));
        await Section(report, options, "open", "tunnel-open latency", () => OpenLatencyAsync(report, options));
        await Section(report, options, "tls", "raw TLS and SslStream", () => TlsBaselinesAsync(report, options));
        await Section(report, options, "in-memory", "in-memory router", () => InMemoryAsync(report, options));
        await Section(report, options, "reopen", "re-open against full handshakes", () => ReopenAsync(report));
        if (options.Sections.Contains("prosody") && !options.Prosody)
        {
            report.ProsodyNote = "Prosody: skipped (--no-prosody).";
        }
        else if (options.Sections.Contains("prosody") && BenchProsody.Locate() is null)
        {
            report.ProsodyNote = "Prosody: skipped, it is not installed (apt-get install prosody); comparison 5 has no numbers in this run.";
        }
        else
        {
            await Section(report, options, "prosody", "Prosody", () => ProsodyAsync(report, options));
        }

        await Section(report, options, "memory", "memory per tunnel", async () =>
        {
            MemoryRow row = await TunnelMemory.MeasureAsync(options.IdleTunnels, options.BusyTunnels, WithWindow(options, null), Log);
            report.Memory.Add(row);
        });

        if (options.Sections.Contains("throttled-chat") && (!options.Prosody || BenchProsody.Locate() is null))
        {
            report.Notes.Add("Throttled chat: skipped, it needs Prosody.");
        }
        else
        {
            await Section(report, options, "throttled-chat", "chat through a throttled Prosody", async () =>
                report.ThrottledChat.Add(await ThrottledChat.MeasureAsync(options.ChatLines, options.ChatOutstanding, WithWindow(options, null), Log)));
        }

        report.TotalSeconds = total.Elapsed.TotalSeconds;
        Targets.Evaluate(report, options);
        AddMethodNotes(report, options);

        Directory.CreateDirectory(options.OutputDirectory);
        string markdown = report.ToMarkdown();
        string markdownPath = Path.Combine(options.OutputDirectory, "macro.md");
        string jsonPath = Path.Combine(options.OutputDirectory, "macro.json");
        await File.WriteAllTextAsync(markdownPath, markdown);
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, Json));
        Console.WriteLine();
        Console.WriteLine(markdown);
        Log($"wrote {Path.GetFullPath(markdownPath)} and {Path.GetFullPath(jsonPath)} after {report.TotalSeconds:F0} s");
        return 0;
    }

    private static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    // A failed section is reported in the output; the others still run.
    private static async Task Section(MacroReport report, MacroOptions options, string key, string name, Func<Task> body)
    {
        if (!options.Sections.Contains(key))
        {
            return;
        }

        var clock = new CpuClock();
        Log($"{name}: start");
        try
        {
            await body();
            Log($"{name}: done in {clock.Elapsed.TotalSeconds:F1} s");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log($"{name}: FAILED: {e}");
            report.Notes.Add($"**{name} failed** after {clock.Elapsed.TotalSeconds:F0} s: {e.GetType().Name}: {e.Message}");
        }
    }

    private static Task EngineHandshakesAsync(MacroReport report)
    {
        (string Name, XtlsMethod Method, XtlsKeyType? Key, int Samples)[] methods =
        [
            ("x509 ECDSA P-256 (TLS 1.3)", XtlsMethod.X509, XtlsKeyType.EcdsaP256, 40),
            ("x509 Ed25519 (TLS 1.3)", XtlsMethod.X509, XtlsKeyType.Ed25519, 40),
            ("srp 2048-bit group (TLS 1.2)", XtlsMethod.Srp, null, 5),
        ];
        foreach ((string name, XtlsMethod method, XtlsKeyType? key, int samples) in methods)
        {
            HandshakeLatency.EngineResult result = HandshakeLatency.Measure(name, method, key, samples);
            report.Handshakes.Add(new HandshakeRow(name, result.Samples, result.Median, result.ClientMedian, result.ServerMedian, result.Flights, result.Bytes, null, null, null, null));
            Log($"  {name}: {result.Median:F2} ms (client {result.ClientMedian:F2}, server {result.ServerMedian:F2}), {result.Flights} flights, {result.Bytes} bytes");
        }

        return Task.CompletedTask;
    }

    private static async Task TlsBaselinesAsync(MacroReport report, MacroOptions options)
    {
        XtlsIdentity client = XtlsIdentity.Generate(XtlsKeyType.EcdsaP256);
        XtlsIdentity server = XtlsIdentity.Generate(XtlsKeyType.EcdsaP256);
        foreach (int size in options.BodySizes)
        {
            Add(report, RawTlsThroughput.Run(size, options.CellDuration, client, server));
        }

        using X509Certificate2 clientCertificate = SslStreamThroughput.CreateCertificate("bench-client");
        using X509Certificate2 serverCertificate = SslStreamThroughput.CreateCertificate("bench-server");
        var handshakes = new List<double>();
        for (int i = 0; i < 11; i++)
        {
            var (c, s, elapsed) = await SslStreamThroughput.ConnectAsync(clientCertificate, serverCertificate);
            await c.DisposeAsync();
            await s.DisposeAsync();
            if (i > 0)
            {
                handshakes.Add(elapsed.TotalMilliseconds);
            }
        }

        report.Notes.Add(Inv($"For reference, a .NET SslStream TLS 1.3 handshake with mutual P-256 certificates over the in-memory pipes takes {HandshakeLatency.Median(handshakes):F2} ms (median of 10, wall time, both ends at once)."));
        foreach (int size in options.BodySizes)
        {
            Add(report, await SslStreamThroughput.RunAsync(size, options.CellDuration, clientCertificate, serverCertificate));
        }
    }

    private static async Task InMemoryAsync(MacroReport report, MacroOptions options)
    {
        await using var router = new InMemoryRouter("bench.lit");

        // A server that reads a tunnel's data as bytes, as the clients do (the wire is the same either way).
        router.BinaryPayloadElements.Add(XtlsElements.DataPayloadElement(65536));
        foreach (string user in new[] { "clear-a", "clear-b", "xtls-a", "xtls-b", "ed-a", "ed-b" })
        {
            router.AddAccount(user, BenchClients.Password);
        }

        await router.StartAsync();
        XtlsIdentity edA = XtlsIdentity.Generate(XtlsKeyType.Ed25519);
        XtlsIdentity edB = XtlsIdentity.Generate(XtlsKeyType.Ed25519);
        XmppClient clearA = BenchClients.OnRouter(router, "clear-a", "a", null);
        XmppClient clearB = BenchClients.OnRouter(router, "clear-b", "b", null);
        XmppClient xtlsA = BenchClients.OnRouter(router, "xtls-a", "a", WithWindow(options, FullHandshakes));
        XmppClient xtlsB = BenchClients.OnRouter(router, "xtls-b", "b", WithWindow(options, FullHandshakes));
        XmppClient edClientA = BenchClients.OnRouter(router, "ed-a", "a", o => FullHandshakes(o, edA));
        XmppClient edClientB = BenchClients.OnRouter(router, "ed-b", "b", o => FullHandshakes(o, edB));
        XmppClient[] all = [clearA, clearB, xtlsA, xtlsB, edClientA, edClientB];
        try
        {
            await Task.WhenAll(all.Select(c => c.ConnectAsync()));

            // Handshakes through the pipeline: open, first stanza, legs; then close, several times.
            await TunnelLatencyAsync(report, "x509 ECDSA P-256 (TLS 1.3)", xtlsA, xtlsB, XtlsMethod.X509, 10, router, prosody: false);
            await TunnelLatencyAsync(report, "x509 Ed25519 (TLS 1.3)", edClientA, edClientB, XtlsMethod.X509, 10, router, prosody: false);
            await TunnelLatencyAsync(report, "srp 2048-bit group (TLS 1.2)", xtlsA, xtlsB, XtlsMethod.Srp, 3, router, prosody: false);

            // Clear and tunnel take turns per size, so that both see the same neighbours on a shared machine.
            _ = await xtlsA.GetXtls().OpenAsync(xtlsB.Jid);
            foreach (int size in options.BodySizes)
            {
                // Several rounds, clear and tunnel in turn; the median round of each is kept (one round is noisy on two shared cores).
                var clear = new List<ThroughputCell>();
                var tunnel = new List<ThroughputCell>();
                for (int round = 0; round < options.InMemoryRounds; round++)
                {
                    clear.Add(await StanzaThroughput.RunAsync(ClearInMemory, clearA, clearB, size, options.CellDuration, throughTunnel: false));
                    tunnel.Add(await StanzaThroughput.RunAsync(XtlsInMemory, xtlsA, xtlsB, size, options.CellDuration, throughTunnel: true));
                }

                Add(report, ThroughputCell.Median(clear));
                Add(report, ThroughputCell.Median(tunnel));
            }

            var clearPair = (clearA, clearB);
            var xtlsPair = (xtlsA, xtlsB);
            report.Wire.Add(await WireBytes.MeasureAsync("200-byte stanzas under load (128 on their way)", router, clearPair, xtlsPair, Payloads.MessageOfTotalSize(200), 4000, 128));
            report.Wire.Add(await WireBytes.MeasureAsync("200-byte stanzas one at a time", router, clearPair, xtlsPair, Payloads.MessageOfTotalSize(200), 200, 1));
            report.Wire.Add(await WireBytes.MeasureAsync("1 KiB bodies under load", router, clearPair, xtlsPair, Payloads.Message(null, 1024), 2000, 128));
            report.Wire.Add(await WireBytes.MeasureAsync("bulk: 16 KiB bodies", router, clearPair, xtlsPair, Payloads.Message(null, 16 * 1024), 400, 32));
            foreach (WireRow row in report.Wire)
            {
                Log(Inv($"  wire, {row.Load}: clear {row.ClearBytesPerStanza:F0} B, XTLS {row.XtlsBytesPerStanza:F0} B per stanza ({row.RatioToClear:F2}×)"));
            }
        }
        finally
        {
            foreach (XmppClient client in all)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>Only the tunnel-open rows: x509 and SRP on the in-memory router and through Prosody, no throughput cells.</summary>
    private static async Task OpenLatencyAsync(MacroReport report, MacroOptions options)
    {
        (string Name, XtlsMethod Method)[] methods = [("x509 ECDSA P-256 (TLS 1.3)", XtlsMethod.X509), ("srp 2048-bit group (TLS 1.2)", XtlsMethod.Srp)];
        foreach ((string name, XtlsMethod _) in methods)
        {
            if (report.Handshakes.FindIndex(h => h.Method == name) < 0)
            {
                report.Handshakes.Add(new HandshakeRow(name, 0, 0, 0, 0, 0, 0, null, null, null, null));
            }
        }

        await using (var router = new InMemoryRouter("bench.lit"))
        {
            router.AddAccount("xtls-a", BenchClients.Password);
            router.AddAccount("xtls-b", BenchClients.Password);
            await router.StartAsync();
            XmppClient a = BenchClients.OnRouter(router, "xtls-a", "a", WithWindow(options, FullHandshakes));
            XmppClient b = BenchClients.OnRouter(router, "xtls-b", "b", WithWindow(options, FullHandshakes));
            try
            {
                await Task.WhenAll(a.ConnectAsync(), b.ConnectAsync());
                foreach ((string name, XtlsMethod method) in methods)
                {
                    await TunnelLatencyAsync(report, name, a, b, method, 10, router, prosody: false);
                }
            }
            finally
            {
                await a.DisposeAsync();
                await b.DisposeAsync();
            }
        }

        if (!options.Prosody || BenchProsody.Locate() is null)
        {
            return;
        }

        await using BenchProsody server = await BenchProsody.StartAsync(["xtls-a", "xtls-b"]);
        XmppClient pa = BenchClients.OnServer(BenchProsody.Host, server.Port, BenchProsody.Domain, server.Certificate, "xtls-a", "a", WithWindow(options, FullHandshakes));
        XmppClient pb = BenchClients.OnServer(BenchProsody.Host, server.Port, BenchProsody.Domain, server.Certificate, "xtls-b", "b", WithWindow(options, FullHandshakes));
        try
        {
            await Task.WhenAll(pa.ConnectAsync(), pb.ConnectAsync());
            foreach ((string name, XtlsMethod method) in methods)
            {
                await TunnelLatencyAsync(report, name, pa, pb, method, 10, null, prosody: true);
            }
        }
        finally
        {
            await pa.DisposeAsync();
            await pb.DisposeAsync();
        }
    }

    private static async Task ProsodyAsync(MacroReport report, MacroOptions options)
    {
        await using BenchProsody server = await BenchProsody.StartAsync(["clear-a", "clear-b", "xtls-a", "xtls-b"]);
        report.ProsodyNote = $"Comparison 5 ran against {server.Version}. {BenchProsody.Limits}.";
        XmppClient Client(string user, string resource, Action<XtlsOptions>? xtls) =>
            BenchClients.OnServer(BenchProsody.Host, server.Port, BenchProsody.Domain, server.Certificate, user, resource, xtls);
        XmppClient clearA = Client("clear-a", "a", null);
        XmppClient clearB = Client("clear-b", "b", null);
        XmppClient xtlsA = Client("xtls-a", "a", WithWindow(options, FullHandshakes));
        XmppClient xtlsB = Client("xtls-b", "b", WithWindow(options, FullHandshakes));
        XmppClient[] all = [clearA, clearB, xtlsA, xtlsB];
        try
        {
            await Task.WhenAll(all.Select(c => c.ConnectAsync()));
            await TunnelLatencyAsync(report, "x509 ECDSA P-256 (TLS 1.3)", xtlsA, xtlsB, XtlsMethod.X509, 10, null, prosody: true);
            await TunnelLatencyAsync(report, "srp 2048-bit group (TLS 1.2)", xtlsA, xtlsB, XtlsMethod.Srp, 3, null, prosody: true);
            _ = await xtlsA.GetXtls().OpenAsync(xtlsB.Jid);
            foreach (int size in options.BodySizes)
            {
                Add(report, await StanzaThroughput.RunAsync(ClearProsody, clearA, clearB, size, options.CellDuration, throughTunnel: false, () => server.CpuTime));
                Add(report, await StanzaThroughput.RunAsync(XtlsProsody, xtlsA, xtlsB, size, options.CellDuration, throughTunnel: true, () => server.CpuTime));
            }
        }
        finally
        {
            foreach (XmppClient client in all)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task TunnelLatencyAsync(MacroReport report, string method, XmppClient a, XmppClient b, XtlsMethod kind, int samples, InMemoryRouter? router, bool prosody)
    {
        TunnelOpenLatency.Result result = await TunnelOpenLatency.MeasureAsync(a, b, kind, samples, router);
        int index = report.Handshakes.FindIndex(h => h.Method == method);
        if (index < 0)
        {
            return;
        }

        HandshakeRow row = report.Handshakes[index];
        report.Handshakes[index] = prosody
            ? row with { ProsodyTunnelOpenMilliseconds = result.OpenMedian }
            : row with { TunnelOpenMilliseconds = result.OpenMedian, FirstStanzaMilliseconds = result.FirstStanzaMedian, LegsToFirstStanza = result.Legs };
        Log(Inv($"  tunnel {method}{(prosody ? " via Prosody" : string.Empty)}: open {result.OpenMedian:F1} ms, first stanza {result.FirstStanzaMedian:F1} ms, legs {result.Legs}"));
    }

    private static Action<XtlsOptions> WithWindow(MacroOptions macro, Action<XtlsOptions>? more) => options =>
    {
        if (macro.TunnelWindow is { } window)
        {
            options.Tunnels.Window = window;
        }

        if (macro.ChunkSize is { } chunk)
        {
            options.Tunnels.ChunkSize = chunk;
        }

        more?.Invoke(options);
    };

    private static void WithSrp(XtlsOptions options) =>
        options.SrpPassword = _ => new string(SrpSecretChar, 24).ToCharArray();

    // The handshake rows measure full handshakes: each sample closes and opens the tunnel again, which with
    // re-opening on would re-open it instead (the "reopen" section measures that).
    private static void FullHandshakes(XtlsOptions options) => FullHandshakes(options, null);

    private static void FullHandshakes(XtlsOptions options, XtlsIdentity? identity)
    {
        WithSrp(options);
        options.ReopenTunnels = false;
        if (identity is not null)
        {
            options.Identity = identity;
        }
    }

    // Full handshakes and re-opens side by side: the engine pair alone, then tunnels on the in-memory router
    // (the first open of each pair of clients is a full handshake and only warms up; every later one re-opens).
    private static async Task ReopenAsync(MacroReport report)
    {
        (string Name, XtlsMethod Method, XtlsKeyType? Key, int Samples, bool Reopen)[] rows =
        [
            ("x509 P-256, full handshake (TLS 1.3)", XtlsMethod.X509, XtlsKeyType.EcdsaP256, 40, false),
            ("x509 P-256, re-open (TLS 1.3 PSK, psk_dhe_ke)", XtlsMethod.X509, XtlsKeyType.EcdsaP256, 40, true),
            ("srp 2048-bit, full handshake (TLS 1.2)", XtlsMethod.Srp, null, 5, false),
            ("srp, re-open (TLS 1.3 PSK, psk_dhe_ke)", XtlsMethod.Srp, null, 40, true),
        ];
        foreach ((string name, XtlsMethod method, XtlsKeyType? key, int samples, bool reopen) in rows)
        {
            HandshakeLatency.EngineResult result = HandshakeLatency.Measure(name, method, key, samples, reopen);
            report.Handshakes.Add(new HandshakeRow(name, result.Samples, result.Median, result.ClientMedian, result.ServerMedian, result.Flights, result.Bytes, null, null, null, null));
            Log($"  {name}: {result.Median:F2} ms (client {result.ClientMedian:F2}, server {result.ServerMedian:F2}), {result.Flights} flights, {result.Bytes} bytes");
        }

        await using var router = new InMemoryRouter("bench.lit");
        foreach (string user in new[] { "full-a", "full-b", "re-a", "re-b" })
        {
            router.AddAccount(user, BenchClients.Password);
        }

        await router.StartAsync();
        XmppClient fullA = BenchClients.OnRouter(router, "full-a", "a", FullHandshakes);
        XmppClient fullB = BenchClients.OnRouter(router, "full-b", "b", FullHandshakes);
        XmppClient reA = BenchClients.OnRouter(router, "re-a", "a", WithSrp);
        XmppClient reB = BenchClients.OnRouter(router, "re-b", "b", WithSrp);
        XmppClient[] all = [fullA, fullB, reA, reB];
        try
        {
            await Task.WhenAll(all.Select(c => c.ConnectAsync()));
            await TunnelLatencyAsync(report, rows[0].Name, fullA, fullB, XtlsMethod.X509, 10, router, prosody: false);
            await TunnelLatencyAsync(report, rows[1].Name, reA, reB, XtlsMethod.X509, 10, router, prosody: false);
            await TunnelLatencyAsync(report, rows[2].Name, fullA, fullB, XtlsMethod.Srp, 3, router, prosody: false);
            await TunnelLatencyAsync(report, rows[3].Name, reA, reB, XtlsMethod.Srp, 10, router, prosody: false);
        }
        finally
        {
            foreach (XmppClient client in all)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static void Add(MacroReport report, ThroughputCell cell)
    {
        report.Throughput.Add(cell);
        Log(Inv($"  {cell.Scenario} / {MacroReport.SizeName(cell.BodyBytes)}: {cell.StanzasPerSecond:N0} stanzas/s, {cell.MegabytesPerSecond:F1} MB/s, {cell.CoresBusy:F2} cores{(cell.ServerCoresBusy is { } server ? Inv($", server {server:F2} cores") : string.Empty)}"));
    }

    private static void AddMethodNotes(MacroReport report, MacroOptions options)
    {
        report.Notes.Add("Every throughput cell sends chat messages with a body of the given size for the stated time after a short warm-up; stanzas/s counts messages that arrived, MB/s their body bytes. 'cores busy' is process CPU time over wall time (2 cores at most here).");
        report.Notes.Add("1: the serialised message written into a BouncyCastle TLS 1.3 client engine (AES-128-GCM or ChaCha20 as negotiated), its records copied into the server engine and read back, all on one thread: the ceiling for this TLS engine.");
        report.Notes.Add("2: .NET SslStream (OpenSSL) TLS 1.3 with mutual P-256 certificates over an in-memory duplex connection made of two System.IO.Pipelines Pipes wrapped as Streams; a writer task and a reader task run at once.");
        report.Notes.Add("3-5: two XmppClients (the host's DotNetty pipelines) log in to a server; the sender keeps at most a window of messages on their way (about 512 KiB of bodies, 16 to 128 messages) and sends the next one when the receiver gets one. 3 and 4 use the in-memory router (DotNetty local channels; the router parses and re-serialises every stanza as a server does); 5 uses a real Prosody on loopback over TCP with STARTTLS. In 4 and 5b the messages go through an XTLS tunnel (x509, P-256, TLS 1.3) opened beforehand, in 5a and 3 in the clear. Clear and tunnel cells take turns per body size, so both meet the same neighbours; 3 and 4 run " + Inv($"{options.InMemoryRounds}") + " rounds in turn and keep each one's median round (by rate per CPU-second), with its spread noted in the cell; the targets compare rates per CPU-second (of this process, plus Prosody's for 5), with the wall-clock ratio beside it.");
        report.Notes.Add("Handshakes: 'engine pair' is one complete handshake of two TlsEngines on one thread (median; client and server CPU are the time spent in each end's calls). 'tunnel open' is XtlsService.OpenAsync until the tunnel is open at the initiator; 'first encrypted stanza' adds sending one message through it until the peer has it. 'one-way legs' counts runs of stanzas in one direction between the two clients at the router, acknowledgements not counted, until that message arrives: start, proceed, ClientHello, server flight, client Finished with the message is 5.");
        report.Notes.Add("Wire bytes: every stanza the in-memory router forwards between the two clients, serialised as the router writes it (with from and to), data IQs and IQ-results alike, divided by the stanzas delivered; 'in the clear' is the same stanzas without XTLS. The 200-byte stanza is 200 bytes as the application writes it without from/to.");
        report.Notes.Add("Memory: one client opens a tunnel to each of N peer clients (100 resources per account) on an in-memory router; GC.GetTotalMemory after forced full collections once all clients are online and again once every tunnel is open at both ends, divided by N, is the cost of one idle tunnel, both ends together. Busy: after one 16 KiB message went through some of the tunnels.");
    }

    private static string DescribeMachine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
            // Not Linux: the CPU model is only decoration.
        }

        double memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return Inv($"{Environment.ProcessorCount} cores ({cpu}), {memory:F0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, BouncyCastle.Cryptography 2.7.0, DotNetty 0.7.6");
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
