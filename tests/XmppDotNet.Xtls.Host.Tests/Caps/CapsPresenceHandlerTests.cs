using System.Xml.Linq;
using DotNetty.Transport.Channels.Embedded;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Host.Tests.Caps;

public class CapsPresenceHandlerTests
{
    private static readonly XName CapsName = XName.Get("c", XmppNamespaces.Caps);

    private FeatureSet _features = null!;
    private EmbeddedChannel _channel = null!;

    [SetUp]
    public void SetUp()
    {
        _features = new FeatureSet();
        _features.Add(XmppNamespaces.DiscoInfo);
        _channel = new EmbeddedChannel(new CapsPresenceHandler(_features));
    }

    [TearDown]
    public async Task TearDown() => await _channel.CloseAsync();

    [Test]
    public void Broadcast_available_presence_gets_our_caps_with_the_ver_of_the_current_features()
    {
        var presence = new XElement(XName.Get("presence", XmppNamespaces.Client));

        XElement sent = Write(presence);

        XElement? c = sent.Element(CapsName);
        Assert.That(c, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That((string?)c!.Attribute("hash"), Is.EqualTo("sha-1"));
            Assert.That((string?)c.Attribute("node"), Is.EqualTo("https://github.com/XmppDotNet/XmppDotNet.Xtls"));
            Assert.That((string?)c.Attribute("ver"), Is.EqualTo(OwnCapabilities.Ver(_features)));
            Assert.That(presence.Element(CapsName), Is.Null, "the caller's element is not changed");
        });
    }

    [Test]
    public void The_ver_follows_features_added_later_and_directed_presence_gets_caps_too()
    {
        string before = (string)Write(new XElement(XName.Get("presence", XmppNamespaces.Client))).Element(CapsName)!.Attribute("ver")!;
        _features.Add("urn:xmpp:tmp:xtls");

        XElement directed = Write(new XElement(XName.Get("presence", XmppNamespaces.Client), new XAttribute("to", "juliet@capulet.lit/balcony")));

        string after = (string)directed.Element(CapsName)!.Attribute("ver")!;
        Assert.That(after, Is.Not.EqualTo(before));
        Assert.That(after, Is.EqualTo(OwnCapabilities.Ver(_features)));
    }

    [TestCase("unavailable")]
    [TestCase("subscribe")]
    [TestCase("subscribed")]
    [TestCase("probe")]
    public void Presence_with_a_type_is_left_alone(string type)
    {
        XElement sent = Write(new XElement(XName.Get("presence", XmppNamespaces.Client), new XAttribute("type", type)));

        Assert.That(sent.Element(CapsName), Is.Null);
    }

    [Test]
    public void Presence_that_already_has_caps_and_other_stanzas_are_left_alone()
    {
        var own = new XElement(CapsName, new XAttribute("hash", "sha-1"), new XAttribute("node", "urn:example"), new XAttribute("ver", "x"));
        XElement presence = Write(new XElement(XName.Get("presence", XmppNamespaces.Client), own));
        XElement message = Write(new XElement(XName.Get("message", XmppNamespaces.Client), new XAttribute("to", "juliet@capulet.lit")));

        Assert.That(presence.Elements(CapsName).Select(c => (string?)c.Attribute("ver")), Has.Exactly(1).EqualTo("x"));
        Assert.That(message.Element(CapsName), Is.Null);
    }

    private XElement Write(XElement stanza)
    {
        _channel.WriteAndFlushAsync(stanza);
        return _channel.ReadOutbound<XElement>();
    }
}
