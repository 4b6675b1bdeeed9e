using XmppDotNet.Xtls.Load.Prosody;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.IntegrationTests.Load;

/// <summary>
/// The prosody load run at small scale, restart included: what CI checks of it. Only bounded waits;
/// nothing here depends on how fast the machine is, only on every stanza being accounted for.
/// </summary>
[TestFixture]
public sealed class ProsodyLoadRunTests
{
    [TestCase(false)]
    [TestCase(true)]
    public async Task Ten_clients_get_through_a_server_restart_under_load_with_every_stanza_delivered_once_or_reported_failed(bool kill)
    {
        var options = new ProsodyLoadOptions
        {
            Clients = 10,
            Phase = TimeSpan.FromSeconds(3),
            KillServer = kill,
            OutputDirectory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "load-" + (kill ? "kill" : "graceful")),
        };
        using var limit = new CancellationTokenSource(options.EffectiveTimeLimit);

        ProsodyLoadResult result = await ProsodyLoad.RunAsync(options, line => TestContext.Progress.WriteLine(line), limit.Token);
        await ProsodyLoadReport.WriteAsync(result, options.OutputDirectory);
        TestContext.Out.WriteLine(ProsodyLoadReport.Markdown(result));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.Null);
            Assert.That(result.Conditions.Where(c => !c.Held).Select(c => $"{c.Name}: {c.Detail}"), Is.Empty);
            Assert.That(result.Conditions, Has.Count.GreaterThanOrEqualTo(18));
            Assert.That(result.Passed, Is.True);
            Assert.That(result.Phase1.Sent, Is.GreaterThan(0));
            Assert.That(result.Phase2.Sent, Is.GreaterThan(0));
            Assert.That(result.Phase1.Lost + result.Phase2.Lost + result.Phase1.Duplicates + result.Phase2.Duplicates, Is.Zero);
            Assert.That(result.Restart.SessionsEnded, Is.EqualTo(10));
            Assert.That(result.Restart.TunnelEnds, Is.EqualTo(10));
            Assert.That(result.Restart.TunnelEndReasons.Keys.Single(), Is.EqualTo(nameof(TunnelCloseReason.SessionEnded)));
            Assert.That(result.ClientsStuckAtDisconnect, Is.Zero);
            Assert.That(File.Exists(Path.Combine(options.OutputDirectory, "prosody.json")), Is.True);
        });
    }
}
