using XmppDotNet.Xtls.Load.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Load;

/// <summary>The load run's own bookkeeping: if it could not see a loss, the run would prove nothing.</summary>
[TestFixture]
public sealed class LoadBookkeepingTests
{
    [Test]
    public void Ledger_counts_duplicates_late_arrivals_unknown_sequences_and_clear_text()
    {
        var ledger = new DirectionLedger("test");
        for (int i = 0; i < 4; i++)
        {
            ledger.Next(phase: 1, isIq: false, bytes: 10, now: i);
        }

        ledger.Delivered(0, throughTunnel: true, now: 10);
        ledger.Delivered(2, throughTunnel: true, now: 11);
        ledger.Delivered(1, throughTunnel: true, now: 12); // after 2: out of order
        ledger.Delivered(2, throughTunnel: true, now: 13); // again: a duplicate
        ledger.Delivered(3, throughTunnel: false, now: 14);
        ledger.Delivered(9, throughTunnel: true, now: 15);

        Assert.Multiple(() =>
        {
            Assert.That(ledger.OutOfOrder, Is.EqualTo(1));
            Assert.That(ledger.Duplicates, Is.EqualTo(1));
            Assert.That(ledger.InClear, Is.EqualTo(1));
            Assert.That(ledger.Unknown, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_send_that_succeeded_without_arriving_is_lost_and_one_that_never_settled_is_pending()
    {
        var ledger = new DirectionLedger("test");
        int delivered = ledger.Next(1, false, 100, 0);
        int lost = ledger.Next(1, false, 100, 0);
        int failed = ledger.Next(1, true, 100, 0);
        ledger.Next(1, false, 100, 0); // never settles
        ledger.Delivered(delivered, true, 5);
        ledger.Succeeded(delivered, 6);
        ledger.Succeeded(lost, 6);
        ledger.Failed(failed, new XtlsTunnelException("gone"), 7);

        PhaseFigures figures = LoadVerdict.Phase(ledger.Snapshot(), 1, windowStart: 0, windowEnd: 1_000_000, failuresUntil: long.MaxValue, new LatencySamples());

        Assert.Multiple(() =>
        {
            Assert.That(figures.Sent, Is.EqualTo(4));
            Assert.That(figures.Succeeded, Is.EqualTo(2));
            Assert.That(figures.Lost, Is.EqualTo(1));
            Assert.That(figures.Failed, Is.EqualTo(1));
            Assert.That(figures.Pending, Is.EqualTo(1));
            Assert.That(figures.DeliveredInWindow, Is.EqualTo(1));
            Assert.That(figures.Failures.Keys.Single(), Is.EqualTo("XtlsTunnelException(PeerError)"));
        });
    }

    [Test]
    public void Failures_after_the_restart_began_count_for_the_restart_not_for_phase_one()
    {
        var ledger = new DirectionLedger("test");
        int before = ledger.Next(1, false, 10, 0);
        int after = ledger.Next(1, false, 10, 0);
        ledger.Failed(before, new InvalidOperationException("offline"), 50);
        ledger.Failed(after, new InvalidOperationException("offline"), 150);
        ledger.Delivered(after, true, 140);

        PhaseFigures phase1 = LoadVerdict.Phase(ledger.Snapshot(), 1, 0, 100, failuresUntil: 100, new LatencySamples());
        (int failed, int failedButDelivered, _) = LoadVerdict.RestartFailures(ledger.Snapshot(), restartAt: 100);

        Assert.Multiple(() =>
        {
            Assert.That(phase1.Failed, Is.EqualTo(1));
            Assert.That(failed, Is.EqualTo(1));
            Assert.That(failedButDelivered, Is.EqualTo(1));
        });
    }

    [TestCase(new string[0], 100, 60)]
    [TestCase(new[] { "--clients", "10", "--seconds", "3" }, 10, 3)]
    public void Options_have_the_documented_defaults_and_read_clients_and_seconds(string[] args, int clients, int seconds)
    {
        ProsodyLoadOptions? options = ProsodyLoadOptions.Parse(args, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(options!.Clients, Is.EqualTo(clients));
            Assert.That(options.Phase, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
        });
    }

    [TestCase("--clients", "7")]
    [TestCase("--clients", "0")]
    [TestCase("--seconds", "-1")]
    [TestCase("--shutdown", "maybe")]
    [TestCase("--bogus", "1")]
    [TestCase("--clients", null)]
    public void Bad_options_are_refused_with_a_reason(string name, string? value)
    {
        string[] args = value is null ? [name] : [name, value];

        ProsodyLoadOptions? options = ProsodyLoadOptions.Parse(args, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(options, Is.Null);
            Assert.That(error, Is.Not.Null.And.Not.Empty);
        });
    }
}
