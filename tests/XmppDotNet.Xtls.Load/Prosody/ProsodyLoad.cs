using System.Globalization;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>
/// The <c>prosody</c> load run: clients in pairs with a tunnel each through a throwaway Prosody on loopback,
/// a phase of mixed load, the server restarted under that load, everyone back, a second phase; every
/// stanza accounted for. Each wait is bounded; the run as a whole is bounded by the caller's token.
/// </summary>
internal sealed class ProsodyLoad
{
    public const string Limits =
        "mod_limits not loaded (no rate limit), c2s_stanza_size_limit 1 MiB, Nagle off; clients over STARTTLS with the certificate pinned";

    private const int StanzaSizeLimit = 1 << 20;
    private const int OpenConcurrency = 16;
    private const int MinimumPerDirection = 10;
    private static readonly TimeSpan StepBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly ProsodyLoadOptions _options;
    private readonly LatencySamples _latency = new();
    private readonly List<LoadCondition> _conditions = [];
    private readonly List<XmppClient> _clients = [];
    private readonly List<LoadPair> _pairs = [];

    private ProsodyLoad(ProsodyLoadOptions options) => _options = options;

    /// <summary>Runs everything and returns the figures and the verdict; never throws for a failed condition.</summary>
    public static async Task<ProsodyLoadResult> RunAsync(ProsodyLoadOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        var run = new ProsodyLoad(options);
        return await run.ExecuteAsync(progress, cancellationToken);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static bool IsTyped(string failure) =>
        failure.StartsWith(nameof(XtlsTunnelException), StringComparison.Ordinal)
        || failure.StartsWith("Xmpp", StringComparison.Ordinal)
        || failure == nameof(InvalidOperationException);

    private async Task<ProsodyLoadResult> ExecuteAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        long started = RunClock.Now;
        string loadAtStart = LoadAverage();
        var result = new ProsodyLoadResult
        {
            Clients = _options.Clients,
            Pairs = _options.Pairs,
            PhaseSeconds = _options.Phase.TotalSeconds,
            Window = _options.Window,
            Limits = Limits,
            LoadAverageAtStart = loadAtStart,
        };
        await using var server = new ProsodyServer(new ProsodyServerOptions
        {
            Domain = "xtls.load",
            StanzaSizeLimit = StanzaSizeLimit,
            StartTimeout = TimeSpan.FromSeconds(60),
        });
        try
        {
            result = await DriveAsync(server, result, progress, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or XmppDotNet.Xtls.Host.XmppException or InvalidOperationException or ProsodyStartException)
        {
            string why = cancellationToken.IsCancellationRequested ? "the run's time limit passed" : $"{e.GetType().Name}: {e.Message}";
            progress("run aborted: " + why);
            result = result with { Error = why + Environment.NewLine + server.ReadLogTail(20) };
        }
        finally
        {
            foreach (LoadPair pair in _pairs)
            {
                pair.Dispose();
            }

            int stuck = await LoadClients.DisconnectAllAsync(_clients);
            result = result with { ClientsStuckAtDisconnect = stuck };
        }

        return result with
        {
            Conditions = [.. _conditions],
            LoadAverageAtEnd = LoadAverage(),
            TotalSeconds = Math.Round(RunClock.Since(started).TotalSeconds, 1),
        };
    }

    private async Task<ProsodyLoadResult> DriveAsync(ProsodyServer server, ProsodyLoadResult result, Action<string> progress, CancellationToken cancellationToken)
    {
        string version = await server.ReadVersionAsync(cancellationToken);
        long t = RunClock.Now;
        await server.RegisterUsersAsync(LoadClients.Accounts(_options.Clients), cancellationToken);
        double accounts = RunClock.Since(t).TotalSeconds;
        await server.StartAsync(cancellationToken);
        progress($"{version} on {server.Host}:{server.Port}; {_options.Clients} accounts in {accounts:F2} s");

        for (int i = 0; i < _options.Clients; i++)
        {
            _clients.Add(LoadClients.Build(server, i));
        }

        for (int p = 0; p < _options.Pairs; p++)
        {
            _pairs.Add(new LoadPair(p, _clients[2 * p], _clients[(2 * p) + 1], _latency));
        }

        t = RunClock.Now;
        (int attempts, List<string> connectFailures) = await LoadClients.ConnectAllAsync(_clients, cancellationToken);
        double connect = RunClock.Since(t).TotalSeconds;
        Check("all clients connected", connectFailures.Count == 0, $"{_options.Clients - connectFailures.Count}/{_options.Clients} in {attempts} attempts {string.Join("; ", connectFailures.Take(3))}");
        t = RunClock.Now;
        List<string> openFailures = await OpenTunnelsAsync(cancellationToken);
        double open = RunClock.Since(t).TotalSeconds;
        Check("a tunnel open in every pair", openFailures.Count == 0, $"{_options.Pairs - openFailures.Count}/{_options.Pairs} {string.Join("; ", openFailures.Take(3))}");
        progress($"connected in {connect:F2} s, {_options.Pairs} tunnels open in {open:F2} s; phase 1 for {_options.Phase.TotalSeconds} s");
        if (connectFailures.Count > 0 || openFailures.Count > 0)
        {
            return result with { ProsodyVersion = version, AccountsSeconds = accounts, ConnectSeconds = connect, TunnelOpenSeconds = open };
        }

        // Phase 1, then the restart while the load still flows.
        long phase1Start = RunClock.Now;
        using var phase1Stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        (DirectionSender[] senders1, Task loops1) = StartSenders(1, phase1Stop.Token);
        await RunPhaseAsync(1, senders1, cancellationToken);
        long phase1End = RunClock.Now;
        Check("no tunnel or session ended during phase 1", _pairs.All(p => p.Sides.All(s => s.TunnelEnds.Length == 0 && s.SessionEnds.Length == 0)), CountEnds());

        long restartAt = RunClock.Now;
        progress($"phase 1 done; stopping the server ({(_options.KillServer ? "kill" : "graceful")}) under load");
        await server.StopProcessAsync(_options.KillServer ? ShutdownMode.Kill : ShutdownMode.Graceful);
        double stopSeconds = RunClock.Since(restartAt).TotalSeconds;
        bool allEnded = await WaitUntilAsync(() => _clients.All(c => c.State != SessionState.Online), cancellationToken);
        await phase1Stop.CancelAsync();
        await loops1.WaitAsync(StepBound, cancellationToken);
        bool settled1 = await DrainAsync(senders1);
        bool tunnelsEnded = await WaitUntilAsync(() => _pairs.All(p => p.Sides.All(s => s.TunnelEnds.Length >= 1)), cancellationToken);
        Check("every client saw its session end", allEnded && _pairs.All(p => p.Sides.All(s => s.SessionEnds.Length == 1)), CountEnds());
        Check("every tunnel ended on both sides with a reason", tunnelsEnded && _pairs.All(p => p.Sides.All(s => s.TunnelEnds is [{ WasOpen: true }])), CountEnds());
        Check("every send in flight at the restart settled (none hung)", settled1, settled1 ? "all settled" : "some sends never settled");
        Check("no tunnel state left behind after the restart", _pairs.All(p => p.Sides.All(s => s.Xtls.OpenTunnels.Count == 0)), $"{_pairs.Sum(p => p.Sides.Sum(s => s.Xtls.OpenTunnels.Count))} tunnels still listed as open");
        long heapAfterPhase1 = GC.GetTotalMemory(forceFullCollection: true);

        long startAt = RunClock.Now;
        await server.StartAsync(cancellationToken);
        double startSeconds = RunClock.Since(startAt).TotalSeconds;
        (int reconnectAttempts, List<string> reconnectFailures) = await LoadClients.ConnectAllAsync(_clients, cancellationToken);
        double reconnected = RunClock.Since(restartAt).TotalSeconds;
        Check("every client connected again", reconnectFailures.Count == 0, $"{_options.Clients - reconnectFailures.Count}/{_options.Clients} in {reconnectAttempts} attempts {string.Join("; ", reconnectFailures.Take(3))}");
        List<string> reopenFailures = reconnectFailures.Count == 0 ? await OpenTunnelsAsync(cancellationToken) : ["not all clients online"];
        double reopened = RunClock.Since(restartAt).TotalSeconds;
        Check("a new tunnel open in every pair", reopenFailures.Count == 0, $"{_options.Pairs - reopenFailures.Count}/{_options.Pairs} {string.Join("; ", reopenFailures.Take(3))}");
        progress($"server back in {startSeconds:F2} s; all reconnected {reconnected:F2} s and all tunnels open {reopened:F2} s after the stop began; phase 2");

        long phase2Start = RunClock.Now;
        long phase2End = phase2Start;
        bool settled2 = true;
        if (reopenFailures.Count == 0)
        {
            using var phase2Stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            (DirectionSender[] senders2, Task loops2) = StartSenders(2, phase2Stop.Token);
            await RunPhaseAsync(2, senders2, cancellationToken);
            phase2End = RunClock.Now;
            await phase2Stop.CancelAsync();
            await loops2.WaitAsync(StepBound, cancellationToken);
            settled2 = await DrainAsync(senders2);
            Check("every phase 2 send settled (none hung)", settled2, settled2 ? "all settled" : "some sends never settled");
            Check("exactly one tunnel per client after phase 2", _pairs.All(p => p.Sides.All(s => s.Xtls.OpenTunnels.Count == 1)), $"{_pairs.Sum(p => p.Sides.Sum(s => s.Xtls.OpenTunnels.Count))} tunnels listed as open over {_options.Clients} clients");
            Check("no tunnel or session ended during phase 2", _pairs.All(p => p.Sides.All(s => s.TunnelEnds.Length == 1 && s.SessionEnds.Length == 1)), CountEnds());
        }

        long heapAfterPhase2 = GC.GetTotalMemory(forceFullCollection: true);
        return Figures(result, version, accounts, connect, attempts, open, phase1Start, phase1End, restartAt, phase2Start, phase2End) with
        {
            HeapAfterPhase1Megabytes = Math.Round(heapAfterPhase1 / (1024.0 * 1024.0), 1),
            HeapAfterPhase2Megabytes = Math.Round(heapAfterPhase2 / (1024.0 * 1024.0), 1),
            Restart = Restart(restartAt, stopSeconds, startSeconds, reconnectAttempts, reconnected, reopened),
        };
    }

    private ProsodyLoadResult Figures(
        ProsodyLoadResult result, string version, double accounts, double connect, int attempts, double open,
        long phase1Start, long phase1End, long restartAt, long phase2Start, long phase2End)
    {
        DirectionLedger.Entry[] all = [.. _pairs.SelectMany(p => p.Sides).SelectMany(s => s.Ledger.Snapshot())];
        PhaseFigures phase1 = LoadVerdict.Phase(all, 1, phase1Start, phase1End, restartAt, _latency);
        PhaseFigures phase2 = LoadVerdict.Phase(all, 2, phase2Start, phase2End, long.MaxValue, _latency);
        DirectionLedger[] ledgers = [.. _pairs.SelectMany(p => p.Sides).Select(s => s.Ledger)];
        int outOfOrder = ledgers.Sum(l => l.OutOfOrder);
        int inClear = ledgers.Sum(l => l.InClear);
        int unknown = ledgers.Sum(l => l.Unknown);
        foreach ((string name, PhaseFigures figures) in new[] { ("phase 1", phase1), ("phase 2", phase2) })
        {
            Check($"{name}: load flowed", figures.Sent > 0 && figures.DeliveredInWindow > 0, $"{figures.Sent} sent, {figures.DeliveredInWindow} delivered in the window");
            Check($"{name}: no send failed", figures.Failed == 0, LoadVerdict.Describe(figures.Failures));
            Check($"{name}: nothing lost, duplicated or left pending", figures.Lost == 0 && figures.Duplicates == 0 && figures.Pending == 0, $"lost {figures.Lost}, duplicated {figures.Duplicates}, pending {figures.Pending}");
        }

        IReadOnlyDictionary<string, int> types = LoadVerdict.RestartFailures(all, restartAt).Types;
        Check("restart: every failed send reported with a typed exception", types.Keys.All(IsTyped), LoadVerdict.Describe(types));
        Check("every stanza in order, through the tunnel, and recognised", outOfOrder == 0 && inClear == 0 && unknown == 0, $"out of order {outOfOrder}, in the clear {inClear}, unrecognised {unknown}");
        return result with
        {
            ProsodyVersion = version,
            AccountsSeconds = Math.Round(accounts, 3),
            ConnectSeconds = Math.Round(connect, 2),
            ConnectAttempts = attempts,
            TunnelOpenSeconds = Math.Round(open, 2),
            Phase1 = phase1,
            Phase2 = phase2,
            OutOfOrder = outOfOrder,
            InClear = inClear,
            Unrecognised = unknown,
            AnswerFailures = _pairs.SelectMany(p => p.Sides).Sum(s => s.AnswerFailures),
        };
    }

    private RestartFigures Restart(long restartAt, double stopSeconds, double startSeconds, int reconnectAttempts, double reconnected, double reopened)
    {
        DirectionLedger.Entry[] all = [.. _pairs.SelectMany(p => p.Sides).SelectMany(s => s.Ledger.Snapshot())];
        (int failed, int failedButDelivered, IReadOnlyDictionary<string, int> types) = LoadVerdict.RestartFailures(all, restartAt);
        LoadSide[] sides = [.. _pairs.SelectMany(p => p.Sides)];
        SessionClosedEventArgs[] sessionEnds = [.. sides.Select(s => s.SessionEnds.FirstOrDefault()).OfType<SessionClosedEventArgs>()];
        XtlsTunnelClosedEventArgs[] tunnelEnds = [.. sides.Select(s => s.TunnelEnds.FirstOrDefault()).OfType<XtlsTunnelClosedEventArgs>()];
        return new RestartFigures
        {
            Shutdown = _options.KillServer ? "kill (SIGKILL)" : "graceful (SIGTERM)",
            SendsFailed = failed,
            FailedButDelivered = failedButDelivered,
            FailureTypes = types,
            SessionsEnded = sessionEnds.Length,
            SessionEndReasons = LoadVerdict.Count(sessionEnds.Select(e => e.Error is null ? e.Reason.ToString() : $"{e.Reason}({e.Error.GetType().Name})")),
            TunnelEnds = tunnelEnds.Length,
            TunnelEndReasons = LoadVerdict.Count(tunnelEnds.Select(e => e.Reason.ToString())),
            UndeliveredInTunnelEnds = tunnelEnds.Sum(e => e.UndeliveredStanzas),
            StopSeconds = Math.Round(stopSeconds, 2),
            StartSeconds = Math.Round(startSeconds, 2),
            ReconnectAttempts = reconnectAttempts,
            AllReconnectedSeconds = Math.Round(reconnected, 2),
            AllTunnelsReopenedSeconds = Math.Round(reopened, 2),
        };
    }

    private (DirectionSender[] Senders, Task Loops) StartSenders(int phase, CancellationToken stop)
    {
        var senders = new List<DirectionSender>();
        foreach (LoadPair pair in _pairs)
        {
            int seed = _options.Seed + (pair.Index * 4) + (phase * 2);
            senders.Add(new DirectionSender(pair.A, pair.B, phase, _options.Window, _latency, seed));
            senders.Add(new DirectionSender(pair.B, pair.A, phase, _options.Window, _latency, seed + 1));
        }

        Task loops = Task.WhenAll(senders.Select(s => Task.Run(() => s.SendAsync(stop), CancellationToken.None)));
        return ([.. senders], loops);
    }

    /// <summary>
    /// A phase lasts its time and until every direction had <see cref="MinimumPerDirection"/> sends succeed,
    /// so that even a starved machine checks real traffic (bounded like every wait).
    /// </summary>
    private async Task RunPhaseAsync(int phase, DirectionSender[] senders, CancellationToken cancellationToken)
    {
        await Task.Delay(_options.Phase, cancellationToken);
        bool enough = await WaitUntilAsync(() => senders.All(s => s.Succeeded >= MinimumPerDirection), cancellationToken);
        Check($"phase {phase}: every direction carried at least {MinimumPerDirection} stanzas", enough, $"fewest in one direction: {senders.Min(s => s.Succeeded)}");
    }

    private static async Task<bool> DrainAsync(DirectionSender[] senders)
    {
        bool[] drained = await Task.WhenAll(senders.Select(s => s.DrainAsync(StepBound)));
        if (drained.All(d => d))
        {
            foreach (DirectionSender sender in senders)
            {
                sender.Dispose();
            }

            return true;
        }

        return false;
    }

    /// <summary>Opens the tunnel of every pair (A asks B) and waits until both sides have it.</summary>
    private async Task<List<string>> OpenTunnelsAsync(CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(OpenConcurrency);
        var failures = new List<string>();
        var failuresGate = new Lock();
        await Task.WhenAll(_pairs.Select(async pair =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bound.CancelAfter(StepBound);
                await pair.A.Xtls.OpenAsync(pair.B.Jid, cancellationToken: bound.Token);
                if (!await WaitUntilAsync(() => pair.B.Xtls.GetTunnel(pair.A.Jid) is not null, cancellationToken))
                {
                    throw new TimeoutException("the responder never saw the tunnel open");
                }
            }
            catch (Exception e) when (e is XtlsTunnelException or TimeoutException or InvalidOperationException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                lock (failuresGate)
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture, $"pair {pair.Index}: {e.GetType().Name}: {e.Message}"));
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return failures;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <see cref="StepBound"/> passes.</summary>
    private static async Task<bool> WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(StepBound);
        while (!condition())
        {
            if (bound.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return true;
    }

    private string CountEnds()
    {
        LoadSide[] sides = [.. _pairs.SelectMany(p => p.Sides)];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"sessions ended {sides.Sum(s => s.SessionEnds.Length)}, tunnel ends {sides.Sum(s => s.TunnelEnds.Length)} ({LoadVerdict.Describe(LoadVerdict.Count(sides.SelectMany(s => s.TunnelEnds).Select(e => e.Reason.ToString())))}) over {sides.Length} clients");
    }

    private void Check(string name, bool held, string detail) => _conditions.Add(new LoadCondition(name, held, detail));
}
