using System.Threading.Channels;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>A peer that completes a real tunnel and then puts into it what an honest XTLS client never would.</summary>
public class HostilePeerTests
{
    private const string Honest = "<message type='chat'><body>honest words</body></message>";

    private XtlsPair _pair = null!;
    private HostilePeer _mallory = null!;
    private Channel<XElement> _julietMessages = null!;
    private Channel<XtlsStanzaRejectedEventArgs> _rejections = null!;

    [SetUp]
    public async Task SetUp()
    {
        _pair = await XtlsPair.StartAsync(configureRouter: r => r.AddAccount("mallory", "m-pass"));
        _mallory = await HostilePeer.ConnectAsync(_pair.Router, "mallory", "m-pass", "lair");
        _julietMessages = Watch.Messages(_pair.Juliet);
        _rejections = Watch.Rejections(_pair.JulietXtls);
        Task<XtlsTunnel> opened = Watch.NextOpened(_pair.JulietXtls);
        await _mallory.OpenAsync(_pair.Juliet.Jid);
        await opened;
    }

    [TearDown]
    public async Task TearDown()
    {
        await _mallory.DisposeAsync();
        await _pair.DisposeAsync();
    }

    [TestCase("someone@else/x")]
    [TestCase("juliet@capulet.lit/balcony")]
    [TestCase("mallory@capulet.lit")]
    [TestCase("mallory@capulet.lit/elsewhere")]
    [TestCase("not a jid@@")]
    public async Task An_inner_stanza_with_a_spoofed_sender_is_dropped_and_reported_and_the_next_honest_one_is_delivered(string spoofedFrom)
    {
        await _mallory.SendRawAsync(_pair.Juliet.Jid, $"<message from='{spoofedFrom}' type='chat'><body>spoofed</body></message>{Honest}");

        XElement delivered = await NextMessageAsync();
        XtlsStanzaRejectedEventArgs rejected = await _rejections.Reader.ReadAsync().AsTask().WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(delivered.Value, Is.EqualTo("honest words"));
            Assert.That(Stanza.GetFrom(delivered), Is.EqualTo(_mallory.Jid));
            Assert.That(Stanza.GetTo(delivered), Is.EqualTo(_pair.Juliet.Jid));
            Assert.That(delivered.IsFromXtlsTunnel(out XtlsTunnel? tunnel), Is.True);
            Assert.That(tunnel!.PeerFingerprint, Is.EqualTo(_mallory.Identity.Fingerprint));
            Assert.That(rejected.Rejection, Is.EqualTo(XtlsRejection.SpoofedSender));
            Assert.That(rejected.Peer, Is.EqualTo(_mallory.Jid));
            Assert.That(rejected.StanzaName, Is.EqualTo("message"));
            Assert.That(_rejections.Reader.TryRead(out _), Is.False);
            Assert.That(_julietMessages.Reader.TryRead(out _), Is.False, "the spoofed message came first: it would be in the inbox before the honest one");
            Assert.That(_pair.JulietXtls.GetTunnel(_mallory.Jid), Is.Not.Null, "a dropped stanza leaves the tunnel open");
        });
    }

    [TestCase("iq", "someone@else/x")]
    [TestCase("presence", "romeo@capulet.lit/orchard")]
    [TestCase("message", "juliet@capulet.lit/elsewhere")]
    [TestCase("message", "juliet@capulet.lit")]
    public async Task An_inner_stanza_for_someone_else_is_dropped_as_a_wrong_recipient(string name, string wrongTo)
    {
        string payload = name == "iq" ? "<query xmlns='urn:example'/>" : string.Empty;
        string type = name == "iq" ? " type='get' id='q1'" : string.Empty;
        await _mallory.SendRawAsync(_pair.Juliet.Jid, $"<{name} to='{wrongTo}'{type}>{payload}</{name}>{Honest}");

        XElement delivered = await NextMessageAsync();
        XtlsStanzaRejectedEventArgs rejected = await _rejections.Reader.ReadAsync().AsTask().WaitAsync(XtlsPair.Bound);

        Assert.That(delivered.Value, Is.EqualTo("honest words"));
        Assert.That(rejected.Rejection, Is.EqualTo(XtlsRejection.WrongRecipient));
        Assert.That(rejected.StanzaName, Is.EqualTo(name));
        Assert.That(_julietMessages.Reader.TryRead(out _), Is.False);
    }

    [Test]
    public async Task Inner_from_and_to_naming_the_tunnels_own_ends_are_accepted()
    {
        await _mallory.SendRawAsync(_pair.Juliet.Jid, $"<message from='{_mallory.Jid}' to='{_pair.Juliet.Jid}' type='chat'><body>addressed</body></message>");

        XElement delivered = await NextMessageAsync();

        Assert.That(delivered.Value, Is.EqualTo("addressed"));
        Assert.That(Stanza.GetFrom(delivered), Is.EqualTo(_mallory.Jid));
        Assert.That(_rejections.Reader.TryRead(out _), Is.False);
    }

    [TestCase("<foo xmlns='urn:x'/>")]
    [TestCase("<message xmlns='jabber:server'><body>server namespace</body></message>")]
    [TestCase("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client' to='capulet.lit' version='1.0'>")]
    [TestCase("<?xml version='1.0'?>")]
    [TestCase("<!DOCTYPE message [<!ENTITY x 'expanded'>]>")]
    [TestCase("<message><body>&x;</body></message>")]
    [TestCase("<!-- a comment -->")]
    [TestCase("<?pi data?>")]
    [TestCase("<message><body>unclosed</message>")]
    [TestCase("loose text")]
    [TestCase("<p:message xmlns:p='urn:unbound'/>")]
    public async Task Inner_xml_that_is_no_jabber_client_stanza_ends_the_tunnel_and_nothing_is_delivered(string hostileXml)
    {
        Task<XtlsTunnelClosedEventArgs> closed = Watch.NextClosed(_pair.JulietXtls);

        await _mallory.SendRawAsync(_pair.Juliet.Jid, hostileXml + Honest);
        XtlsTunnelClosedEventArgs ended = await closed;
        TunnelEnded atMallory = await _mallory.Ended.Task.WaitAsync(XtlsPair.Bound);

        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.InnerXmlError));
        Assert.That(ended.WasOpen, Is.True);
        Assert.That(atMallory.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
        Assert.That(_julietMessages.Reader.TryRead(out _), Is.False, "nothing that followed the bad XML is delivered");
        Assert.That(_rejections.Reader.TryRead(out _), Is.False);
        Assert.That(_pair.JulietXtls.GetTunnel(_mallory.Jid), Is.Null);
    }

    [Test]
    public async Task An_inner_stanza_larger_than_the_limit_ends_the_tunnel_with_limit_exceeded()
    {
        Task<XtlsTunnelClosedEventArgs> closed = Watch.NextClosed(_pair.JulietXtls);
        int limit = _pair.JulietXtls.Options.MaxInnerStanzaBytes;

        await _mallory.SendRawAsync(_pair.Juliet.Jid, $"<message><body>{new string('x', limit)}</body></message>{Honest}");
        XtlsTunnelClosedEventArgs ended = await closed;

        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.LimitExceeded));
        Assert.That(_julietMessages.Reader.TryRead(out _), Is.False);
    }

    private async Task<XElement> NextMessageAsync() => await _julietMessages.Reader.ReadAsync().AsTask().WaitAsync(XtlsPair.Bound);
}
