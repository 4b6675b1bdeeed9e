using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Tests.Client;

public class RouterInterceptorTests
{
    private static readonly XName Body = XName.Get("body", XmppNamespaces.Client);

    private RouterFixture _fixture = null!;
    private XmppClient _romeo = null!;
    private XmppClient _juliet = null!;
    private Channel<XElement> _julietMessages = null!;

    [SetUp]
    public async Task SetUp()
    {
        _fixture = await RouterFixture.StartAsync();
        _romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard", b => b.Configure(o => o.SendInitialPresence = false));
        _juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony", b => b.Configure(o => o.SendInitialPresence = false));
        _julietMessages = Channel.CreateUnbounded<XElement>();
        _juliet.StanzaReceived += (_, e) =>
        {
            if (e.Stanza.Name == Stanza.MessageName)
            {
                _julietMessages.Writer.TryWrite(e.Stanza);
            }
        };
    }

    [TearDown]
    public async Task TearDown() => await _fixture.DisposeAsync();

    [Test]
    public async Task The_interceptor_sees_each_forwarded_stanza_with_its_route_and_passing_it_on_delivers_it()
    {
        var seen = new ConcurrentQueue<RoutedStanzaEventArgs>();
        _fixture.Router.Interceptor = e =>
        {
            seen.Enqueue(e);
            return [e.Stanza];
        };

        await SendAsync("first");

        Assert.That(await NextBodyAsync(), Is.EqualTo("first"));
        Assert.That(seen, Has.Count.EqualTo(1));
        RoutedStanzaEventArgs routed = seen.Single();
        Assert.That(routed.From, Is.EqualTo(_romeo.Jid));
        Assert.That(routed.To, Is.EqualTo(_juliet.Jid));
        Assert.That(routed.Stanza.Element(Body)?.Value, Is.EqualTo("first"));
    }

    [Test]
    public async Task A_modified_copy_is_delivered_instead_of_the_original()
    {
        _fixture.Router.Interceptor = e =>
        {
            var copy = new XElement(e.Stanza);
            copy.SetElementValue(Body, "tampered");
            return [copy];
        };

        await SendAsync("original");

        XElement received = await NextMessageAsync();
        Assert.That(received.Element(Body)?.Value, Is.EqualTo("tampered"));
        Assert.That(Stanza.GetFrom(received), Is.EqualTo(_romeo.Jid));
    }

    [Test]
    public async Task Returning_nothing_drops_the_stanza_and_later_ones_still_flow()
    {
        _fixture.Router.Interceptor = e => e.Stanza.Element(Body)?.Value == "lost" ? [] : [e.Stanza];

        await SendAsync("lost");
        await SendAsync("kept");

        // One sender's stanzas are forwarded in order: had "lost" got through, it would come first.
        Assert.That(await NextBodyAsync(), Is.EqualTo("kept"));
        Assert.That(_julietMessages.Reader.TryRead(out _), Is.False);
    }

    [Test]
    public async Task Returning_several_stanzas_delivers_each_of_them_in_that_order()
    {
        _fixture.Router.Interceptor = e =>
        {
            if (e.Stanza.Element(Body)?.Value != "twice")
            {
                return [e.Stanza];
            }

            var extra = new XElement(e.Stanza);
            extra.SetElementValue(Body, "injected");
            return [e.Stanza, e.Stanza, extra];
        };

        await SendAsync("twice");
        await SendAsync("end");

        Assert.That(await NextBodiesAsync(4), Is.EqualTo("twice, twice, injected, end"));
    }

    [Test]
    public async Task A_held_back_stanza_can_be_released_after_a_later_one_reordering_them()
    {
        XElement? held = null;
        _fixture.Router.Interceptor = e =>
        {
            if (held is null && e.Stanza.Element(Body)?.Value == "one")
            {
                held = e.Stanza;
                return [];
            }

            return held is { } earlier && e.Stanza.Element(Body)?.Value == "two" ? [e.Stanza, earlier] : [e.Stanza];
        };

        await SendAsync("one");
        await SendAsync("two");

        Assert.That(await NextBodiesAsync(2), Is.EqualTo("two, one"));
    }

    [Test]
    public async Task An_interceptor_that_throws_forwards_the_stanza_unchanged_and_routing_goes_on()
    {
        int calls = 0;
        _fixture.Router.Interceptor = _ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("interceptor bug");
        };

        await SendAsync("first");
        await SendAsync("second");

        Assert.That(await NextBodiesAsync(2), Is.EqualTo("first, second"));
        Assert.That(Volatile.Read(ref calls), Is.EqualTo(2));
    }

    [Test]
    public async Task An_interceptor_that_returns_null_or_a_null_stanza_forwards_the_stanza_unchanged()
    {
        _fixture.Router.Interceptor = e => e.Stanza.Element(Body)?.Value == "null list" ? null! : [null!];

        await SendAsync("null list");
        await SendAsync("null entry");

        Assert.That(await NextBodiesAsync(2), Is.EqualTo("null list, null entry"));
    }

    [Test]
    public async Task The_routers_own_answers_and_bounces_are_not_intercepted()
    {
        var seen = new ConcurrentQueue<XElement>();
        _fixture.Router.Interceptor = e =>
        {
            seen.Enqueue(e.Stanza);
            return [];
        };

        XElement pong = await _romeo.SendIqAsync(Stanza.Iq("get", _romeo.NextId(), new Jid(null, _fixture.Router.Domain), new XElement(XName.Get("ping", XmppNamespaces.Ping)))).WaitAsync(RouterFixture.Bound);
        XmppStanzaException? bounce = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await _romeo.SendIqAsync(Stanza.Iq("get", _romeo.NextId(), Jid.Parse("juliet@capulet.lit/elsewhere"), new XElement(XName.Get("ping", XmppNamespaces.Ping)))).WaitAsync(RouterFixture.Bound));

        Assert.That(Stanza.GetType(pong), Is.EqualTo("result"));
        Assert.That(bounce!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
        Assert.That(seen, Is.Empty);
    }

    [Test]
    public async Task Removing_the_interceptor_restores_plain_forwarding()
    {
        var consulted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fixture.Router.Interceptor = _ =>
        {
            consulted.TrySetResult();
            return [];
        };
        await SendAsync("dropped");
        await consulted.Task.WaitAsync(RouterFixture.Bound);
        _fixture.Router.Interceptor = null;

        await SendAsync("delivered");

        Assert.That(await NextBodyAsync(), Is.EqualTo("delivered"));
    }

    private Task SendAsync(string body) => _romeo.SendAsync(RouterFixture.Message(_juliet.Jid.ToString(), body)).WaitAsync(RouterFixture.Bound);

    private async Task<XElement> NextMessageAsync() => await _julietMessages.Reader.ReadAsync().AsTask().WaitAsync(RouterFixture.Bound);

    private async Task<string?> NextBodyAsync() => (await NextMessageAsync()).Element(Body)?.Value;

    /// <summary>The bodies of the next messages, in arrival order, joined for one readable comparison.</summary>
    private async Task<string> NextBodiesAsync(int count)
    {
        var bodies = new List<string?>();
        for (int i = 0; i < count; i++)
        {
            bodies.Add(await NextBodyAsync());
        }

        return string.Join(", ", bodies);
    }
}
