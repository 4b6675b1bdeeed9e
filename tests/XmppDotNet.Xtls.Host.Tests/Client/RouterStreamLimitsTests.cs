using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Host.Tests.Client;

/// <summary>The router announces the stanza limit it enforces (XEP-0478), and the session keeps what was announced.</summary>
public class RouterStreamLimitsTests
{
    [Test]
    public async Task The_session_knows_the_announced_limit_once_online_and_not_before()
    {
        await using RouterFixture fixture = await RouterFixture.StartAsync();
        XmppClient romeo = fixture.Build("romeo", "r-pass", "orchard");
        Assert.That(romeo.ServerLimits, Is.Null);

        await romeo.ConnectAsync().WaitAsync(RouterFixture.Bound);

        Assert.That(romeo.ServerLimits?.MaxBytes, Is.EqualTo(fixture.Router.MaxStanzaBytes));
        Assert.That(romeo.ServerLimits?.IdleSeconds, Is.Null);
    }

    [Test]
    public async Task A_router_that_keeps_its_limit_to_itself_leaves_it_unknown()
    {
        await using var router = new InMemoryRouter("capulet.lit") { AnnounceStreamLimits = false };
        router.AddAccount("romeo", "r-pass");
        await router.StartAsync();
        await using XmppClient romeo = new XmppClientBuilder().WithJid("romeo@capulet.lit").WithPassword("r-pass").WithInMemoryRouter(router).Build();

        await romeo.ConnectAsync().WaitAsync(RouterFixture.Bound);

        Assert.That(romeo.State, Is.EqualTo(SessionState.Online));
        Assert.That(romeo.ServerLimits, Is.Null);
    }

    [Test]
    public async Task A_stanza_over_the_announced_limit_ends_the_stream_with_a_stream_error()
    {
        await using var router = new InMemoryRouter("capulet.lit") { MaxStanzaBytes = 10_000 };
        router.AddAccount("romeo", "r-pass");
        await router.StartAsync();
        await using XmppClient romeo = new XmppClientBuilder().WithJid("romeo@capulet.lit").WithPassword("r-pass").WithInMemoryRouter(router).Build();
        var closed = new TaskCompletionSource<SessionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        romeo.Closed += (_, e) => closed.TrySetResult(e);
        await romeo.ConnectAsync().WaitAsync(RouterFixture.Bound);
        Assert.That(romeo.ServerLimits?.MaxBytes, Is.EqualTo(10_000));

        _ = romeo.SendAsync(RouterFixture.Message("romeo@capulet.lit", new string('x', 12_000)));
        SessionClosedEventArgs end = await closed.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(end.Reason, Is.EqualTo(SessionCloseReason.StreamError));
    }
}
