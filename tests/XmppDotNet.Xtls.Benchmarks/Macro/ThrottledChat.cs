using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// A chat through a Prosody that shapes every client as Debian's stock configuration does (mod_limits,
/// c2s at 10 kB/s): one client sends lines of 120 characters, the other echoes each one; clear and XTLS
/// take turns. The rate is set by the wire bytes per line, so this is where framing, Base64 and
/// acknowledgements show.
/// </summary>
internal static class ThrottledChat
{
    public const int LineLength = 120;

    public const string Rate = "10kb/s";

    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    public sealed record Run(double LinesPerSecond, double BytesPerLine, double StanzasPerLine);

    public static async Task<ThrottledChatRow> MeasureAsync(int lines, int outstanding, Action<XtlsOptions> xtls, Action<string> log)
    {
        var options = new ProsodyServerOptions
        {
            Domain = BenchProsody.Domain,
            StartTimeout = TimeSpan.FromSeconds(30),
            AdditionalGlobalSettings = $$"""
                modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "limits" }
                limits = { c2s = { rate = "{{Rate}}" } }
                """,
        };
        await using var server = new ProsodyServer(options);
        string[] users = ["clear-a", "clear-b", "xtls-a", "xtls-b"];
        await server.RegisterUsersAsync(users.Select(user => KeyValuePair.Create(user, BenchClients.Password)));
        await server.StartAsync();

        var counters = users.ToDictionary(u => u, _ => new WireCounter());
        XmppClient Client(string user, string resource, Action<XtlsOptions>? tunnel)
        {
            XmppClientBuilder builder = BenchClients.BuilderOnServer(BenchProsody.Host, server.Port, BenchProsody.Domain, server.Certificate, user, resource, tunnel);
            builder.WithPipelineInitializer((pipeline, _) => pipeline.AddFirst("bench-wire-counter", counters[user]));
            return builder.Build();
        }

        XmppClient clearA = Client("clear-a", "a", null);
        XmppClient clearB = Client("clear-b", "b", null);
        XmppClient xtlsA = Client("xtls-a", "a", xtls);
        XmppClient xtlsB = Client("xtls-b", "b", xtls);
        XmppClient[] all = [clearA, clearB, xtlsA, xtlsB];
        try
        {
            await Task.WhenAll(all.Select(c => c.ConnectAsync()));
            _ = await xtlsA.GetXtls().OpenAsync(xtlsB.Jid).WaitAsync(Bound);

            Run clear = await ChatAsync(clearA, clearB, counters["clear-a"], counters["clear-b"], lines, outstanding, throughTunnel: false);
            log($"  throttled chat, clear: {clear.LinesPerSecond:F1} lines/s, {clear.BytesPerLine:F0} B/line");
            Run tunnel = await ChatAsync(xtlsA, xtlsB, counters["xtls-a"], counters["xtls-b"], lines, outstanding, throughTunnel: true);
            log($"  throttled chat, XTLS: {tunnel.LinesPerSecond:F1} lines/s, {tunnel.BytesPerLine:F0} B/line, {tunnel.StanzasPerLine:F2} stanzas/line");
            return new ThrottledChatRow($"Prosody, mod_limits c2s {Rate}", lines, outstanding, clear.LinesPerSecond, tunnel.LinesPerSecond, clear.BytesPerLine, tunnel.BytesPerLine, tunnel.StanzasPerLine);
        }
        finally
        {
            foreach (XmppClient client in all)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Sends the lines from a to b with at most <paramref name="outstanding"/> not yet echoed; b echoes each
    /// line back; returns once every echo arrived.
    /// </summary>
    private static async Task<Run> ChatAsync(XmppClient a, XmppClient b, WireCounter countA, WireCounter countB, int lines, int outstanding, bool throughTunnel)
    {
        using var credits = new SemaphoreSlim(outstanding, outstanding);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int echoed = 0;
        int wrongPath = 0;
        Jid aJid = a.Jid;
        Jid bJid = b.Jid;

        void Echo(object? source, StanzaReceivedEventArgs e)
        {
            if (e.Stanza.Name == Stanza.MessageName && e.Stanza.Element(Stanza.MessageName.Namespace + "body") is { } body)
            {
                if (e.Stanza.IsFromXtlsTunnel() != throughTunnel)
                {
                    Interlocked.Increment(ref wrongPath);
                }

                _ = b.SendAsync(Line(aJid, body.Value));
            }
        }

        void Echoed(object? source, StanzaReceivedEventArgs e)
        {
            if (e.Stanza.Name == Stanza.MessageName)
            {
                credits.Release();
                if (Interlocked.Increment(ref echoed) == lines)
                {
                    done.TrySetResult();
                }
            }
        }

        b.StanzaReceived += Echo;
        a.StanzaReceived += Echoed;
        try
        {
            long bytesBefore = countA.Bytes + countB.Bytes;
            long writesBefore = countA.Writes + countB.Writes;
            var clock = new CpuClock();
            for (int i = 0; i < lines; i++)
            {
                if (!await credits.WaitAsync(Bound))
                {
                    throw new TimeoutException($"No echo for {Bound.TotalSeconds} s ({i} sent, {Volatile.Read(ref echoed)} echoed).");
                }

                string text = string.Create(LineLength, i, (span, n) =>
                {
                    span.Fill((char)('a' + (n % 26)));
                    n.TryFormat(span, out _, provider: System.Globalization.CultureInfo.InvariantCulture);
                });
                _ = a.SendAsync(Line(bJid, text));
            }

            await done.Task.WaitAsync(Bound);
            double seconds = clock.Elapsed.TotalSeconds;

            // Let the last acknowledgements go out before counting.
            await Task.Delay(TimeSpan.FromSeconds(1));
            long bytes = countA.Bytes + countB.Bytes - bytesBefore;
            long writes = countA.Writes + countB.Writes - writesBefore;
            if (wrongPath > 0)
            {
                throw new InvalidOperationException($"{wrongPath} lines took the wrong path.");
            }

            return new Run(lines / seconds, (double)bytes / lines, (double)writes / lines);
        }
        finally
        {
            b.StanzaReceived -= Echo;
            a.StanzaReceived -= Echoed;
        }
    }

    private static XElement Line(Jid to, string text) =>
        new(Stanza.MessageName, new XAttribute("to", to.ToString()), new XAttribute("type", "chat"), new XElement(Stanza.MessageName.Namespace + "body", text));
}
