using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Presence;
using XmppDotNet.Xtls.Host.Tests.Client;

namespace XmppDotNet.Xtls.Host.Tests.Presence;

public class PresenceBookRouterTests
{
    private RouterFixture _fixture = null!;

    [SetUp]
    public async Task SetUp() => _fixture = await RouterFixture.StartAsync();

    [TearDown]
    public async Task TearDown() => await _fixture.DisposeAsync();

    [Test]
    public async Task Every_client_has_a_book_that_follows_a_contact_coming_and_going_while_the_application_still_gets_the_presence()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        PresenceBook book = romeo.GetPresenceBook();
        var available = new TaskCompletionSource<ResourceAvailableEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var unavailable = new TaskCompletionSource<ResourceUnavailableEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        book.ResourceAvailable += (_, e) => available.TrySetResult(e);
        book.ResourceUnavailable += (_, e) => unavailable.TrySetResult(e);
        romeo.StanzaReceived += (_, e) =>
        {
            if (e.Stanza.Name.LocalName == "presence")
            {
                delivered.TrySetResult(e.Stanza);
            }
        };

        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony");
        ResourceAvailableEventArgs arrived = await available.Task.WaitAsync(RouterFixture.Bound);
        await delivered.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(arrived.Presence.Jid, Is.EqualTo(juliet.Jid));
        Assert.That(arrived.IsNew, Is.True);
        Assert.That(book.Find(juliet.Jid), Is.Not.Null);

        await juliet.DisconnectAsync();
        ResourceUnavailableEventArgs left = await unavailable.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(left.Jid, Is.EqualTo(juliet.Jid));
        Assert.That(left.Reason, Is.EqualTo(ResourceUnavailableReason.Unavailable));
        Assert.That(book.Contacts, Is.Empty);
    }

    [Test]
    public async Task The_end_of_the_own_session_empties_the_book_and_a_new_session_starts_empty()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        PresenceBook book = romeo.GetPresenceBook();
        var available = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource<ResourceUnavailableEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        book.ResourceAvailable += (_, _) => available.TrySetResult();
        book.ResourceUnavailable += (_, e) => ended.TrySetResult(e);
        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony");
        await available.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(_fixture.Router.Disconnect(romeo.Jid), Is.True);
        ResourceUnavailableEventArgs args = await ended.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(args.Jid, Is.EqualTo(juliet.Jid));
        Assert.That(args.Reason, Is.EqualTo(ResourceUnavailableReason.SessionEnded));
        Assert.That(book.Contacts, Is.Empty);

        await romeo.ConnectAsync().WaitAsync(RouterFixture.Bound);

        Assert.That(romeo.GetPresenceBook(), Is.SameAs(book), "the book belongs to the client, not to one connection");
    }
}
