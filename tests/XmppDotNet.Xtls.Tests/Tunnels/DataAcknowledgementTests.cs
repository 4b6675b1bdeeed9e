using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>A data IQ is answered only after the TLS layer took its bytes, and refused if they failed the tunnel.</summary>
public class DataAcknowledgementTests
{
    [Test]
    public void Data_is_not_answered_until_the_driver_acknowledges_it()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Juliet.AcknowledgeData = false;

        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, "record"u8, "token", link.Now);
        link.Deliver(link.Romeo);
        CiphertextReceived received = link.Juliet.TakeSingle<CiphertextReceived>();

        Assert.That(link.Juliet.TakeOutbox(), Is.Empty, "no answer before the TLS layer took the bytes");
        link.Juliet.Manager.AcknowledgeData(received.Remote, received.IqId);
        XElement answer = link.Juliet.TakeOutbox().Single();
        Assert.That(Stanza.GetType(answer), Is.EqualTo("result"));
        link.Romeo.Receive(answer, link.Now);
        Assert.That(link.Romeo.TakeSingle<Acknowledged>().Token, Is.EqualTo("token"));
    }

    [Test]
    public void Data_that_failed_the_tunnel_is_refused_and_never_counted_as_delivered()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Juliet.AcknowledgeData = false;

        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, "tampered"u8, "token", link.Now);
        link.Deliver(link.Romeo);
        CiphertextReceived received = link.Juliet.TakeSingle<CiphertextReceived>();
        link.Juliet.Manager.Fail(link.Romeo.Jid, TunnelCloseReason.TlsFailure, "bad_record_mac", link.Now);
        link.Juliet.Manager.AcknowledgeData(received.Remote, received.IqId);
        link.Juliet.AcknowledgeData = true;
        link.Run();

        Assert.That(link.Romeo.Take<Acknowledged>(), Is.Empty);
        TunnelEnded ended = link.Romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.UndeliveredTokens, Is.EqualTo(new object[] { "token" }));
        Assert.That(link.Juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.TlsFailure), "the side that failed first keeps its reason");
    }
}
