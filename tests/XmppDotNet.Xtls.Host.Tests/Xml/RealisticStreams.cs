using System.Text;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

/// <summary>Streams as a server (Prosody-like) and an XTLS peer send them.</summary>
internal static class RealisticStreams
{
    public const string ServerStream =
        "<?xml version='1.0'?>" +
        "<stream:stream xmlns='jabber:client' xml:lang='en' id='a1b2-c3d4' from='example.org' version='1.0' " +
        "xmlns:stream='http://etherx.jabber.org/streams'>" +
        "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>" +
        "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism>" +
        "<mechanism>PLAIN</mechanism></mechanisms></stream:features>" +
        " \n\t \r\n" +
        "<message from='juliet@example.org/balcony' to='romeo@example.net/orchard' type='chat' id='m&amp;1'>" +
        "<body>Art thou not Romeo &amp; a Montague? &lt;3 &gt; &quot;x&quot; &apos;y&apos; &#x1F600; &#233; &#10;</body>" +
        "<html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/xhtml'>" +
        "<p style='font-weight:bold'>Hi</p></body></html></message>" +
        "\n" +
        "<message type='chat' id=\"m2\"><body><![CDATA[<script>alert(\"x\") & 'y'</script> ]] ] ]]]></body>" +
        "<subject><![CDATA[]]></subject></message>" +
        "<presence from='romeo@example.net/orchard'><status xml:lang='de'>Grüße aus Köln — 日本語 😀🎉</status>" +
        "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://example.org/client?x=1&amp;y=2' ver='Q&gt;X/&lt;='/></presence>" +
        "<iq type='result' id='roster-1' to='romeo@example.net/orchard'><query xmlns='jabber:iq:roster' ver='ver14'>" +
        "<item jid='juliet@example.org' name=\"Juliet's >nurse&lt;&quot;\" subscription='both'><group>Capulets</group></item>" +
        "<item jid='mercutio@example.org' name='say \"hi\" /> bye'/>" +
        "<item jid='benvolio@example.org'\n\t name='Benvolio'  subscription='to' /></query></iq>" +
        "<iq type='get' id='p1' from='example.org'><ping xmlns='urn:xmpp:ping'/></iq >" +
        "<message xmlns:ex='urn:example:ext' ex:priority='high' xml:lang='fr'><ex:note ex:level='2'>texte</ex:note>" +
        "<body xml:space='preserve'>  spaced  </body></message>" +
        "<presence type='unavailable'/>" +
        "  " +
        "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>" +
        "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>Replaced by new connection</text></stream:error>" +
        "</stream:stream>\n";

    // What an XTLS peer sends through the tunnel: stanzas without header, addresses or (sometimes) xmlns.
    public const string InnerStream =
        "<message type='chat' id='x1'><body>secret &amp; safe 🔐</body></message>" +
        "\r\n" +
        "<message xmlns='jabber:client' type='chat' id='x2'><body><![CDATA[a<b]]></body></message>" +
        "<iq type='get' id='q1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>" +
        " " +
        "<presence/>";

    public static byte[] ServerStreamBytes { get; } = Encoding.UTF8.GetBytes(ServerStream);

    public static byte[] InnerStreamBytes { get; } = Encoding.UTF8.GetBytes(InnerStream);

    public static IEnumerable<TestCaseData> ServerStreamSplits() =>
        Enumerable.Range(0, ServerStreamBytes.Length + 1).Select(at => new TestCaseData(at).SetArgDisplayNames(at.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static IEnumerable<TestCaseData> InnerStreamSplits() =>
        Enumerable.Range(0, InnerStreamBytes.Length + 1).Select(at => new TestCaseData(at).SetArgDisplayNames(at.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
