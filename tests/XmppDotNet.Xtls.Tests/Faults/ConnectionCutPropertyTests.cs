using System.Globalization;
using System.Xml.Linq;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// All faults at once, connection cuts included: tunnel IQs and their answers are dropped, duplicated,
/// delayed and reordered, and now and then the server cuts the connection of the IQ's sender or of its
/// recipient (during a handshake as often as during data, since both travel in tunnel IQs). After a
/// cut the client logs in again (new session, same resource) and the application opens a new tunnel
/// and goes on sending; it never resends. One seed per case decides every fault.
/// <para>
/// Asserted for every stanza the application sent (<see cref="CutRunChecks.AssertOutcomes"/>):
/// <list type="bullet">
/// <item>never duplicated, never out of order, never in the clear;</item>
/// <item>its send task completed: either successfully, and then the stanza was delivered, or faulted with
/// <see cref="XtlsTunnelException"/> (or <see cref="InvalidOperationException"/>, which
/// <c>ISession.SendAsync</c> documents for a session that is not online: cut just before the send), so
/// the sender knows exactly which stanzas failed: the faulted tasks;</item>
/// <item>within one tunnel (one batch), the acknowledged stanzas are a prefix of what was sent, and so are
/// the delivered ones, which include the acknowledged ones.</item>
/// </list>
/// The one ambiguous case is allowed and only it: a stanza whose chunk arrived but whose acknowledgement
/// was lost (dropped, or cut off with a connection) is reported failed although Juliet received it. So
/// the guarantee is <em>at most once, and every stanza not reported failed was delivered</em>: a failure
/// report means "perhaps not delivered", never "not delivered"; by the prefix property such stanzas can
/// only directly follow a batch's last acknowledged one. Runs count them (FailedButDelivered).
/// </para>
/// <para>
/// Also asserted: every break is detected within the bounded wait (every send completes, and the broken
/// tunnel is gone from the service, reported by a <see cref="XtlsService.TunnelClosed"/> event with a
/// reason that is not a local close); every open attempt that fails, fails typed; a new tunnel opens
/// after every break (under faults within <see cref="ReconnectingApplication.OpenAttemptsUnderFaults"/>
/// attempts, else on a calm network, where it must); and at the end nothing is left behind
/// (<see cref="CutRunChecks.AssertNothingLeftAsync"/>).
/// </para>
/// <para>
/// No timing: time is a fake clock advanced in bounded steps (<see cref="Drive"/>). The number of seeds
/// is <see cref="DefaultSeeds"/>; set the environment variable <c>XTLS_FAULT_SEEDS</c> to run more
/// (e.g. <c>XTLS_FAULT_SEEDS=2000</c>).
/// </para>
/// </summary>
public class ConnectionCutPropertyTests
{
    public const string SeedsVariable = "XTLS_FAULT_SEEDS";
    private const int DefaultSeeds = 24;
    private const int Batches = 12;
    private const int BatchSize = 5;

    private static readonly FaultRates Rates = new(Drop: 0.03, Duplicate: 0.03, Delay: 0.05, Reorder: 0.03, Cut: 0.04);

    private static IEnumerable<int> Seeds => Enumerable.Range(1, SeedCount());

    [TestCaseSource(nameof(Seeds))]
    public async Task Under_all_faults_and_cuts_every_stanza_is_delivered_at_most_once_in_order_and_every_failure_is_reported(int seed)
    {
        await using LossyTunnel lossy = await LossyTunnel.StartAsync(seed, Rates);
        var app = new ReconnectingApplication(lossy, $"seed {seed}");

        await RunAsync(lossy, app, Batches, BatchSize);
        List<XElement> delivered = await CutRunChecks.FinishAsync(lossy, app, "marker " + seed);
        Outcomes outcomes = CutRunChecks.AssertOutcomes(app, delivered);
        TestContext.Out.WriteLine($"seed {seed}: " + CutRunChecks.Describe(lossy, app, outcomes));
        await CutRunChecks.AssertNothingLeftAsync(lossy, app);

        Assert.That(lossy.Faults.Decisions, Is.GreaterThan(Batches), "the network carried the tunnels' IQs");
    }

    /// <summary>Sends <paramref name="batches"/> batches under faults, each through a tunnel opened (again) if none is open; after a failed batch, waits until the broken tunnel is closed and checks it was reported.</summary>
    internal static async Task RunAsync(LossyTunnel lossy, ReconnectingApplication app, int batches, int batchSize)
    {
        lossy.Faults.Arm();
        for (int batch = 0; batch < batches; batch++)
        {
            await app.EnsureTunnelAsync();
            SentStanza[] sent = await app.SendBatchAsync(batchSize);
            if (!sent.All(s => s.Succeeded))
            {
                await app.UntilBrokenTunnelClosedAsync();
                CutRunChecks.AssertEveryOpenedTunnelEndedWithAReason(app);
            }
        }
    }

    private static int SeedCount() =>
        Environment.GetEnvironmentVariable(SeedsVariable) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0
            ? count
            : DefaultSeeds;
}
