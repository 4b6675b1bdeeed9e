using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Pipeline;

public class InnerStanzaDecoderTests
{
    private const int Limit = 1024;
    private static readonly Jid Peer = Jid.Parse("peer@example.com/b");
    private static readonly Jid Me = Jid.Parse("me@example.com/here");
    private static readonly XNamespace Client = XmppNamespaces.Client;

    // Accepted, rejected and accepted again, with multi-byte UTF-8, CDATA, escapes and nested children.
    private const string Mixed =
        "<message type='chat'><body>h\u00e9llo \u2713 \U0001D11E</body></message> " +
        "<presence from='peer@example.com/b'/>" +
        "<message from='mallory@evil.example/x'><body>spoof</body></message>\n" +
        "<iq type='get' id='1' to='me@example.com/here'><query xmlns='jabber:iq:version'><name>n</name></query></iq>" +
        "<message to='someone@else.example'><body>wrong</body></message>" +
        "<message><body>a &amp; b <![CDATA[<not a tag>]]></body><x xmlns='urn:x' xmlns:p='urn:p' p:a='1'/></message>";

    public static IEnumerable<TestCaseData> SplitInputs()
    {
        yield return new TestCaseData(Mixed).SetArgDisplayNames("stanzas and rejections");
        yield return new TestCaseData(Mixed + "<foo xmlns='urn:x'/><message/>").SetArgDisplayNames("ending in a foreign element");
        yield return new TestCaseData(Mixed + "<message><body>&x;</body></message><message/>").SetArgDisplayNames("ending in an entity");
        yield return new TestCaseData(Mixed + "<message><body>" + new string('x', Limit) + "</body></message>").SetArgDisplayNames("ending in an oversized stanza");
        yield return new TestCaseData(Mixed + "<message><body>unfinished").SetArgDisplayNames("ending inside a stanza");
    }

    [TestCaseSource(nameof(SplitInputs))]
    public void Every_split_position_gives_the_same_results(string input)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(input);
        List<string> whole = DescribeFully(DecodeInPieces(bytes, [bytes.Length]));
        Assert.That(whole, Has.Count.GreaterThanOrEqualTo(6));

        for (int at = 0; at <= bytes.Length; at++)
        {
            List<string> split = DescribeFully(DecodeInPieces(bytes, [at, bytes.Length - at]));
            Assert.That(split, Is.EqualTo(whole), $"split at byte {at}");
        }

        Assert.That(DescribeFully(DecodeInPieces(bytes, [.. Enumerable.Repeat(1, bytes.Length)])), Is.EqualTo(whole), "byte by byte");
    }

    [Test]
    public void The_mixed_input_gives_its_stanzas_and_rejections_in_order()
    {
        List<InnerStanzaResult> results = DecodeInPieces(Encoding.UTF8.GetBytes(Mixed), [Mixed.Length * 4]);

        Assert.That(
            Describe(results),
            Is.EqualTo("accepted message | accepted presence | rejected SpoofedSender message | accepted iq | rejected WrongRecipient message | accepted message"));
        var first = (InnerStanzaAccepted)results[0];
        Assert.That(first.Stanza.Element(Client + "body")!.Value, Is.EqualTo("h\u00e9llo \u2713 \U0001D11E"));
        var last = (InnerStanzaAccepted)results[5];
        Assert.That(last.Stanza.Element(Client + "body")!.Value, Is.EqualTo("a & b <not a tag>"));
        Assert.That(last.Stanza.Element(XName.Get("x", "urn:x"))!.Attribute(XName.Get("a", "urn:p"))!.Value, Is.EqualTo("1"));
    }

    [TestCase("<message><body>hi</body></message>", "message")]
    [TestCase("<presence/>", "presence")]
    [TestCase("<iq type='get' id='q'><ping xmlns='urn:xmpp:ping'/></iq>", "iq")]
    [TestCase("<message xmlns='jabber:client'/>", "message")]
    public void Absent_from_and_to_are_restored_to_the_tunnels_ends(string xml, string name)
    {
        InnerStanzaAccepted accepted = SingleAccepted(xml);

        Assert.That(accepted.Stanza.Name, Is.EqualTo(Client + name));
        Assert.That(accepted.Stanza.Attribute("from")!.Value, Is.EqualTo(Peer.ToString()));
        Assert.That(accepted.Stanza.Attribute("to")!.Value, Is.EqualTo(Me.ToString()));
    }

    [Test]
    public void From_and_to_naming_the_tunnels_ends_are_accepted()
    {
        InnerStanzaAccepted accepted = SingleAccepted($"<message from='{Peer}' to='{Me}'><body>x</body></message>");

        Assert.That(Stanza.GetFrom(accepted.Stanza), Is.EqualTo(Peer));
        Assert.That(Stanza.GetTo(accepted.Stanza), Is.EqualTo(Me));
    }

    [TestCase("mallory@evil.example/x")]
    [TestCase("peer@example.com")]
    [TestCase("peer@example.com/other")]
    [TestCase("")]
    [TestCase("@@not a jid")]
    public void A_sender_other_than_the_peer_is_rejected_as_spoofed(string from)
    {
        List<InnerStanzaResult> results = Decode($"<presence from='{from}'/>");

        Assert.That(results, Is.EqualTo(new[] { new InnerStanzaRejected(XtlsRejection.SpoofedSender, "presence") }));
    }

    [TestCase("someone@else.example")]
    [TestCase("me@example.com")]
    [TestCase("example.com")]
    [TestCase("/")]
    public void A_recipient_other_than_this_side_is_rejected(string to)
    {
        List<InnerStanzaResult> results = Decode($"<iq type='set' id='1' to='{to}'/>");

        Assert.That(results, Is.EqualTo(new[] { new InnerStanzaRejected(XtlsRejection.WrongRecipient, "iq") }));
    }

    [Test]
    public void The_sender_is_judged_before_the_recipient()
    {
        List<InnerStanzaResult> results = Decode("<message from='a@b.example/c' to='d@e.example'/>");

        Assert.That(results, Is.EqualTo(new[] { new InnerStanzaRejected(XtlsRejection.SpoofedSender, "message") }));
    }

    [Test]
    public void A_rejection_does_not_stop_the_stanzas_after_it()
    {
        var decoder = new InnerStanzaDecoder(Peer, Me, Limit);
        var results = new List<InnerStanzaResult>();

        decoder.Decode("<message from='x@y.example/z'/><message><body>next</body></message>"u8, results);

        Assert.That(Describe(results), Is.EqualTo("rejected SpoofedSender message | accepted message"));
        Assert.That(decoder.Failure, Is.Null);
    }

    [TestCase("<foo xmlns='urn:x'/>")]
    [TestCase("<message xmlns='jabber:server'><body>server namespace</body></message>")]
    [TestCase("<p:message xmlns:p='urn:unbound'/>")]
    [TestCase("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client' to='example.com' version='1.0'>")]
    [TestCase("<stream:features xmlns:stream='http://etherx.jabber.org/streams'/>")]
    [TestCase("<?xml version='1.0'?>")]
    [TestCase("<!DOCTYPE message [<!ENTITY x 'expanded'>]>")]
    [TestCase("<message><body>&x;</body></message>")]
    [TestCase("<message><body>&#0;</body></message>")]
    [TestCase("<!-- a comment -->")]
    [TestCase("<?pi data?>")]
    [TestCase("<message><body>unclosed</message>")]
    [TestCase("loose text")]
    [TestCase("</message>")]
    [TestCase("<message>\u0001</message>")]
    public void Xml_that_is_no_jabber_client_stanza_fails_the_decoder(string xml)
    {
        var decoder = new InnerStanzaDecoder(Peer, Me, Limit);
        var results = new List<InnerStanzaResult>();

        decoder.Decode(Encoding.UTF8.GetBytes(xml + "<message><body>honest</body></message>"), results);

        Assert.That(results, Has.Count.EqualTo(1));
        Assert.That(results[0], Is.SameAs(decoder.Failure));
        Assert.That(decoder.Failure!.Reason, Is.EqualTo(TunnelCloseReason.InnerXmlError));
        Assert.That(decoder.Failure.Detail, Is.Not.Empty);
        Assert.That(decoder.BufferedBytes, Is.Zero);
    }

    [Test]
    public void A_foreign_element_is_named_in_the_failure()
    {
        List<InnerStanzaResult> results = Decode("<foo xmlns='urn:x'/>");

        Assert.That(results, Is.EqualTo(new[] { new InnerStanzaFailed(TunnelCloseReason.InnerXmlError, "'{urn:x}foo' is not a jabber:client stanza") }));
    }

    [Test]
    public void Invalid_utf8_fails_the_decoder()
    {
        List<InnerStanzaResult> results = Decode([.. "<message><body>"u8, 0xC3, 0x28, .. "</body></message>"u8]);

        Assert.That(results.Single(), Is.InstanceOf<InnerStanzaFailed>());
    }

    [Test]
    public void An_oversized_stanza_fails_with_limit_exceeded_and_nothing_more_is_buffered()
    {
        var decoder = new InnerStanzaDecoder(Peer, Me, Limit);
        var results = new List<InnerStanzaResult>();
        byte[] chunk = Encoding.UTF8.GetBytes(new string('x', 100));

        decoder.Decode("<message><body>"u8, results);
        for (int i = 0; i < 20 && decoder.Failure is null; i++)
        {
            decoder.Decode(chunk, results);
            Assert.That(decoder.BufferedBytes, Is.LessThanOrEqualTo(Limit));
        }

        Assert.That(results, Has.Count.EqualTo(1));
        Assert.That(decoder.Failure!.Reason, Is.EqualTo(TunnelCloseReason.LimitExceeded));
        Assert.That(decoder.BufferedBytes, Is.Zero);
    }

    [Test]
    public void A_stanza_of_exactly_the_limit_is_accepted()
    {
        string head = "<message><body>";
        string tail = "</body></message>";
        string xml = head + new string('x', Limit - head.Length - tail.Length) + tail;

        Assert.That(SingleAccepted(xml).Stanza.Value, Has.Length.EqualTo(Limit - head.Length - tail.Length));
        Assert.That(Describe(Decode(head + "x" + xml[head.Length..])), Is.EqualTo("failed LimitExceeded"));
    }

    [Test]
    public void Nesting_too_deep_fails_with_limit_exceeded()
    {
        string xml = "<message>" + string.Concat(Enumerable.Repeat("<a>", 100)) + string.Concat(Enumerable.Repeat("</a>", 100)) + "</message>";

        Assert.That(((InnerStanzaFailed)Decode(xml).Single()).Reason, Is.EqualTo(TunnelCloseReason.LimitExceeded));
    }

    [Test]
    public void An_unfinished_stanza_is_held_until_it_ends()
    {
        var decoder = new InnerStanzaDecoder(Peer, Me, Limit);
        var results = new List<InnerStanzaResult>();

        decoder.Decode("<presence><status>aw"u8, results);
        Assert.That(results, Is.Empty);
        Assert.That(decoder.BufferedBytes, Is.EqualTo("<presence><status>aw".Length));

        decoder.Decode("ay</status></presence>"u8, results);
        Assert.That(Describe(results), Is.EqualTo("accepted presence"));
        Assert.That(decoder.BufferedBytes, Is.Zero);
    }

    [Test]
    public void Stanzas_before_a_failure_are_given_first_and_nothing_after_it()
    {
        List<InnerStanzaResult> results = Decode("<message/><presence from='x@y.example/z'/><message><body>&x;</body></message><iq type='get' id='1'/>");

        Assert.That(Describe(results), Is.EqualTo("accepted message | rejected SpoofedSender presence | failed InnerXmlError"));
    }

    [TestCase("<foo xmlns='urn:x'/><message><body>par")]
    [TestCase("<message><!-- no --></message>")]
    public void A_failed_decoder_stays_failed(string xml)
    {
        var decoder = new InnerStanzaDecoder(Peer, Me, Limit);
        var results = new List<InnerStanzaResult>();
        decoder.Decode(Encoding.UTF8.GetBytes(xml), results);
        InnerStanzaFailed failure = decoder.Failure!;
        Assert.That(failure, Is.Not.Null);
        results.Clear();

        decoder.Decode("tial</body></message><message><body>valid</body></message>"u8, results);
        decoder.Decode("<presence/>"u8, results);

        Assert.That(results, Is.Empty);
        Assert.That(decoder.Failure, Is.SameAs(failure));
        Assert.That(decoder.BufferedBytes, Is.Zero);
    }

    [Test]
    public void The_constructor_checks_its_arguments()
    {
        Assert.That(() => new InnerStanzaDecoder(null!, Me, Limit), Throws.ArgumentNullException);
        Assert.That(() => new InnerStanzaDecoder(Peer, null!, Limit), Throws.ArgumentNullException);
        Assert.That(() => new InnerStanzaDecoder(Peer, Me, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new InnerStanzaDecoder(Peer, Me, Limit).Decode("<a/>"u8, null!), Throws.ArgumentNullException);
    }

    private static List<InnerStanzaResult> Decode(string xml) => Decode(Encoding.UTF8.GetBytes(xml));

    private static List<InnerStanzaResult> Decode(byte[] bytes) => DecodeInPieces(bytes, [bytes.Length]);

    private static InnerStanzaAccepted SingleAccepted(string xml)
    {
        List<InnerStanzaResult> results = Decode(xml);
        Assert.That(results, Has.Count.EqualTo(1));
        Assert.That(results[0], Is.InstanceOf<InnerStanzaAccepted>());
        return (InnerStanzaAccepted)results[0];
    }

    private static List<InnerStanzaResult> DecodeInPieces(byte[] bytes, int[] pieces)
    {
        var decoder = new InnerStanzaDecoder(Peer, Me, Limit);
        var results = new List<InnerStanzaResult>();
        int offset = 0;
        foreach (int piece in pieces)
        {
            int length = Math.Min(piece, bytes.Length - offset);
            decoder.Decode(bytes.AsSpan(offset, length), results);
            Assert.That(decoder.BufferedBytes, Is.LessThanOrEqualTo(Limit));
            offset += length;
        }

        return results;
    }

    // Accepted stanzas by their full text, failures with their detail.
    private static List<string> DescribeFully(List<InnerStanzaResult> results) =>
    [
        .. results.Select(result => result switch
        {
            InnerStanzaAccepted accepted => accepted.Stanza.ToString(SaveOptions.DisableFormatting),
            InnerStanzaFailed failed => $"failed {failed.Reason}: {failed.Detail}",
            _ => result.ToString()!,
        }),
    ];

    private static string Describe(List<InnerStanzaResult> results) => string.Join(" | ", results.Select(result => result switch
    {
        InnerStanzaAccepted accepted => "accepted " + accepted.Stanza.Name.LocalName,
        InnerStanzaRejected rejected => $"rejected {rejected.Rejection} {rejected.StanzaName}",
        InnerStanzaFailed failed => $"failed {failed.Reason}",
        _ => result.ToString(),
    }));
}
