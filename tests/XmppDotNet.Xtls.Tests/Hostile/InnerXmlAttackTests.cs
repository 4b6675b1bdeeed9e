using System.Text;
using System.Threading.Channels;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// XML attacks put into a real tunnel by a peer that completed the handshake: each ends the tunnel
/// (the honest side refuses the data IQ that carried it and sends <c>close</c>), is reported with a
/// typed reason, and nothing from it or after it reaches the application.
/// </summary>
public class InnerXmlAttackTests
{
    private const string Honest = "<message type='chat'><body>honest words</body></message>";

    private XtlsPair _pair = null!;
    private HostilePeer _mallory = null!;
    private Wire _wire = null!;
    private Channel<XElement> _julietMessages = null!;

    public static IEnumerable<TestCaseData> Attacks()
    {
        string laughs = "<!DOCTYPE lolz [<!ENTITY lol 'lol'>"
            + string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} '{string.Concat(Enumerable.Repeat(i == 1 ? "&lol;" : $"&lol{i - 1};", 10))}'>"))
            + "]><message><body>&lol9;</body></message>";
        yield return Case("billion laughs", laughs, TunnelCloseReason.InnerXmlError);
        yield return Case("external entity", "<!DOCTYPE m [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><message><body>&x;</body></message>", TunnelCloseReason.InnerXmlError);
        yield return Case("deep nesting", "<message>" + Repeat("<x xmlns='urn:x'>", 200) + Repeat("</x>", 200) + "</message>", TunnelCloseReason.LimitExceeded);
        yield return Case("deep nesting without end", "<message>" + Repeat("<x>", 5000), TunnelCloseReason.LimitExceeded);
        yield return Case("huge attribute", "<message type='" + new string('a', 300_000) + "'/>", TunnelCloseReason.LimitExceeded);
        yield return Case("huge attribute name", "<message " + new string('a', 300_000) + "='x'/>", TunnelCloseReason.LimitExceeded);
        yield return Case("many attributes", "<message " + string.Concat(Enumerable.Range(0, 30_000).Select(i => $"a{i}='' ")) + "/>", TunnelCloseReason.LimitExceeded);
        yield return Case("duplicate attribute", "<message type='chat' type='normal'><body>twice</body></message>", TunnelCloseReason.InnerXmlError);
        yield return Case("character reference to NUL", "<message><body>&#0;</body></message>", TunnelCloseReason.InnerXmlError);
        yield return Case("stream footer", "</stream:stream>", TunnelCloseReason.InnerXmlError);
        yield return Bytes("invalid UTF-8", [0xC3, 0x28], TunnelCloseReason.InnerXmlError);
        yield return Bytes("overlong UTF-8", [0xC0, 0xAF], TunnelCloseReason.InnerXmlError);
        yield return Bytes("UTF-8 encoded surrogate", [0xED, 0xA0, 0x80], TunnelCloseReason.InnerXmlError);
        yield return Bytes("UTF-8 beyond U+10FFFF", [0xF4, 0x90, 0x80, 0x80], TunnelCloseReason.InnerXmlError);
        yield return Case("UTF-16 byte order mark", "\uFEFF" + Honest, TunnelCloseReason.InnerXmlError);
    }

    [SetUp]
    public async Task SetUp()
    {
        _pair = await XtlsPair.StartAsync(configureRouter: r => r.AddAccount("mallory", "m-pass"));
        _mallory = await HostilePeer.ConnectAsync(_pair.Router, "mallory", "m-pass", "lair");
        _wire = new Wire(_pair.Router);
        _julietMessages = Watch.Messages(_pair.Juliet);
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

    [TestCaseSource(nameof(Attacks))]
    public async Task Inner_xml_attack_ends_the_tunnel_with_a_typed_reason_and_nothing_reaches_the_application(byte[] attack, TunnelCloseReason reason)
    {
        Task<XtlsTunnelClosedEventArgs> closed = Watch.NextClosed(_pair.JulietXtls);
        Task<XElement> refused = _wire.FirstAsync(e => e.From == _pair.Juliet.Jid && e.To == _mallory.Jid && Stanza.GetType(e.Stanza) == "error");

        await _mallory.SendRawBytesAsync(_pair.Juliet.Jid, [.. attack, .. Encoding.UTF8.GetBytes(Honest)]);
        XtlsTunnelClosedEventArgs ended = await closed;
        TunnelEnded atMallory = await _mallory.Ended.Task.WaitAsync(XtlsPair.Bound);
        XElement refusal = await refused;
        await _wire.CloseAsync(_pair.Juliet.Jid);

        Assert.Multiple(() =>
        {
            Assert.That(ended.Reason, Is.EqualTo(reason), ended.Detail);
            Assert.That(ended.WasOpen, Is.True);
            Assert.That(Wire.Condition(refusal), Is.EqualTo(StanzaErrorConditions.NotAcceptable), "the data IQ that carried the attack is refused");
            Assert.That(atMallory.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
            Assert.That(_julietMessages.Reader.TryRead(out _), Is.False, "nothing that followed the attack is delivered");
            Assert.That(_pair.JulietXtls.GetTunnel(_mallory.Jid), Is.Null);
        });
    }

    private static TestCaseData Case(string name, string xml, TunnelCloseReason reason) =>
        new TestCaseData(Encoding.UTF8.GetBytes(xml), reason).SetArgDisplayNames(name);

    private static TestCaseData Bytes(string name, byte[] inBody, TunnelCloseReason reason) =>
        new TestCaseData((byte[])[.. "<message><body>"u8, .. inBody, .. "</body></message>"u8], reason).SetArgDisplayNames(name);

    private static string Repeat(string s, int count) => string.Concat(Enumerable.Repeat(s, count));
}
