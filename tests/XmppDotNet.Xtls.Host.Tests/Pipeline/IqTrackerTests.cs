using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Pipeline;

namespace XmppDotNet.Xtls.Host.Tests.Pipeline;

public class IqTrackerTests
{
    private static readonly Jid Self = Jid.Parse("romeo@montague.lit/orchard");
    private static readonly Jid Juliet = Jid.Parse("juliet@capulet.lit/balcony");

    private static XElement Response(string id, string type, string? from)
    {
        var iq = new XElement(XName.Get("iq", XmppNamespaces.Client), new XAttribute("id", id), new XAttribute("type", type));
        if (from is not null)
        {
            iq.SetAttributeValue("from", from);
        }

        return iq;
    }

    [Test]
    public async Task A_response_from_the_addressee_completes_the_request()
    {
        var tracker = new IqTracker(10, TimeProvider.System);
        Task<XElement> pending = tracker.Register("a1", Juliet, TimeSpan.FromMinutes(1), CancellationToken.None);

        XElement response = Response("a1", "result", Juliet.ToString());
        Assert.That(tracker.TryComplete(response, Self), Is.True);
        Assert.That(await pending, Is.SameAs(response));
        Assert.That(tracker.Count, Is.Zero);
    }

    [Test]
    public void A_response_from_someone_else_is_not_accepted()
    {
        var tracker = new IqTracker(10, TimeProvider.System);
        Task<XElement> pending = tracker.Register("a1", Juliet, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.That(tracker.TryComplete(Response("a1", "result", "mallory@evil.lit/x"), Self), Is.False);
        Assert.That(tracker.TryComplete(Response("a1", "result", null), Self), Is.False);
        Assert.That(pending.IsCompleted, Is.False);
    }

    [TestCase(null)]
    [TestCase("romeo@montague.lit")]
    [TestCase("montague.lit")]
    [TestCase("romeo@montague.lit/orchard")]
    public void A_request_to_the_account_accepts_the_server_answering_for_it(string? from)
    {
        var tracker = new IqTracker(10, TimeProvider.System);
        Task<XElement> pending = tracker.Register("s1", null, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.That(tracker.TryComplete(Response("s1", "result", from), Self), Is.True);
        Assert.That(pending.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void An_unknown_id_is_not_consumed()
    {
        var tracker = new IqTracker(10, TimeProvider.System);
        Assert.That(tracker.TryComplete(Response("nope", "result", Juliet.ToString()), Self), Is.False);
    }

    [Test]
    public void No_response_in_time_fails_with_a_typed_timeout()
    {
        var time = new FakeTimeProvider();
        var tracker = new IqTracker(10, time);
        Task<XElement> pending = tracker.Register("t1", Juliet, TimeSpan.FromSeconds(30), CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(pending.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.That(async () => await pending, Throws.TypeOf<XmppIqTimeoutException>());
        Assert.That(tracker.Count, Is.Zero);
        Assert.That(tracker.TryComplete(Response("t1", "result", Juliet.ToString()), Self), Is.False);
    }

    [Test]
    public void Cancellation_ends_the_wait_and_forgets_the_request()
    {
        var tracker = new IqTracker(10, TimeProvider.System);
        using var cts = new CancellationTokenSource();
        Task<XElement> pending = tracker.Register("c1", Juliet, TimeSpan.FromMinutes(1), cts.Token);

        cts.Cancel();

        Assert.That(async () => await pending, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(tracker.Count, Is.Zero);
    }

    [Test]
    public void The_number_of_outstanding_requests_is_bounded()
    {
        var tracker = new IqTracker(2, TimeProvider.System);
        tracker.Register("1", Juliet, TimeSpan.FromMinutes(1), CancellationToken.None);
        tracker.Register("2", Juliet, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.That(() => tracker.Register("3", Juliet, TimeSpan.FromMinutes(1), CancellationToken.None), Throws.TypeOf<XmppException>());
    }

    [Test]
    public void A_duplicate_id_is_refused()
    {
        var tracker = new IqTracker(10, TimeProvider.System);
        tracker.Register("d", Juliet, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.That(() => tracker.Register("d", Juliet, TimeSpan.FromMinutes(1), CancellationToken.None), Throws.TypeOf<XmppException>());
    }

    [Test]
    public void Failing_all_fails_every_outstanding_request()
    {
        var tracker = new IqTracker(10, TimeProvider.System);
        Task<XElement> first = tracker.Register("1", Juliet, TimeSpan.FromMinutes(1), CancellationToken.None);
        Task<XElement> second = tracker.Register("2", null, TimeSpan.FromMinutes(1), CancellationToken.None);

        tracker.FailAll(new XmppConnectionException("gone"));

        Assert.That(async () => await first, Throws.TypeOf<XmppConnectionException>());
        Assert.That(async () => await second, Throws.TypeOf<XmppConnectionException>());
        Assert.That(tracker.Count, Is.Zero);
    }
}
