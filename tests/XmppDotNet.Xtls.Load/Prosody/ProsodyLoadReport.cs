using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>Writes <c>prosody.md</c> (the tables of docs/load-runs.md) and <c>prosody.json</c> (everything).</summary>
internal static class ProsodyLoadReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task WriteAsync(ProsodyLoadResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "prosody.md"), Markdown(result));
        await File.WriteAllTextAsync(Path.Combine(directory, "prosody.json"), JsonSerializer.Serialize(result, Json));
    }

    public static string Markdown(ProsodyLoadResult r)
    {
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        PhaseFigures p1 = r.Phase1;
        PhaseFigures p2 = r.Phase2;
        RestartFigures rs = r.Restart;
        Line($"### Load through Prosody with a restart: {(r.Passed ? "passed" : "FAILED")}");
        md.AppendLine();
        Line($"{r.ProsodyVersion} on 127.0.0.1; {r.Limits}. {r.Clients} clients in {r.Pairs} pairs, one XTLS tunnel per pair,");
        Line($"{r.PhaseSeconds:0} s of load per phase (messages of 32 B to 12 KB and IQ request/response, both directions, at most {r.Window} sends in flight per direction);");
        Line($"load average {r.LoadAverageAtStart} at the start, {r.LoadAverageAtEnd} at the end ({Environment.ProcessorCount} cores, shared); {r.TotalSeconds:0} s in all.");
        md.AppendLine();
        md.AppendLine("| | Phase 1 | Phase 2 (after the restart) |");
        md.AppendLine("|---|---|---|");
        Line($"| Stanzas sent (messages + IQs) | {p1.Sent} ({p1.Messages} + {p1.IqRequests}) | {p2.Sent} ({p2.Messages} + {p2.IqRequests}) |");
        Line($"| Stanzas/s delivered | {p1.StanzasPerSecond:0.0} | {p2.StanzasPerSecond:0.0} |");
        Line($"| MB/s of inner stanzas | {p1.MegabytesPerSecond:0.000} | {p2.MegabytesPerSecond:0.000} |");
        Line($"| Message latency p50 / p99 | {Ms(p1.MessageLatencyP50Ms)} / {Ms(p1.MessageLatencyP99Ms)} | {Ms(p2.MessageLatencyP50Ms)} / {Ms(p2.MessageLatencyP99Ms)} |");
        Line($"| IQ round trip p50 / p99 | {Ms(p1.IqRoundTripP50Ms)} / {Ms(p1.IqRoundTripP99Ms)} | {Ms(p2.IqRoundTripP50Ms)} / {Ms(p2.IqRoundTripP99Ms)} |");
        Line($"| Sends failed / lost / duplicated / pending | {p1.Failed} / {p1.Lost} / {p1.Duplicates} / {p1.Pending} | {p2.Failed} / {p2.Lost} / {p2.Duplicates} / {p2.Pending} |");
        md.AppendLine();
        md.AppendLine("| Setup and restart | |");
        md.AppendLine("|---|---|");
        Line($"| Accounts ({r.Clients}, account files written directly) | {r.AccountsSeconds:0.000} s |");
        Line($"| All clients connected (STARTTLS, SCRAM, bind) | {r.ConnectSeconds:0.00} s |");
        Line($"| All {r.Pairs} tunnels open | {r.TunnelOpenSeconds:0.00} s |");
        Line($"| Server stop under load | {rs.Shutdown}, {rs.StopSeconds:0.00} s |");
        Line($"| Sessions ended | {rs.SessionsEnded}/{r.Clients}: {LoadVerdict.Describe(rs.SessionEndReasons)} |");
        Line($"| Tunnel ends (both sides) | {rs.TunnelEnds}/{r.Clients}: {LoadVerdict.Describe(rs.TunnelEndReasons)}; {rs.UndeliveredInTunnelEnds} stanzas reported undelivered |");
        Line($"| Sends failed at the restart, each reported (InvalidOperationException: refused, the session had just ended) | {rs.SendsFailed}: {LoadVerdict.Describe(rs.FailureTypes)} |");
        Line($"| Of those, had arrived anyway (acknowledgement lost) | {rs.FailedButDelivered} |");
        Line($"| Server start | {rs.StartSeconds:0.00} s |");
        Line($"| Stop to all {r.Clients} reconnected ({rs.ReconnectAttempts} attempts) | {rs.AllReconnectedSeconds:0.00} s |");
        Line($"| Stop to all {r.Pairs} tunnels open again | {rs.AllTunnelsReopenedSeconds:0.00} s |");
        Line($"| Out of order / in the clear / unrecognised | {r.OutOfOrder} / {r.InClear} / {r.Unrecognised} |");
        Line($"| Managed heap after phase 1 / phase 2 (with the run's own ledgers) | {r.HeapAfterPhase1Megabytes:0.0} MB / {r.HeapAfterPhase2Megabytes:0.0} MB |");
        md.AppendLine();
        md.AppendLine("| Condition | Held | Seen |");
        md.AppendLine("|---|---|---|");
        foreach (LoadCondition c in r.Conditions)
        {
            Line($"| {c.Name} | {(c.Held ? "yes" : "**no**")} | {c.Detail.Replace("|", "/", StringComparison.Ordinal)} |");
        }

        if (r.Error is not null)
        {
            md.AppendLine().AppendLine("Aborted: " + r.Error.Split('\n')[0]);
        }

        return md.ToString();
    }

    private static string Ms(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "n/a";
}
