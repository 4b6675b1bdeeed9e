using System.Globalization;
using System.Text;
using System.Text.Json;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>Writes a run's result as memory.md (the tables of docs/load-runs.md) and memory.json (every figure).</summary>
internal static class MemoryReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task WriteAsync(MemoryResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "memory.md"), Markdown(result));
        await File.WriteAllTextAsync(Path.Combine(directory, "memory.json"), JsonSerializer.Serialize(result, Json));
    }

    public static string Markdown(MemoryResult r)
    {
        MachineInfo m = r.Machine;
        var md = new StringBuilder();
        Line(md, $"In-memory load run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {r.Options.Tunnels:N0} tunnels, {r.Options.Stanzas:N0} stanzas, bodies of {string.Join("/", r.Options.Payloads)} B, window {r.Options.Window} per tunnel and direction; "
            + $"{m.Cores} cores ({m.Cpu}), {m.MemoryBytes / (1024.0 * 1024 * 1024):F0} GiB, {m.Os}, {m.Runtime}; load average {m.LoadAverageBefore} before, {m.LoadAverageAfter} after; {r.TotalSeconds:F0} s in all. "
            + (r.Passed ? "Every condition held." : "**Failed:** " + string.Join("; ", r.Failures) + "."));
        Line(md, string.Empty);
        Line(md, "| figure | value |");
        Line(md, "| --- | ---: |");
        Row(md, "clients online (hub + peers; logins, not measured)", $"{r.Options.Tunnels + 1:N0} in {r.ConnectSeconds:F1} s");
        Row(md, "tunnels open at both ends (all OpenAsync at once)", $"{r.TunnelsOpened:N0} in {r.HandshakeSeconds:F1} s ({Rate(r.TunnelsOpened, r.HandshakeSeconds)} handshakes/s)");
        Row(md, "per-tunnel open latency p50 / p99 / max", $"{Ms(r.OpenLatencyP50Ms)} / {Ms(r.OpenLatencyP99Ms)} / {Ms(r.OpenLatencyMaxMs)}");
        Row(md, "CPU time for the handshakes (both ends)", $"{r.HandshakeCpuSeconds:F1} s ({Per(r.HandshakeCpuSeconds * 1000, r.TunnelsOpened)} ms per tunnel)");
        Row(md, "TLS", $"{r.TlsVersion ?? "–"}, {r.CipherSuite ?? "–"}");
        Row(md, "stanzas delivered (both directions)", $"{r.StanzasReceived:N0} of {r.Options.Stanzas:N0} in {r.TrafficSeconds:F1} s");
        Row(md, "stanzas/s · MB/s of body", $"{Rate(r.StanzasReceived, r.TrafficSeconds)}/s · {r.BodyMegabytesPerSecond:F2} MB/s");
        Row(md, "CPU time for the traffic", $"{r.TrafficCpuSeconds:F1} s ({r.TrafficCpuSeconds / Math.Max(r.TrafficSeconds, 1e-9):F2} cores busy; {Per(r.TrafficCpuSeconds * 1e6, r.StanzasReceived)} µs per stanza)");
        Row(md, "GC collections during the traffic (gen0 / gen1 / gen2)", $"{r.TrafficGen0:N0} / {r.TrafficGen1:N0} / {r.TrafficGen2:N0}");
        Row(md, "errors: failed opens, failed sends, lost, duplicated, altered, misaddressed, in the clear, unexpected closes", $"{r.OpenFailures} · {r.SendFailures} · {r.Lost} · {r.Duplicated} · {r.Altered} · {r.Misaddressed} · {r.InTheClear} · {r.UnexpectedCloses}");
        Row(md, "all tunnels closed in order", $"{r.CloseSeconds:F1} s; then {Counts(r)}");
        Row(md, "heap: baseline (clients online) → after handshakes → after traffic → after closing", $"{Mb(r.Baseline?.Heap)} → {Mb(r.AfterHandshakes?.Heap)} → {Mb(r.AfterTraffic?.Heap)} → {Mb(r.AfterClose?.Heap)}");
        Row(md, "heap per open tunnel (both ends)", $"{r.HeapPerOpenTunnel / 1024:F1} KiB");
        Row(md, "peak heap: handshakes / traffic (bound)", $"{Mb(r.PeakHeapHandshakes)} / {Mb(r.PeakHeapTraffic)} ({Mb(r.Bounds?.PeakHeap)}: {r.Bounds?.PeakRule})");
        Row(md, "of the heap, DotNetty's pooled buffer chunks: baseline → after closing", $"{Mb(r.Baseline?.BufferPool)} → {Mb(r.AfterClose?.BufferPool)}");
        Row(md, "heap outside the buffer pool after closing, above the baseline (allowance)", r.AfterClose is { } c && r.Baseline is { } b ? $"{Mb(c.HeapOutsidePool - b.HeapOutsidePool)} ({Mb(r.Bounds?.LeakAllowance)}: {r.Bounds?.LeakRule})" : "–");
        Row(md, "working set: baseline → peak → after closing", $"{Mb(r.Baseline?.WorkingSet)} → {Mb(r.PeakWorkingSet)} → {Mb(r.AfterClose?.WorkingSet)}");
        Row(md, "CPU time in all (whole run)", $"{r.CpuSeconds:F1} s over {r.TotalSeconds:F1} s");
        Line(md, string.Empty);
        Line(md, "Library limits raised from their defaults for the run:");
        Line(md, string.Empty);
        Line(md, "| setting | default | run | why |");
        Line(md, "| --- | ---: | ---: | --- |");
        foreach (RaisedLimit limit in r.RaisedLimits)
        {
            Line(md, $"| {limit.Setting} | {limit.Default} | {limit.Value} | {limit.Why} |");
        }

        return md.ToString();
    }

    private static string Counts(MemoryResult r) =>
        r.CountsAfterClose.Count == 0 ? "no counts read" : string.Join(", ", r.CountsAfterClose.Select(c => $"{c.Value} {c.Key}"));

    private static void Row(StringBuilder md, string name, string value) => Line(md, $"| {name} | {value} |");

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');

    private static string Mb(long? bytes) => bytes is { } b ? (b / 1e6).ToString("N1", CultureInfo.InvariantCulture) + " MB" : "–";

    private static string Ms(double ms) => ms.ToString("N0", CultureInfo.InvariantCulture) + " ms";

    private static string Rate(long count, double seconds) => seconds > 0 ? (count / seconds).ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string Per(double amount, long count) => count > 0 ? (amount / count).ToString("F2", CultureInfo.InvariantCulture) : "–";
}
