using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Load.Memory;
using XmppDotNet.Xtls.Tests.Faults;

namespace XmppDotNet.Xtls.Tests.Load;

/// <summary>
/// The in-memory load run at a small scale, the same code as <c>XmppDotNet.Xtls.Load memory</c>: every
/// tunnel opened at once, stanzas both ways with a mix of sizes, every one checked, every tunnel closed,
/// and the library's internal counts read back to zero. The run's time bound only stops a hang.
/// </summary>
[TestFixture]
public class MemoryRunTests
{
    private const int Tunnels = 100;
    private const int Stanzas = 10_000;
    private static readonly string[] InternalCountNames = ["pending data IQs", "TLS endpoints", "tunnels abandoned by the peer"];

    [Test]
    public async Task A_small_run_delivers_every_stanza_in_order_and_leaves_nothing_behind()
    {
        var options = new MemoryRunOptions
        {
            Tunnels = Tunnels,
            Stanzas = Stanzas,
            Payloads = [64, 256, 1024],
            Window = 4,
            Timeout = TimeSpan.FromMinutes(5),
        };

        MemoryResult result = await MemoryRun.RunAsync(options, TestContext.Out.WriteLine, InternalCounts);

        TestContext.Out.WriteLine(MemoryReport.Markdown(result));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures, Is.Empty, "conditions that did not hold");
            Assert.That(result.TunnelsOpened, Is.EqualTo(Tunnels));
            Assert.That(result.StanzasSent, Is.EqualTo(Stanzas));
            Assert.That(result.StanzasReceived, Is.EqualTo(Stanzas));
            Assert.That(result.BodyBytes, Is.EqualTo(ExpectedBodyBytes(options)));
            Assert.That(result.CountsAfterClose.Keys, Is.SupersetOf(InternalCountNames));
            Assert.That(result.CountsAfterClose.Values, Is.All.Zero);
            Assert.That(result.TlsVersion, Is.EqualTo("TLSv1.3"));
        }
    }

    // The library's internal state per session, read on the session's event loop.
    private static IEnumerable<KeyValuePair<string, int>> InternalCounts(XmppClient client) =>
    [
        new("pending data IQs", Drive.Tunnels(client).PendingIqCount),
        new("TLS endpoints", Drive.Tls(client).EndpointCount),
        new("tunnels abandoned by the peer", Drive.Tunnels(client).AbandonedCount),
    ];

    // What the streams carry: each stream's share, with the sizes cycling by tunnel and sequence number.
    private static long ExpectedBodyBytes(MemoryRunOptions options)
    {
        long total = 0;
        int streams = options.Tunnels * 2;
        for (int stream = 0; stream < streams; stream++)
        {
            int tunnel = stream / 2;
            long quota = (options.Stanzas / streams) + (stream < options.Stanzas % streams ? 1 : 0);
            for (int sequence = 0; sequence < quota; sequence++)
            {
                total += options.Payloads[(tunnel + sequence) % options.Payloads.Count];
            }
        }

        return total;
    }
}
