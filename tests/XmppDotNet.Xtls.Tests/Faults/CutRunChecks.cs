using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// What a run of a <see cref="ReconnectingApplication"/> under faults and cuts must leave: the outcome
/// of every stanza (see <see cref="AssertOutcomes"/>), and no state behind once the last tunnel closed.
/// </summary>
internal static class CutRunChecks
{
    /// <summary>
    /// Calms the network, closes what is left of Romeo's tunnel, logs both in again if needed and sends
    /// a marker through a new tunnel; returns every message Juliet received before it, across all her
    /// sessions. Nothing of an older tunnel can come after the marker: Juliet handles the new start
    /// after everything sent before it, and a start replaces what is left of an older tunnel.
    /// </summary>
    public static async Task<List<XElement>> FinishAsync(LossyTunnel lossy, ReconnectingApplication app, string marker)
    {
        lossy.Faults.Disarm();
        await CloseRomeosTunnelAsync(lossy, app);
        await app.EnsureTunnelAsync();
        return await lossy.ReopenAndCollectAsync(marker);
    }

    /// <summary>
    /// The property, for every stanza the application sent (see <see cref="ConnectionCutPropertyTests"/>):
    /// its send completed; a failure is typed; Juliet received it at most once, in order, through a
    /// tunnel; every success was delivered; and within a batch (one tunnel) the successes and the
    /// deliveries are prefixes, so the only stanzas both reported failed and delivered are the ones
    /// right after the last success, whose acknowledgements the break took.
    /// </summary>
    public static Outcomes AssertOutcomes(ReconnectingApplication app, IReadOnlyList<XElement> delivered)
    {
        Dictionary<string, int> indexByBody = app.Sent.ToDictionary(s => app.Body(s.Index), s => s.Index, StringComparer.Ordinal);
        int[] deliveredIndices = [.. delivered.Select(m => indexByBody.TryGetValue(m.Value, out int i) ? i : -1)];
        var deliveredSet = deliveredIndices.ToHashSet();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(delivered.All(m => m.IsFromXtlsTunnel()), Is.True, "nothing in the clear");
            Assert.That(deliveredIndices, Has.None.EqualTo(-1), "nothing Juliet received was made up");
            Assert.That(deliveredIndices, Is.Ordered.Ascending, "in the order sent");
            Assert.That(deliveredIndices, Is.Unique, "nothing twice");
            Assert.That(app.Sent.All(s => s.Outcome.IsCompleted), Is.True, "every send completed");
            foreach (SentStanza failed in app.Sent.Where(s => !s.Succeeded))
            {
                Assert.That(
                    failed.Outcome.Exception?.InnerException,
                    Is.InstanceOf<XtlsTunnelException>().Or.InstanceOf<InvalidOperationException>(),
                    $"stanza {failed.Index}: a failure is reported with a typed exception");
            }

            foreach (SentStanza succeeded in app.Sent.Where(s => s.Succeeded))
            {
                Assert.That(deliveredSet, Does.Contain(succeeded.Index), $"stanza {succeeded.Index}: acknowledged, so delivered");
            }

            foreach (IGrouping<int, SentStanza> batch in app.Sent.GroupBy(s => s.Batch))
            {
                SentStanza[] sends = [.. batch];
                int succeeded = sends.TakeWhile(s => s.Succeeded).Count();
                int arrived = sends.TakeWhile(s => deliveredSet.Contains(s.Index)).Count();
                Assert.That(sends.Skip(succeeded).Any(s => s.Succeeded), Is.False, $"batch {batch.Key}: after the first failure every send fails");
                Assert.That(sends.Skip(arrived).Any(s => deliveredSet.Contains(s.Index)), Is.False, $"batch {batch.Key}: what arrived is a prefix (a tunnel delivers nothing after a gap)");
                Assert.That(arrived, Is.GreaterThanOrEqualTo(succeeded), $"batch {batch.Key}: every acknowledged stanza arrived");
            }
        }

        int failedButDelivered = app.Sent.Count(s => !s.Succeeded && deliveredSet.Contains(s.Index));
        string failureReasons = string.Join(", ", app.Sent
            .Where(s => !s.Succeeded)
            .GroupBy(s => s.Outcome.Exception?.InnerException is XtlsTunnelException e ? e.Reason.ToString() : "not online")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}"));
        return new Outcomes(app.Sent.Count, app.Sent.Count(s => s.Succeeded), app.Sent.Count(s => !s.Succeeded), failedButDelivered, failureReasons);
    }

    /// <summary>Every tunnel Romeo's service reported opened has ended with a reported reason, none of them the application's own close.</summary>
    public static void AssertEveryOpenedTunnelEndedWithAReason(ReconnectingApplication app)
    {
        XtlsTunnelClosedEventArgs[] ends = [.. app.RomeoEnds];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ends.Count(e => e.WasOpen), Is.EqualTo(app.RomeoOpens), "every broken tunnel was reported closed");
            Assert.That(ends.Select(e => e.Reason), Has.None.EqualTo(TunnelCloseReason.ClosedLocally), "it ended because it broke");
        }
    }

    /// <summary>
    /// Closes the last tunnel in order and asserts that both clients are back to nothing: no tunnel in
    /// the services, the managers or the TLS handler, no IQ awaiting an answer in a manager or the
    /// session's tracker, no peer remembered as having abandoned a tunnel, no pending open or close in
    /// the services, nothing held by the network.
    /// </summary>
    public static async Task AssertNothingLeftAsync(LossyTunnel lossy, ReconnectingApplication app)
    {
        await CloseRomeosTunnelAsync(lossy, app);
        await Drive.UntilAsync(lossy.Clock, async () => await Drive.TunnelCount(lossy.Pair.Juliet) == 0, lossy.Pair.Romeo, lossy.Pair.Juliet);
        await lossy.FlushPathsAsync();

        foreach (XmppClient client in new[] { lossy.Pair.Romeo, lossy.Pair.Juliet })
        {
            (int tunnels, int pendingIqs, int abandoned, int endpoints, int sessionIqs) = await Drive.OnLoop(client, () =>
                (Drive.Tunnels(client).TunnelCount,
                 Drive.Tunnels(client).PendingIqCount,
                 Drive.Tunnels(client).AbandonedCount,
                 Drive.Tls(client).EndpointCount,
                 ((IStanzaSink)client).Iqs.Count));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(tunnels, Is.Zero, $"{client.Jid}: tunnels in the manager");
                Assert.That(pendingIqs, Is.Zero, $"{client.Jid}: tunnel IQs awaiting an answer");
                Assert.That(abandoned, Is.Zero, $"{client.Jid}: tunnels remembered as abandoned by the peer");
                Assert.That(endpoints, Is.Zero, $"{client.Jid}: TLS endpoints (engines, buffers, waiting stanzas)");
                Assert.That(sessionIqs, Is.Zero, $"{client.Jid}: IQs awaiting an answer in the session");
                Assert.That(client.GetXtls().OpenTunnels, Is.Empty, $"{client.Jid}: open tunnels in the API");
                Assert.That(client.GetXtls().PendingOperationCount, Is.Zero, $"{client.Jid}: opens and closes awaited in the API");
            }
        }

        Assert.That(lossy.Faults.HeldCount, Is.Zero, "stanzas held by the network");
    }

    public static string Describe(LossyTunnel lossy, ReconnectingApplication app, Outcomes outcomes) =>
        $"{lossy.Faults.Decisions} tunnel IQs, {lossy.Faults.Injected} faults: {lossy.Faults.Count(FaultKind.Drop)} dropped, {lossy.Faults.Count(FaultKind.Duplicate)} duplicated, "
        + $"{lossy.Faults.Count(FaultKind.Delay)} delayed, {lossy.Faults.Count(FaultKind.Reorder)} reordered, {lossy.Faults.Count(FaultKind.CutSender)} senders and {lossy.Faults.Count(FaultKind.CutReceiver)} receivers cut; "
        + $"{app.Logins} logins again, {app.RomeoOpens} tunnels opened ({app.FailedOpens} opens failed, {app.CalmOpens} needed a calm network; failures: {string.Join(", ", app.OpenFailureReasons.Select(r => $"{r.Key} {r.Value}"))}), {app.RomeoEnds.Count} ended; "
        + $"{outcomes.Sent} stanzas: {outcomes.Succeeded} acknowledged, {outcomes.Failed} reported failed, of which {outcomes.FailedButDelivered} delivered (failures: {outcomes.FailureReasons})"
        + (app.CalmFailures.Count == 0 ? string.Empty : "; calm opens that a late cut broke: " + string.Join(" | ", app.CalmFailures));

    private static async Task CloseRomeosTunnelAsync(LossyTunnel lossy, ReconnectingApplication app)
    {
        Task closing = lossy.Pair.RomeoXtls.CloseAsync(app.JulietJid);
        await Drive.UntilAsync(lossy.Clock, async () => closing.IsCompleted && await Drive.TunnelCount(lossy.Pair.Romeo) == 0, lossy.Pair.Romeo, lossy.Pair.Juliet);
        await closing;
    }
}

/// <summary>How the stanzas of a run ended.</summary>
internal sealed record Outcomes(int Sent, int Succeeded, int Failed, int FailedButDelivered, string FailureReasons);
