using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>
/// Data IQs whose text travels as bytes: incoming, the manager answers and reports exactly as for the same stanza
/// with its text; outgoing, the envelope and the ciphertext make the same stanza it always sent.
/// </summary>
public class DataAsBytesTests
{
    private static readonly DateTimeOffset Now = Link.T0;

    private static IEnumerable<TestCaseData> Texts()
    {
        yield return new TestCaseData("AAEC").SetName("Compact");
        yield return new TestCaseData(" AA\nEC\t").SetName("With whitespace");
        yield return new TestCaseData("").SetName("Empty");
        yield return new TestCaseData("AA*C").SetName("A character outside the alphabet");
        yield return new TestCaseData("AA=C").SetName("Misplaced padding");
        yield return new TestCaseData("AAE").SetName("A length that is not a multiple of four");
        yield return new TestCaseData(Convert.ToBase64String(new byte[300])).SetName("Over the chunk bound");
    }

    [TestCaseSource(nameof(Texts))]
    public void Text_as_bytes_gets_the_same_answer_and_events_as_the_same_text(string text)
    {
        var options = new TunnelManagerOptions { MaxInboundChunkBytes = 256 };
        Endpoint withText = RunningResponder(options);
        Endpoint withBytes = RunningResponder(options);
        XElement stanza = Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, text);

        Assert.That(withText.Manager.HandleIncoming(Endpoint.Reparse(stanza), Now), Is.True);
        XElement envelope = Endpoint.Reparse(stanza);
        XElement data = Stanzas.XtlsChild(envelope)!;
        data.RemoveNodes();
        Assert.That(withBytes.Manager.HandleIncoming(envelope, data, Encoding.ASCII.GetBytes(text), Now), Is.True);

        Assert.That(Render(withBytes), Is.EqualTo(Render(withText)));
    }

    [Test]
    public void The_first_data_with_its_method_starts_tls_from_bytes_too()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);
        juliet.Manager.Accept(Jid.Parse(Link.RomeoJid), null, Now);
        juliet.TakeOutbox();
        XElement envelope = Stanzas.Data("d0", Link.RomeoJid, Link.JulietJid, string.Empty, "x509");

        Assert.That(juliet.Manager.HandleIncoming(envelope, Stanzas.XtlsChild(envelope)!, "AAEC"u8, Now), Is.True);

        juliet.Drain();
        Assert.That(juliet.Take<StartTls>().Single().Method, Is.EqualTo("x509"));
        Assert.That(juliet.TakeSingle<CiphertextReceived>().Data.ToArray(), Is.EqualTo(new byte[] { 0, 1, 2 }));
    }

    [Test]
    public void The_element_given_must_be_an_empty_data_child_of_the_stanza()
    {
        var juliet = new Endpoint(Link.JulietJid);
        XElement stanza = Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, "AAEC");
        XElement withText = Stanzas.XtlsChild(stanza)!;
        var detached = new XElement(XtlsElements.DataName);
        XElement close = Stanzas.Close("c1", Link.RomeoJid, Link.JulietJid);

        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentException>(() => juliet.Manager.HandleIncoming(stanza, withText, "AAEC"u8, Now));
            Assert.Throws<ArgumentException>(() => juliet.Manager.HandleIncoming(stanza, detached, "AAEC"u8, Now));
            Assert.Throws<ArgumentException>(() => juliet.Manager.HandleIncoming(close, Stanzas.XtlsChild(close)!, "AAEC"u8, Now));
        }
    }

    [Test]
    public void An_outgoing_chunk_carries_its_ciphertext_beside_an_empty_data_element()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Run();
        byte[] ciphertext = [1, 2, 3, 4, 5];

        link.Romeo.Manager.SendCiphertext(Jid.Parse(Link.JulietJid), ciphertext, null, link.Now);
        SendStanza send = DequeueSend(link.Romeo.Manager);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(send.DataElement, Is.Not.Null);
            Assert.That(send.DataElement!.Parent, Is.SameAs(send.Envelope));
            Assert.That(send.DataElement.Nodes(), Is.Empty);
            Assert.That(send.DataPayload.ToArray(), Is.EqualTo(ciphertext));
            Assert.That(Stanzas.XtlsChild(send.Stanza)!.Value, Is.EqualTo(XtlsBase64.Encode(ciphertext)));
            XElement first = send.Stanza;
            Assert.That(send.Stanza, Is.SameAs(first), "built once");
            Assert.That(send.DataElement.Nodes(), Is.Empty, "building the whole stanza leaves the envelope as it was");
            Assert.That(Stanzas.Id(send.Stanza), Is.EqualTo(Stanzas.Id(send.Envelope)));
        }
    }

    [Test]
    public void Other_stanzas_have_no_data_apart()
    {
        var romeo = new Endpoint(Link.RomeoJid);
        romeo.Manager.Open(Jid.Parse(Link.JulietJid), "x509", null, Now);

        SendStanza send = DequeueSend(romeo.Manager);

        Assert.That(send.DataElement, Is.Null);
        Assert.That(send.Envelope, Is.SameAs(send.Stanza));
        Assert.That(send.DataPayload.IsEmpty, Is.True);
    }

    private static SendStanza DequeueSend(TunnelManager manager)
    {
        while (manager.TryDequeue(out TunnelOutput? output))
        {
            if (output is SendStanza send)
            {
                return send;
            }
        }

        throw new AssertionException("No stanza was sent.");
    }

    private static Endpoint RunningResponder(TunnelManagerOptions options)
    {
        var juliet = new Endpoint(Link.JulietJid, options);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);
        juliet.Manager.Accept(Jid.Parse(Link.RomeoJid), null, Now);
        juliet.Receive(Stanzas.Data("d0", Link.RomeoJid, Link.JulietJid, "AAEC", "x509"), Now);
        juliet.TakeOutbox();
        juliet.Events.Clear();
        return juliet;
    }

    private static List<string> Render(Endpoint endpoint)
    {
        endpoint.Drain();
        return
        [
            .. endpoint.TakeOutbox().Select(s => s.ToString(SaveOptions.DisableFormatting)),
            .. endpoint.Events.Select(e => e is CiphertextReceived r ? $"ciphertext {Convert.ToHexString(r.Data.Span)} {r.IqId}" : e.ToString()),
        ];
    }
}
