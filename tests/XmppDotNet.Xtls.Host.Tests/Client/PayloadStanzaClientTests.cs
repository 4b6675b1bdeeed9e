using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Tests.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Client;

/// <summary>A client whose connection delivers a binary payload element as bytes, with no plugin to take them.</summary>
public class PayloadStanzaClientTests
{
    private RouterFixture _fixture = null!;

    [SetUp]
    public async Task SetUp() => _fixture = await RouterFixture.StartAsync();

    [TearDown]
    public async Task TearDown() => await _fixture.DisposeAsync();

    [Test]
    public async Task A_payload_stanza_no_plugin_takes_reaches_the_handlers_as_the_ordinary_stanza()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony", b => b.Configure(o => o.BinaryPayloadElements.Add(PayloadFixtures.Chunk())));
        var seen = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        juliet.AddStanzaHandler(
            s => Stanza.IsIqRequest(s) && s.Element(PayloadFixtures.ChunkName) is not null,
            async s =>
            {
                seen.TrySetResult(s);
                await juliet.SendAsync(Stanza.ResultFor(s));
                return true;
            });
        XElement iq = Stanza.Iq("set", "d1", juliet.Jid, new XElement(PayloadFixtures.ChunkName, new XAttribute("sid", "x"), "QUJD REVG"));

        XElement answer = await romeo.SendIqAsync(iq).WaitAsync(RouterFixture.Bound);
        XElement received = await seen.Task.WaitAsync(RouterFixture.Bound);

        Assert.That(Stanza.GetType(answer), Is.EqualTo("result"));
        Assert.That(received.Element(PayloadFixtures.ChunkName)!.Value, Is.EqualTo("QUJD REVG"));
        Assert.That((string?)received.Element(PayloadFixtures.ChunkName)!.Attribute("sid"), Is.EqualTo("x"));
    }

    [Test]
    public async Task An_unhandled_payload_iq_is_answered_service_unavailable()
    {
        XmppClient romeo = await _fixture.OnlineAsync("romeo", "r-pass", "orchard");
        XmppClient juliet = await _fixture.OnlineAsync("juliet", "j-pass", "balcony", b => b.Configure(o => o.BinaryPayloadElements.Add(PayloadFixtures.Chunk())));
        XElement iq = Stanza.Iq("set", "d2", juliet.Jid, new XElement(PayloadFixtures.ChunkName, "QUJD"));

        XmppStanzaException failure = (await Assert.ThrowsAsync<XmppStanzaException>(() => romeo.SendIqAsync(iq).WaitAsync(RouterFixture.Bound)))!;

        Assert.That(failure.Error.Condition, Is.EqualTo(StanzaErrorConditions.ServiceUnavailable));
    }
}
