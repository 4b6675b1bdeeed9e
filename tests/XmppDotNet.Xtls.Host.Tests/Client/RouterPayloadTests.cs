using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Tests.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Client;

/// <summary>The in-memory router reading a binary payload element as bytes: the stanza arrives the same, observed or not.</summary>
public class RouterPayloadTests
{
    [TestCase(false, TestName = "Forwarded as it is when nobody observes routing")]
    [TestCase(true, TestName = "Routed as an ordinary stanza when routing is observed")]
    public async Task A_payload_stanza_arrives_with_its_text_and_the_sender_stamped(bool observed)
    {
        await using var router = new InMemoryRouter("capulet.lit");
        router.AddAccount("romeo", "r-pass");
        router.AddAccount("juliet", "j-pass");
        router.BinaryPayloadElements.Add(PayloadFixtures.Chunk());
        var seenByRouter = new List<string>();
        if (observed)
        {
            router.StanzaRouted += (_, e) => seenByRouter.Add(e.Stanza.ToString(SaveOptions.DisableFormatting));
        }

        await router.StartAsync();
        await using XmppClient romeo = Client(router, "romeo", "r-pass", "orchard");
        await using XmppClient juliet = Client(router, "juliet", "j-pass", "balcony");
        await romeo.ConnectAsync().WaitAsync(RouterFixture.Bound);
        await juliet.ConnectAsync().WaitAsync(RouterFixture.Bound);
        var received = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        juliet.AddStanzaHandler(
            s => Stanza.IsIqRequest(s) && s.Element(PayloadFixtures.ChunkName) is not null,
            async s =>
            {
                received.TrySetResult(s);
                await juliet.SendAsync(Stanza.ResultFor(s));
                return true;
            });

        // The sender claims another address: the router stamps the real one either way.
        XElement iq = Stanza.Iq("set", "d1", juliet.Jid, new XElement(PayloadFixtures.ChunkName, "QUJD\nREVG"));
        iq.SetAttributeValue("from", "mallory@capulet.lit/x");
        await romeo.SendIqAsync(iq).WaitAsync(RouterFixture.Bound);
        XElement atJuliet = await received.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(atJuliet.Element(PayloadFixtures.ChunkName)!.Value, Is.EqualTo("QUJD\nREVG"));
        Assert.That(Stanza.GetFrom(atJuliet), Is.EqualTo(romeo.Jid));
        Assert.That(seenByRouter.Any(s => s.Contains("QUJD", StringComparison.Ordinal)), Is.EqualTo(observed));
    }

    [Test]
    public async Task A_payload_iq_to_an_offline_resource_bounces_as_before()
    {
        await using var router = new InMemoryRouter("capulet.lit");
        router.AddAccount("romeo", "r-pass");
        router.BinaryPayloadElements.Add(PayloadFixtures.Chunk());
        await router.StartAsync();
        await using XmppClient romeo = Client(router, "romeo", "r-pass", "orchard");
        await romeo.ConnectAsync().WaitAsync(RouterFixture.Bound);
        XElement iq = Stanza.Iq("set", "d2", Jid.Parse("juliet@capulet.lit/gone"), new XElement(PayloadFixtures.ChunkName, "QUJD"));

        XmppStanzaException failure = (await Assert.ThrowsAsync<XmppStanzaException>(() => romeo.SendIqAsync(iq).WaitAsync(RouterFixture.Bound)))!;

        Assert.That(failure.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
    }

    private static XmppClient Client(InMemoryRouter router, string user, string password, string resource) =>
        new XmppClientBuilder()
            .WithJid($"{user}@{router.Domain}")
            .WithPassword(password)
            .WithResource(resource)
            .WithInMemoryRouter(router)
            .Configure(o => o.BinaryPayloadElements.Add(PayloadFixtures.Chunk()))
            .Build();
}
