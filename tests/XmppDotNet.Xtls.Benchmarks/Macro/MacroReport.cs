using System.Globalization;
using System.Text;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>One throughput cell: a scenario and a body size, measured for a bounded time.</summary>
public sealed record ThroughputCell(
    string Scenario,
    int BodyBytes,
    long Stanzas,
    double Seconds,
    double CpuSeconds,
    int Window,
    string? Note)
{
    /// <summary>CPU time of the server process (Prosody) during the cell, when it was measured.</summary>
    public double? ServerCpuSeconds { get; init; }

    /// <summary>Cores the server kept busy on average, when measured.</summary>
    public double? ServerCoresBusy => ServerCpuSeconds is { } cpu && Seconds > 0 ? cpu / Seconds : null;

    public double StanzasPerSecond => Seconds > 0 ? Stanzas / Seconds : 0;

    /// <summary>Megabytes (10^6 bytes) of message body per second.</summary>
    public double MegabytesPerSecond => StanzasPerSecond * BodyBytes / 1e6;

    /// <summary>Stanzas per CPU-second of this process and, when measured, the server: the rate with the neighbours' share of a shared machine taken out.</summary>
    public double StanzasPerCpuSecond => CpuSeconds + (ServerCpuSeconds ?? 0) > 0 ? Stanzas / (CpuSeconds + (ServerCpuSeconds ?? 0)) : 0;

    /// <summary>Cores busy on average while the cell ran (process CPU time over wall time).</summary>
    public double CoresBusy => Seconds > 0 ? CpuSeconds / Seconds : 0;

    /// <summary>Managed bytes this process allocated during the cell (all threads).</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Work items the .NET thread pool completed during the cell: each is a hop between threads.</summary>
    public long ThreadPoolWorkItems { get; init; }

    /// <summary>Managed bytes allocated per delivered stanza, both clients and the in-memory router together.</summary>
    public double AllocatedBytesPerStanza => Stanzas > 0 ? (double)AllocatedBytes / Stanzas : 0;

    /// <summary>Thread-pool work items per delivered stanza.</summary>
    public double ThreadPoolWorkItemsPerStanza => Stanzas > 0 ? (double)ThreadPoolWorkItems / Stanzas : 0;

    /// <summary>The round with the median rate per CPU-second, noting the range of all rounds.</summary>
    public static ThroughputCell Median(IReadOnlyList<ThroughputCell> rounds)
    {
        ThroughputCell[] sorted = [.. rounds.OrderBy(c => c.StanzasPerCpuSecond)];
        ThroughputCell median = sorted[sorted.Length / 2];
        return sorted.Length == 1
            ? median
            : median with { Note = string.Create(CultureInfo.InvariantCulture, $"median of {sorted.Length}: {sorted[0].StanzasPerCpuSecond:N0}–{sorted[^1].StanzasPerCpuSecond:N0} per CPU-s") };
    }
}

/// <summary>Handshake cost of one TLS method.</summary>
public sealed record HandshakeRow(
    string Method,
    int Samples,
    double MedianMilliseconds,
    double ClientMilliseconds,
    double ServerMilliseconds,
    int Flights,
    long Bytes,
    double? TunnelOpenMilliseconds,
    double? FirstStanzaMilliseconds,
    int? LegsToFirstStanza,
    double? ProsodyTunnelOpenMilliseconds);

/// <summary>Wire bytes per stanza with XTLS against the same stanza in the clear.</summary>
public sealed record WireRow(
    string Load,
    int StanzaBytes,
    long Stanzas,
    double ClearBytesPerStanza,
    double XtlsBytesPerStanza,
    double IqsPerStanza,
    double AcksPerStanza)
{
    public double RatioToClear => ClearBytesPerStanza > 0 ? XtlsBytesPerStanza / ClearBytesPerStanza : 0;

    public double RatioToStanza => StanzaBytes > 0 ? XtlsBytesPerStanza / StanzaBytes : 0;
}

/// <summary>Managed memory of idle and busy tunnels.</summary>
public sealed record MemoryRow(
    int Tunnels,
    double SecondsToOpen,
    double BytesPerIdleTunnel,
    int BusyTunnels,
    double BytesPerBusyTunnel,
    double BaselineMegabytes,
    string? Note)
{
    /// <summary>1 KiB messages per second through one tunnel of the hub while all the others idle.</summary>
    public double? StanzasPerSecondBesideIdle { get; init; }
}

/// <summary>An echoed chat through a server that shapes every client: clear against XTLS.</summary>
public sealed record ThrottledChatRow(
    string Server,
    int Lines,
    int Outstanding,
    double ClearLinesPerSecond,
    double XtlsLinesPerSecond,
    double ClearBytesPerLine,
    double XtlsBytesPerLine,
    double XtlsStanzasPerLine)
{
    public double Ratio => ClearLinesPerSecond > 0 ? XtlsLinesPerSecond / ClearLinesPerSecond : 0;
}

/// <summary>A performance target and how the run measured up.</summary>
public sealed record TargetRow(string Target, string Measured, bool? Met, string Why);

/// <summary>Everything one macro run measured.</summary>
public sealed class MacroReport
{
    public required string Machine { get; init; }

    public required DateTimeOffset Started { get; init; }

    public double TotalSeconds { get; set; }

    public double CellSeconds { get; init; }

    public string ProsodyNote { get; set; } = string.Empty;

    public List<ThroughputCell> Throughput { get; } = [];

    public List<HandshakeRow> Handshakes { get; } = [];

    public List<WireRow> Wire { get; } = [];

    public List<MemoryRow> Memory { get; } = [];

    public List<ThrottledChatRow> ThrottledChat { get; } = [];

    public List<TargetRow> Targets { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>The cell of a scenario and size, or <c>null</c>.</summary>
    public ThroughputCell? Cell(string scenario, int bodyBytes) =>
        Throughput.Find(c => c.Scenario == scenario && c.BodyBytes == bodyBytes);

    /// <summary>The report as Markdown: the tables docs/benchmarks.md quotes.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# XmppDotNet.Xtls macro benchmark");
        md.AppendLine();
        md.AppendLine(Inv($"Run {Started:yyyy-MM-dd HH:mm} UTC on {Machine}; {TotalSeconds:F0} s in all, {CellSeconds:F1} s per throughput cell."));
        md.AppendLine("The machine is shared and noisy: compare ratios within this run, not absolute numbers across runs.");
        md.AppendLine();
        md.AppendLine("## Throughput: stanzas/s and MB/s of message body (MB = 10^6 bytes)");
        md.AppendLine();
        int[] sizes = [.. Throughput.Select(c => c.BodyBytes).Distinct().Order()];
        md.Append("| scenario |");
        foreach (int size in sizes)
        {
            md.Append(' ').Append(SizeName(size)).Append(" |");
        }

        md.AppendLine(" cores busy (this process) |");
        md.Append("| --- |");
        foreach (int _ in sizes)
        {
            md.Append(" ---: |");
        }

        md.AppendLine(" ---: |");
        foreach (string scenario in Throughput.Select(c => c.Scenario).Distinct())
        {
            md.Append("| ").Append(scenario).Append(" |");
            var cores = new List<double>();
            foreach (int size in sizes)
            {
                ThroughputCell? cell = Cell(scenario, size);
                if (cell is null)
                {
                    md.Append(" – |");
                    continue;
                }

                cores.Add(cell.CoresBusy);
                md.Append(Inv($" {cell.StanzasPerSecond:N0}/s · {cell.MegabytesPerSecond:F1} MB/s"));
                if (cell.ServerCoresBusy is { } server)
                {
                    md.Append(Inv($" (server {server:F2} cores)"));
                }

                if (cell.Note is not null)
                {
                    md.Append(" (").Append(cell.Note).Append(')');
                }

                md.Append(" |");
            }

            md.AppendLine(cores.Count > 0 ? Inv($" {cores.Average():F2} |") : " – |");
        }

        md.AppendLine();
        md.AppendLine("Per CPU-second (this process, plus the server's CPU time for Prosody), which takes out what the neighbours on a shared machine took:");
        md.AppendLine();
        AppendPerCell(md, sizes, cell => Inv($"{cell.StanzasPerCpuSecond:N0}"));
        md.AppendLine("Per delivered stanza, in this process (both clients, and the router where it is in memory): managed bytes allocated, and .NET thread-pool work items (hops from one thread to another):");
        md.AppendLine();
        AppendPerCell(md, sizes, cell => Inv($"{cell.AllocatedBytesPerStanza:N0} B · {cell.ThreadPoolWorkItemsPerStanza:F2}"));
        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| target | measured | met | why |");
        md.AppendLine("| --- | --- | :---: | --- |");
        foreach (TargetRow target in Targets)
        {
            string met = target.Met switch { true => "yes", false => "**no**", null => "n/a" };
            md.Append("| ").Append(target.Target).Append(" | ").Append(target.Measured).Append(" | ").Append(met).Append(" | ").Append(target.Why).AppendLine(" |");
        }

        md.AppendLine();
        md.AppendLine("## Handshakes");
        md.AppendLine();
        md.AppendLine("| method | engine pair, median | client CPU | server CPU | TLS flights | TLS bytes | tunnel open (in-memory router) | first encrypted stanza | one-way legs to it | tunnel open via Prosody |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (HandshakeRow row in Handshakes)
        {
            md.AppendLine(Inv($"| {row.Method} | {row.MedianMilliseconds:F2} ms | {row.ClientMilliseconds:F2} ms | {row.ServerMilliseconds:F2} ms | {row.Flights} | {row.Bytes:N0} | {Ms(row.TunnelOpenMilliseconds)} | {Ms(row.FirstStanzaMilliseconds)} | {row.LegsToFirstStanza?.ToString(CultureInfo.InvariantCulture) ?? "–"} | {Ms(row.ProsodyTunnelOpenMilliseconds)} |"));
        }

        md.AppendLine();
        md.AppendLine("## Bytes on the wire per stanza (every IQ the router forwards, acknowledgements included)");
        md.AppendLine();
        md.AppendLine("| load | stanza | stanzas | in the clear | through XTLS | XTLS / clear | XTLS / stanza | data IQs per stanza | IQ-results per stanza |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (WireRow row in Wire)
        {
            md.AppendLine(Inv($"| {row.Load} | {row.StanzaBytes:N0} B | {row.Stanzas:N0} | {row.ClearBytesPerStanza:N0} B | {row.XtlsBytesPerStanza:N0} B | {row.RatioToClear:F2}× | {row.RatioToStanza:F2}× | {row.IqsPerStanza:F3} | {row.AcksPerStanza:F3} |"));
        }

        md.AppendLine();
        md.AppendLine("## Managed memory per tunnel (both ends, GC.GetTotalMemory after a full collection)");
        md.AppendLine();
        md.AppendLine("| tunnels | time to open all | per idle tunnel (both ends) | per idle tunnel end | busy tunnels | per busy tunnel (both ends) | heap before tunnels | 1 KiB messages/s through one tunnel beside the idle ones |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (MemoryRow row in Memory)
        {
            md.AppendLine(Inv($"| {row.Tunnels:N0} | {row.SecondsToOpen:F1} s | {row.BytesPerIdleTunnel / 1024:F1} KiB | {row.BytesPerIdleTunnel / 2048:F1} KiB | {row.BusyTunnels:N0} | {row.BytesPerBusyTunnel / 1024:F1} KiB | {row.BaselineMegabytes:F0} MB | {row.StanzasPerSecondBesideIdle:N0}/s |"));
        }

        if (ThrottledChat.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Chat through a throttled server (lines echoed by the peer; wire bytes: XML both clients wrote to the server, per line)");
            md.AppendLine();
            md.AppendLine("| server | lines | lines on their way | clear lines/s | XTLS lines/s | XTLS / clear | clear bytes/line | XTLS bytes/line | XTLS IQs/line |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (ThrottledChatRow row in ThrottledChat)
            {
                md.AppendLine(Inv($"| {row.Server} | {row.Lines} | {row.Outstanding} | {row.ClearLinesPerSecond:F1} | {row.XtlsLinesPerSecond:F1} | {row.Ratio:P0} | {row.ClearBytesPerLine:F0} | {row.XtlsBytesPerLine:F0} | {row.XtlsStanzasPerLine:F2} |"));
            }
        }

        md.AppendLine();
        md.AppendLine("## How it was measured");
        md.AppendLine();
        foreach (string note in Notes)
        {
            md.Append("- ").AppendLine(note);
        }

        if (ProsodyNote.Length > 0)
        {
            md.Append("- ").AppendLine(ProsodyNote);
        }

        return md.ToString();
    }

    private void AppendPerCell(StringBuilder md, int[] sizes, Func<ThroughputCell, string> format)
    {
        md.Append("| scenario |");
        foreach (int size in sizes)
        {
            md.Append(' ').Append(SizeName(size)).Append(" |");
        }

        md.AppendLine();
        md.Append("| --- |");
        foreach (int _ in sizes)
        {
            md.Append(" ---: |");
        }

        md.AppendLine();
        foreach (string scenario in Throughput.Select(c => c.Scenario).Distinct())
        {
            md.Append("| ").Append(scenario).Append(" |");
            foreach (int size in sizes)
            {
                md.Append(Cell(scenario, size) is { } cell ? " " + format(cell) + " |" : " – |");
            }

            md.AppendLine();
        }

        md.AppendLine();
    }

    public static string SizeName(int bytes) => bytes >= 1024 && bytes % 1024 == 0 ? Inv($"{bytes / 1024} KiB") : Inv($"{bytes} B");

    private static string Ms(double? value) => value is { } v ? Inv($"{v:F1} ms") : "–";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
