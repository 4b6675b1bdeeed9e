using System.Globalization;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>The performance targets, checked against the numbers of one run.</summary>
internal static class Targets
{
    private const string Clear = "3. host pipelines in the clear, in-memory router";
    private const string Xtls = "4. host pipelines through an XTLS tunnel, in-memory router";
    private const string ClearProsody = "5a. host pipelines in the clear, Prosody on loopback";
    private const string XtlsProsody = "5b. host pipelines through an XTLS tunnel, Prosody on loopback";

    public static void Evaluate(MacroReport report, MacroOptions options)
    {
        Ratio(report, "XTLS in memory (4) ≥ 50% of the clear pipeline (3), 1 KiB bodies (per CPU-second)", Xtls, Clear, 1024, 0.50);
        Ratio(report, "XTLS in memory (4) ≥ 25% of raw BouncyCastle (1), 16 KiB bodies (per CPU-second; 40% the longer-term goal)", Xtls, RawTlsThroughput.Scenario, 16384, 0.25);

        var prosody = options.BodySizes
            .Select(size => (size, x: report.Cell(XtlsProsody, size), c: report.Cell(ClearProsody, size)))
            .Where(t => t.x is not null && t.c is not null && t.c.StanzasPerSecond > 0)
            .Select(t => (t.size, ratio: t.x!.StanzasPerCpuSecond / t.c!.StanzasPerCpuSecond, wall: t.x!.StanzasPerSecond / t.c!.StanzasPerSecond, x: t.x!, c: t.c!))
            .ToList();
        report.Targets.Add(prosody.Count == 0
            ? new TargetRow("Through Prosody, XTLS (5b) ≥ 70% of the clear rate (5a) at every body size (per CPU-second of clients and server)", "not measured", null, report.ProsodyNote)
            : new TargetRow(
                "Through Prosody, XTLS (5b) ≥ 70% of the clear rate (5a) at every body size (per CPU-second of clients and server)",
                string.Join(", ", prosody.Select(p => Inv($"{MacroReport.SizeName(p.size)}: {p.ratio:P0} ({p.wall:P0} by wall rate)"))),
                prosody.All(p => p.ratio >= 0.70),
                "busy cores, clear → XTLS: " + string.Join("; ", prosody.Select(p => Inv($"{MacroReport.SizeName(p.size)} server {p.c.ServerCoresBusy:F2} → {p.x.ServerCoresBusy:F2}, clients {p.c.CoresBusy:F2} → {p.x.CoresBusy:F2}")))));

        HandshakeRow? p256 = report.Handshakes.Find(h => h.Method.StartsWith("x509 ECDSA P-256", StringComparison.Ordinal));
        HandshakeRow? srp = report.Handshakes.Find(h => h.Method.StartsWith("srp 2048-bit group", StringComparison.Ordinal));
        report.Targets.Add(p256?.TunnelOpenMilliseconds is { } x509Open && srp?.TunnelOpenMilliseconds is { } srpOpen && x509Open > 0
            ? new TargetRow(
                "SRP tunnel open ≤ 3× the x509 one (in-memory router)",
                Inv($"{srpOpen / x509Open:F1}× ({srpOpen:F1} vs {x509Open:F1} ms)")
                    + (srp.ProsodyTunnelOpenMilliseconds is { } srpProsody && p256.ProsodyTunnelOpenMilliseconds is { } x509Prosody && x509Prosody > 0
                        ? Inv($"; through Prosody {srpProsody / x509Prosody:F1}× ({srpProsody:F1} vs {x509Prosody:F1} ms)")
                        : string.Empty),
                srpOpen <= 3 * x509Open,
                Inv($"engine pair CPU, client + server: SRP {srp.ClientMilliseconds + srp.ServerMilliseconds:F1} ms, x509 {p256.ClientMilliseconds + p256.ServerMilliseconds:F1} ms"))
            : new TargetRow("SRP tunnel open ≤ 3× the x509 one", "not measured", null, string.Empty));
        ThrottledChatRow? chat = report.ThrottledChat.FirstOrDefault();
        report.Targets.Add(chat is null
            ? new TargetRow("Through a throttled server, XTLS chat lines/s ≥ 60% of clear lines/s", "not measured", null, report.ProsodyNote)
            : new TargetRow(
                "Through a throttled server, XTLS chat lines/s ≥ 60% of clear lines/s",
                Inv($"{chat.Ratio:P0} ({chat.XtlsLinesPerSecond:F1} vs {chat.ClearLinesPerSecond:F1} lines/s)"),
                chat.Ratio >= 0.60,
                Inv($"{chat.Server}; wire bytes per line {chat.XtlsBytesPerLine:N0} vs {chat.ClearBytesPerLine:N0}")));
        report.Targets.Add(p256?.LegsToFirstStanza is { } legs
            ? new TargetRow(
                "Time to first encrypted stanza: start/proceed plus one TLS 1.3 round trip (5 one-way legs)",
                Inv($"{legs} legs, {p256.FirstStanzaMilliseconds:F1} ms in memory"),
                legs <= 5,
                "x509 P-256, OpenAsync then one message, counted at the router")
            : new TargetRow("Time to first encrypted stanza: start/proceed plus one TLS 1.3 round trip", "not measured", null, string.Empty));

        MemoryRow? memory = report.Memory.FirstOrDefault();
        report.Targets.Add(memory is null
            ? new TargetRow("≤ 16 KiB managed memory per idle tunnel", "not measured", null, string.Empty)
            : new TargetRow(
                "≤ 16 KiB managed memory per idle tunnel",
                Inv($"{memory.BytesPerIdleTunnel / 2048:F1} KiB per end ({memory.BytesPerIdleTunnel / 1024:F1} KiB both ends)"),
                memory.BytesPerIdleTunnel / 2 <= 16 * 1024,
                Inv($"{memory.Tunnels:N0} tunnels, each end in the same process here; in use each end lives in its own client")));
        report.Targets.Add(new TargetRow(
            "10,000 idle tunnels in one process",
            memory is null ? "not measured" : Inv($"{memory.Tunnels:N0} opened in {memory.SecondsToOpen:F1} s"),
            memory is null ? null : memory.Tunnels >= 10_000,
            options.IdleTunnels < 10_000 ? Inv($"this run asked for {options.IdleTunnels:N0}") : "one client, 10,000 peers, in-memory router"));

        Wire(report, "Wire bytes per 200-byte stanza under load ≤ 2× the plaintext", "200-byte stanzas under load", 2.0);
        Wire(report, "Wire bytes in bulk ≤ 1.45× the plaintext", "bulk", 1.45);
    }

    private static void Ratio(MacroReport report, string target, string scenario, string baseline, int size, double needed)
    {
        ThroughputCell? cell = report.Cell(scenario, size);
        ThroughputCell? reference = report.Cell(baseline, size);
        if (cell is null || reference is null || reference.StanzasPerSecond <= 0)
        {
            report.Targets.Add(new TargetRow(target, "not measured", null, string.Empty));
            return;
        }

        double ratio = cell.StanzasPerCpuSecond / reference.StanzasPerCpuSecond;
        double wall = cell.StanzasPerSecond / reference.StanzasPerSecond;
        report.Targets.Add(new TargetRow(
            target,
            Inv($"{ratio:P0} ({cell.StanzasPerCpuSecond:N0} vs {reference.StanzasPerCpuSecond:N0} per CPU-second); {wall:P0} by wall rate ({cell.StanzasPerSecond:N0} vs {reference.StanzasPerSecond:N0}/s)"),
            ratio >= needed,
            Inv($"cores busy {cell.CoresBusy:F2} vs {reference.CoresBusy:F2}")));
    }

    private static void Wire(MacroReport report, string target, string loadPrefix, double limit)
    {
        WireRow? row = report.Wire.Find(w => w.Load.StartsWith(loadPrefix, StringComparison.Ordinal));
        report.Targets.Add(row is null
            ? new TargetRow(target, "not measured", null, string.Empty)
            : new TargetRow(
                target,
                Inv($"{row.RatioToClear:F2}× the clear stanza ({row.XtlsBytesPerStanza:N0} vs {row.ClearBytesPerStanza:N0} B), {row.RatioToStanza:F2}× the bare stanza"),
                row.RatioToClear <= limit,
                Inv($"{row.IqsPerStanza:F3} data IQs and {row.AcksPerStanza:F3} IQ-results per stanza")));
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
