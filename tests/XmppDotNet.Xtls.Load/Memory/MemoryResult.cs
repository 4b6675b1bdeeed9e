namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>Everything one in-memory run measured, and the conditions it failed (none: it passed).</summary>
internal sealed record MemoryResult
{
    public required MemoryRunOptions Options { get; init; }

    public required MachineInfo Machine { get; init; }

    public required IReadOnlyList<RaisedLimit> RaisedLimits { get; init; }

    public MemoryBounds? Bounds { get; set; }

    public double TotalSeconds { get; set; }

    public double ConnectSeconds { get; set; }

    // Phase 1: handshakes.
    public int TunnelsOpened { get; set; }

    public int OpenFailures { get; set; }

    public double HandshakeSeconds { get; set; }

    public double OpenLatencyP50Ms { get; set; }

    public double OpenLatencyP99Ms { get; set; }

    public double OpenLatencyMaxMs { get; set; }

    public double HandshakeCpuSeconds { get; set; }

    public string? TlsVersion { get; set; }

    public string? CipherSuite { get; set; }

    // Phase 2: traffic.
    public long StanzasSent { get; set; }

    public long StanzasReceived { get; set; }

    public long SendFailures { get; set; }

    public long Lost { get; set; }

    public long Duplicated { get; set; }

    public long Altered { get; set; }

    public long Misaddressed { get; set; }

    public long InTheClear { get; set; }

    public long Unreadable { get; set; }

    public long BodyBytes { get; set; }

    public double TrafficSeconds { get; set; }

    public double TrafficCpuSeconds { get; set; }

    public int TrafficGen0 { get; set; }

    public int TrafficGen1 { get; set; }

    public int TrafficGen2 { get; set; }

    public double StanzasPerSecond => TrafficSeconds > 0 ? StanzasReceived / TrafficSeconds : 0;

    public double BodyMegabytesPerSecond => TrafficSeconds > 0 ? BodyBytes / 1e6 / TrafficSeconds : 0;

    // Closing.
    public double CloseSeconds { get; set; }

    public int UnexpectedCloses { get; set; }

    public IReadOnlyDictionary<string, long> CountsAfterClose { get; set; } = new Dictionary<string, long>();

    // Memory (bytes).
    public MemoryReading? Baseline { get; set; }

    public MemoryReading? AfterHandshakes { get; set; }

    public MemoryReading? AfterTraffic { get; set; }

    public MemoryReading? AfterClose { get; set; }

    public long PeakHeap { get; set; }

    public long PeakWorkingSet { get; set; }

    public long PeakHeapHandshakes { get; set; }

    public long PeakHeapTraffic { get; set; }

    public long PeakWorkingSetHandshakes { get; set; }

    public long PeakWorkingSetTraffic { get; set; }

    public long MemorySamples { get; set; }

    public double HeapPerOpenTunnel => Baseline is { } b && AfterHandshakes is { } h && TunnelsOpened > 0 ? (double)(h.Heap - b.Heap) / TunnelsOpened : 0;

    public double CpuSeconds { get; set; }

    public List<string> Failures { get; } = [];

    public string? FirstError { get; set; }

    public bool Passed => Failures.Count == 0;
}

/// <summary>The memory conditions: the peak may not exceed <see cref="PeakHeap"/>, and the heap after closing must be within <see cref="LeakAllowance"/> of the baseline.</summary>
internal sealed record MemoryBounds(long PeakHeap, long LeakAllowance, string PeakRule, string LeakRule);

/// <summary>Where the run ran.</summary>
internal sealed record MachineInfo(int Cores, string Cpu, string Runtime, string Os, long MemoryBytes, string LoadAverageBefore, string? LoadAverageAfter)
{
    public string? LoadAverageAfter { get; set; } = LoadAverageAfter;
}
