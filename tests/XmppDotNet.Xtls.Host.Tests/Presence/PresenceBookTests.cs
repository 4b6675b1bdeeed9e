using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Tests.Support;

namespace XmppDotNet.Xtls.Host.Tests.Presence;

public class PresenceBookTests
{
    private const string Ver = "QgayPKawpkPSDYmwT/WM94uAlu0=";
    private static readonly bool[] NewThenChanged = [true, false];
    private static readonly string[] JulietsTwo = ["juliet@capulet.lit/balcony", "juliet@capulet.lit/chamber"];
    private static readonly string[] JulietAndNurse = ["juliet@capulet.lit/balcony", "nurse@capulet.lit/kitchen"];
    private static readonly string[] RomeosPhone = ["romeo@montague.lit/phone"];
    private static readonly string[] ByPriority = ["high", "bogus", "low"];
    private static readonly int[] Priorities = [10, 0, -1];
    private static readonly string[] Balcony = ["balcony"];

    private FakeSession _session = null!;
    private PresenceBook _book = null!;
    private List<ResourceAvailableEventArgs> _available = null!;
    private List<ResourceUnavailableEventArgs> _unavailable = null!;

    [SetUp]
    public void SetUp()
    {
        _session = new FakeSession();
        _book = PresenceBook.Register(_session);
        _available = [];
        _unavailable = [];
        _book.ResourceAvailable += (_, e) => _available.Add(e);
        _book.ResourceUnavailable += (_, e) => _unavailable.Add(e);
    }

    [Test]
    public async Task An_available_presence_is_recorded_with_priority_show_status_and_caps()
    {
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", priority: 5, show: "away", status: "On the balcony", caps: Presences.Caps("https://example.org/app", Ver, "sha-1")));

        ResourcePresence? presence = _book.Find(Jid.Parse("juliet@capulet.lit/balcony"));
        Assert.That(presence, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(presence!.Priority, Is.EqualTo(5));
            Assert.That(presence.Show, Is.EqualTo("away"));
            Assert.That(presence.Status, Is.EqualTo("On the balcony"));
            Assert.That(presence.Caps, Is.EqualTo(new CapsAnnouncement("https://example.org/app", Ver, "sha-1")));
            Assert.That(presence.Since, Is.EqualTo(_session.Clock.GetUtcNow()));
            Assert.That(_book.Contacts, Is.EquivalentTo(new[] { Jid.Parse("juliet@capulet.lit") }));
            Assert.That(_available, Has.Count.EqualTo(1));
            Assert.That(_available[0].IsNew, Is.True);
            Assert.That(_available[0].Presence, Is.EqualTo(presence));
        });
    }

    [Test]
    public async Task The_book_does_not_consume_presence()
    {
        bool consumed = await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony"));

        Assert.That(consumed, Is.False);
        Assert.That(_session.Delivered, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_changed_presence_of_a_known_resource_is_raised_as_not_new_and_keeps_since()
    {
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", priority: 1));
        DateTimeOffset since = _session.Clock.GetUtcNow();
        _session.Clock.Advance(TimeSpan.FromMinutes(3));

        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", priority: 1, show: "dnd"));
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", priority: 1, show: "dnd"));

        Assert.That(_available.Select(a => a.IsNew), Is.EqualTo(NewThenChanged), "an identical repeat is no change");
        Assert.That(_book.Find(Jid.Parse("juliet@capulet.lit/balcony"))!.Show, Is.EqualTo("dnd"));
        Assert.That(_book.Find(Jid.Parse("juliet@capulet.lit/balcony"))!.Since, Is.EqualTo(since));
    }

    [Test]
    public async Task Unavailable_and_error_presence_remove_the_resource_with_their_reason()
    {
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony"));
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/chamber"));

        await _session.ReceiveAsync(Presences.OfType("juliet@capulet.lit/balcony", "unavailable"));
        await _session.ReceiveAsync(Presences.OfType("juliet@capulet.lit/chamber", "error"));

        Assert.That(_book.GetResources(Jid.Parse("juliet@capulet.lit")), Is.Empty);
        Assert.That(_book.Contacts, Is.Empty);
        Assert.That(
            _unavailable.Select(u => (u.Jid.ToString(), u.Reason)),
            Is.EqualTo(new[] { ("juliet@capulet.lit/balcony", ResourceUnavailableReason.Unavailable), ("juliet@capulet.lit/chamber", ResourceUnavailableReason.Error) }));
    }

    [Test]
    public async Task Unavailable_from_a_bare_jid_removes_every_resource_of_the_contact()
    {
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony"));
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/chamber"));
        await _session.ReceiveAsync(Presences.Available("nurse@capulet.lit/kitchen"));

        await _session.ReceiveAsync(Presences.OfType("juliet@capulet.lit", "unavailable"));

        Assert.That(_unavailable.Select(u => u.Jid.ToString()), Is.EquivalentTo(JulietsTwo));
        Assert.That(_book.Contacts, Is.EquivalentTo(new[] { Jid.Parse("nurse@capulet.lit") }));
    }

    [TestCase("subscribe")]
    [TestCase("subscribed")]
    [TestCase("unsubscribe")]
    [TestCase("unsubscribed")]
    [TestCase("probe")]
    public async Task Subscription_presence_does_not_change_availability(string type)
    {
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony"));

        await _session.ReceiveAsync(Presences.OfType("juliet@capulet.lit/balcony", type));
        await _session.ReceiveAsync(Presences.OfType("nurse@capulet.lit/kitchen", type));

        Assert.That(_book.Contacts, Is.EquivalentTo(new[] { Jid.Parse("juliet@capulet.lit") }));
        Assert.That(_unavailable, Is.Empty);
        Assert.That(_available, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_own_full_jid_the_server_and_domain_only_senders_are_ignored_but_other_own_resources_are_recorded()
    {
        await _session.ReceiveAsync(Presences.Available("romeo@montague.lit/orchard"));
        await _session.ReceiveAsync(new System.Xml.Linq.XElement(System.Xml.Linq.XName.Get("presence", XmppNamespaces.Client)));
        await _session.ReceiveAsync(Presences.Available("montague.lit"));
        await _session.ReceiveAsync(Presences.Available("gateway.montague.lit/x"));
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit"));
        await _session.ReceiveAsync(Presences.Available("not a jid@@/"));
        await _session.ReceiveAsync(Presences.Available("romeo@montague.lit/phone"));

        Assert.That(_book.Contacts, Is.EquivalentTo(new[] { Jid.Parse("romeo@montague.lit") }));
        Assert.That(_book.GetResources(Jid.Parse("romeo@montague.lit")).Select(r => r.Jid.ToString()), Is.EqualTo(RomeosPhone));
    }

    [Test]
    public async Task Resources_are_listed_highest_priority_first_and_bad_priorities_count_as_zero()
    {
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/low", priority: -1));
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/high", priority: 10));
        var outOfRange = Presences.Available("juliet@capulet.lit/bogus");
        outOfRange.Add(new System.Xml.Linq.XElement(System.Xml.Linq.XName.Get("priority", XmppNamespaces.Client), "500"));
        await _session.ReceiveAsync(outOfRange);

        IReadOnlyList<ResourcePresence> resources = _book.GetResources(Jid.Parse("juliet@capulet.lit/any"));

        Assert.That(resources.Select(r => r.Jid.Resource), Is.EqualTo(ByPriority));
        Assert.That(resources.Select(r => r.Priority), Is.EqualTo(Priorities));
    }

    [Test]
    public async Task Show_outside_the_four_values_is_plain_available_and_long_status_is_cut()
    {
        _book.MaxStatusLength = 8;
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", show: "partying", status: new string('x', 100)));

        ResourcePresence presence = _book.Find(Jid.Parse("juliet@capulet.lit/balcony"))!;

        Assert.That(presence.Show, Is.Null);
        Assert.That(presence.Status, Is.EqualTo("xxxxxxxx"));
    }

    [TestCase(null, Ver, "sha-1")]
    [TestCase("https://example.org/app", null, "sha-1")]
    [TestCase("https://example.org/app", Ver, null)]
    [TestCase("https://example.org/app", "", "sha-1")]
    public async Task A_caps_element_missing_an_attribute_is_ignored(string? node, string? ver, string? hash)
    {
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony", caps: Presences.Caps(node, ver, hash)));

        Assert.That(_book.Find(Jid.Parse("juliet@capulet.lit/balcony"))!.Caps, Is.Null);
    }

    [Test]
    public async Task A_flood_of_resources_is_bounded_per_contact_counted_and_warned_once()
    {
        var logs = new RecordingLoggerFactory();
        _session = new FakeSession { LoggerFactory = logs };
        _book = PresenceBook.Register(_session);
        _book.MaxResourcesPerContact = 4;

        for (int i = 0; i < 100; i++)
        {
            await _session.ReceiveAsync(Presences.Available($"mallory@evil.example/r{i}"));
        }

        await _session.ReceiveAsync(Presences.Available("mallory@evil.example/r0", show: "dnd"));

        Assert.Multiple(() =>
        {
            Assert.That(_book.GetResources(Jid.Parse("mallory@evil.example")), Has.Count.EqualTo(4));
            Assert.That(_book.Find(Jid.Parse("mallory@evil.example/r0"))!.Show, Is.EqualTo("dnd"), "known resources still update");
            Assert.That(_book.Find(Jid.Parse("mallory@evil.example/r4")), Is.Null);
            Assert.That(_book.Dropped, Is.EqualTo(96));
            Assert.That(logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Id.Id == 201), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_flood_of_contacts_is_bounded_counted_and_warned_once_per_contact()
    {
        var logs = new RecordingLoggerFactory();
        _session = new FakeSession { LoggerFactory = logs };
        _book = PresenceBook.Register(_session);
        _book.MaxContacts = 10;

        for (int i = 0; i < 50; i++)
        {
            await _session.ReceiveAsync(Presences.Available($"bot{i}@evil.example/a"));
            await _session.ReceiveAsync(Presences.Available($"bot{i}@evil.example/b"));
        }

        Assert.Multiple(() =>
        {
            Assert.That(_book.Contacts, Has.Count.EqualTo(10));
            Assert.That(_book.GetResources(Jid.Parse("bot9@evil.example")), Has.Count.EqualTo(2));
            Assert.That(_book.GetResources(Jid.Parse("bot10@evil.example")), Is.Empty);
            Assert.That(_book.Dropped, Is.EqualTo(80));
            Assert.That(logs.Count(201), Is.EqualTo(40));
        });
    }

    [Test]
    public void Bounds_below_one_are_refused()
    {
        Assert.That(() => _book.MaxContacts = 0, Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => _book.MaxResourcesPerContact = 0, Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task The_end_of_the_session_removes_every_resource_as_session_ended()
    {
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony"));
        await _session.ReceiveAsync(Presences.Available("nurse@capulet.lit/kitchen"));

        _session.End();

        Assert.That(_book.Contacts, Is.Empty);
        Assert.That(_unavailable.Select(u => u.Jid.ToString()), Is.EquivalentTo(JulietAndNurse));
        Assert.That(_unavailable.Select(u => u.Reason), Is.All.EqualTo(ResourceUnavailableReason.SessionEnded));
    }

    [Test]
    public async Task A_throwing_handler_breaks_neither_the_book_nor_the_other_handlers()
    {
        var logs = new RecordingLoggerFactory();
        _session = new FakeSession { LoggerFactory = logs };
        _book = PresenceBook.Register(_session);
        var seen = new List<Jid>();
        _book.ResourceAvailable += (_, _) => throw new InvalidOperationException("broken application");
        _book.ResourceAvailable += (_, e) => seen.Add(e.Presence.Jid);
        _book.ResourceUnavailable += (_, _) => throw new InvalidOperationException("broken application");

        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/balcony"));
        await _session.ReceiveAsync(Presences.Available("juliet@capulet.lit/chamber"));
        await _session.ReceiveAsync(Presences.OfType("juliet@capulet.lit/chamber", "unavailable"));

        Assert.That(seen.Select(j => j.ToString()), Is.EqualTo(JulietsTwo));
        Assert.That(_book.GetResources(Jid.Parse("juliet@capulet.lit")).Select(r => r.Jid.Resource), Is.EqualTo(Balcony));
        Assert.That(logs.Count(202), Is.EqualTo(3));
    }

    [Test]
    public void The_extension_finds_the_book_and_says_clearly_when_there_is_none()
    {
        Assert.That(_session.GetPresenceBook(), Is.SameAs(_book));
        Assert.That(() => new FakeSession().GetPresenceBook(), Throws.InvalidOperationException);
    }
}
