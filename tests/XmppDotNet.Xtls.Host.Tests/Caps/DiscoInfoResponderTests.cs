using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Tests.Support;

namespace XmppDotNet.Xtls.Host.Tests.Caps;

public class DiscoInfoResponderTests
{
    private FakeSession _session = null!;

    [SetUp]
    public void SetUp()
    {
        _session = new FakeSession();
        _session.Features.Add(XmppNamespaces.DiscoInfo);
        _session.Features.Add(XmppNamespaces.Caps);
        _session.Features.Add("urn:xmpp:tmp:xtls");
        DiscoInfoResponder.Register(_session);
    }

    [Test]
    public async Task A_query_without_node_is_answered_with_identity_and_features()
    {
        XElement answer = await AskAsync(node: null);

        Assert.That(Stanza.GetType(answer), Is.EqualTo("result"));
        DiscoInfo info = DiscoInfo.FromQuery(answer.Element(XName.Get("query", XmppNamespaces.DiscoInfo))!);
        Assert.That(info.Node, Is.Null);
        Assert.That(info.Identities, Is.EqualTo(new[] { new DiscoIdentity("client", "pc", "XmppDotNet.Xtls") }));
        Assert.That(info.Features, Is.EquivalentTo(_session.Features.ToList()));
    }

    [Test]
    public async Task A_query_for_our_node_and_ver_is_answered_with_the_node_echoed_and_hashes_to_that_ver()
    {
        string ver = OwnCapabilities.Ver(_session.Features);

        XElement answer = await AskAsync(EntityCapabilities.OwnNode + "#" + ver);

        Assert.That(Stanza.GetType(answer), Is.EqualTo("result"));
        DiscoInfo info = DiscoInfo.FromQuery(answer.Element(XName.Get("query", XmppNamespaces.DiscoInfo))!);
        Assert.That(info.Node, Is.EqualTo(EntityCapabilities.OwnNode + "#" + ver));
        Assert.That(CapsVerification.TryCompute(info, out string? computed), Is.True);
        Assert.That(computed, Is.EqualTo(ver));
    }

    [TestCase("https://github.com/XmppDotNet/XmppDotNet.Xtls#AAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [TestCase("http://jabber.org/protocol/commands")]
    public async Task A_query_for_another_node_gets_item_not_found(string node)
    {
        XElement answer = await AskAsync(node);

        Assert.That(Stanza.GetType(answer), Is.EqualTo("error"));
        Assert.That(StanzaError.FromStanza(answer)!.Condition, Is.EqualTo(StanzaErrorConditions.ItemNotFound));
        Assert.That(Stanza.GetId(answer), Is.EqualTo("q1"));
    }

    [Test]
    public async Task A_ver_of_features_we_had_before_is_no_longer_ours()
    {
        string old = OwnCapabilities.Ver(_session.Features);
        _session.Features.Add("urn:example:new");

        XElement answer = await AskAsync(EntityCapabilities.OwnNode + "#" + old);

        Assert.That(StanzaError.FromStanza(answer)!.Condition, Is.EqualTo(StanzaErrorConditions.ItemNotFound));
    }

    private async Task<XElement> AskAsync(string? node)
    {
        var query = new XElement(XName.Get("query", XmppNamespaces.DiscoInfo));
        if (node is not null)
        {
            query.SetAttributeValue("node", node);
        }

        XElement request = Stanza.Iq("get", "q1", _session.Jid, query, Jid.Parse("juliet@capulet.lit/balcony"));
        Assert.That(await _session.ReceiveAsync(request), Is.True);
        Assert.That(_session.Sent.TryDequeue(out XElement? answer), Is.True);
        return answer!;
    }
}
