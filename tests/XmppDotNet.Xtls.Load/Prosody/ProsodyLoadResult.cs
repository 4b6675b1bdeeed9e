namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>One condition the run checks, whether it held, and what was seen.</summary>
internal sealed record LoadCondition(string Name, bool Held, string Detail);

/// <summary>What happened to the stanzas of one phase.</summary>
internal sealed record PhaseFigures
{
    public int Sent { get; init; }

    public int Messages { get; init; }

    public int IqRequests { get; init; }

    public int Succeeded { get; init; }

    /// <summary>Sends reported failed before the server went away (phase 1) or at all (phase 2); must be 0.</summary>
    public int Failed { get; init; }

    /// <summary>Sends that succeeded but whose stanza never arrived.</summary>
    public int Lost { get; init; }

    /// <summary>Sends that never settled.</summary>
    public int Pending { get; init; }

    public int Duplicates { get; init; }

    public double Seconds { get; init; }

    public int DeliveredInWindow { get; init; }

    public double StanzasPerSecond { get; init; }

    public double MegabytesPerSecond { get; init; }

    public double? MessageLatencyP50Ms { get; init; }

    public double? MessageLatencyP99Ms { get; init; }

    public double? IqRoundTripP50Ms { get; init; }

    public double? IqRoundTripP99Ms { get; init; }

    public IReadOnlyDictionary<string, int> Failures { get; init; } = new Dictionary<string, int>();
}

/// <summary>What the restart did to sessions, tunnels and stanzas in flight, and how fast everything came back.</summary>
internal sealed record RestartFigures
{
    public string Shutdown { get; init; } = "graceful";

    /// <summary>Phase-1 sends that were in flight (or issued) when the server went away and were reported failed.</summary>
    public int SendsFailed { get; init; }

    /// <summary>Of those, how many had in fact arrived (the acknowledgement was what got lost): at most once, never silently.</summary>
    public int FailedButDelivered { get; init; }

    public IReadOnlyDictionary<string, int> FailureTypes { get; init; } = new Dictionary<string, int>();

    public int SessionsEnded { get; init; }

    public IReadOnlyDictionary<string, int> SessionEndReasons { get; init; } = new Dictionary<string, int>();

    /// <summary>Tunnel ends seen (one per side of each pair expected), each with a typed reason.</summary>
    public int TunnelEnds { get; init; }

    public IReadOnlyDictionary<string, int> TunnelEndReasons { get; init; } = new Dictionary<string, int>();

    public int UndeliveredInTunnelEnds { get; init; }

    public double StopSeconds { get; init; }

    public double StartSeconds { get; init; }

    public int ReconnectAttempts { get; init; }

    /// <summary>From the moment the server was told to stop until every client was online again.</summary>
    public double AllReconnectedSeconds { get; init; }

    /// <summary>From the moment the server was told to stop until every pair had a tunnel again.</summary>
    public double AllTunnelsReopenedSeconds { get; init; }
}

/// <summary>Everything the <c>prosody</c> load run measured and checked.</summary>
internal sealed record ProsodyLoadResult
{
    public string ProsodyVersion { get; init; } = string.Empty;

    public string Limits { get; init; } = string.Empty;

    public int Clients { get; init; }

    public int Pairs { get; init; }

    public double PhaseSeconds { get; init; }

    public int Window { get; init; }

    public double AccountsSeconds { get; init; }

    public double ConnectSeconds { get; init; }

    public int ConnectAttempts { get; init; }

    public double TunnelOpenSeconds { get; init; }

    public PhaseFigures Phase1 { get; init; } = new();

    public RestartFigures Restart { get; init; } = new();

    public PhaseFigures Phase2 { get; init; } = new();

    public int OutOfOrder { get; init; }

    public int InClear { get; init; }

    public int Unrecognised { get; init; }

    public int AnswerFailures { get; init; }

    public int ClientsStuckAtDisconnect { get; init; }

    /// <summary>The managed heap after a full collection once phase 1's sends settled (ledgers included, which grow with the run).</summary>
    public double HeapAfterPhase1Megabytes { get; init; }

    public double HeapAfterPhase2Megabytes { get; init; }

    public string LoadAverageAtStart { get; init; } = string.Empty;

    public string LoadAverageAtEnd { get; init; } = string.Empty;

    public double TotalSeconds { get; init; }

    public string? Error { get; init; }

    public IReadOnlyList<LoadCondition> Conditions { get; init; } = [];

    public bool Passed => Error is null && Conditions.Count > 0 && Conditions.All(c => c.Held);
}
