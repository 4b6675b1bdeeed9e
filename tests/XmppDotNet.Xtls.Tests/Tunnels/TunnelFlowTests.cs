using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

public class TunnelFlowTests
{
    [Test]
    public void Open_sends_start_with_offer_and_waits_in_starting()
    {
        var link = new Link();
        var offer = new XtlsOffer("AB:CD", srp: true);

        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", offer, link.Now);

        XElement start = link.Romeo.TakeSingleStanza();
        Assert.Multiple(() =>
        {
            Assert.That(Stanzas.Type(start), Is.EqualTo("set"));
            Assert.That(Stanzas.To(start), Is.EqualTo(Link.JulietJid));
            Assert.That(Stanzas.From(start), Is.EqualTo(Link.RomeoJid));
            Assert.That(Stanzas.XtlsName(start), Is.EqualTo("start"));
            Assert.That(XtlsElements.ReadOffer(Stanzas.XtlsChild(start)!), Is.EqualTo(offer));
            Assert.That(link.Romeo.Manager.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Starting));
            Assert.That(link.Romeo.Manager.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void Full_flow_romeo_initiates_juliet_responds()
    {
        var link = new Link();
        var romeoOffer = new XtlsOffer("RO:ME:O0", srp: false);
        var julietOffer = new XtlsOffer("JU:LI:ET", srp: true);
        TunnelManager romeo = link.Romeo.Manager;
        TunnelManager juliet = link.Juliet.Manager;

        romeo.Open(link.Juliet.Jid, "x509", romeoOffer, link.Now);
        link.Run();
        IncomingRequest request = link.Juliet.TakeSingle<IncomingRequest>();
        Assert.That(request, Is.EqualTo(new IncomingRequest(link.Romeo.Jid, romeoOffer)));
        Assert.That(juliet.GetState(link.Romeo.Jid), Is.EqualTo(TunnelState.AwaitingDecision));

        juliet.Accept(link.Romeo.Jid, julietOffer, link.Now);
        link.Juliet.Drain();
        XElement proceed = link.Juliet.Outbox.Peek();
        Assert.That(Stanzas.Type(proceed), Is.EqualTo("result"));
        Assert.That(Stanzas.XtlsName(proceed), Is.EqualTo("proceed"));
        link.Run();

        Assert.That(link.Romeo.TakeSingle<ProceedReceived>(), Is.EqualTo(new ProceedReceived(link.Juliet.Jid, julietOffer)));
        Assert.That(link.Romeo.TakeSingle<StartTls>(), Is.EqualTo(new StartTls(link.Juliet.Jid, true, "x509")));
        Assert.That(romeo.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Handshaking));
        Assert.That(juliet.GetState(link.Romeo.Jid), Is.EqualTo(TunnelState.Handshaking));
        Assert.That(link.Juliet.Events, Is.Empty, "the responder's TLS starts with the first data, not with proceed");

        romeo.SendCiphertext(link.Juliet.Jid, "hello"u8, "t-hello", link.Now);
        link.Run();
        Assert.That(link.Juliet.TakeSingle<StartTls>(), Is.EqualTo(new StartTls(link.Romeo.Jid, false, "x509")));
        Assert.That(link.Juliet.TakeSingle<CiphertextReceived>().Data.ToArray(), Is.EqualTo("hello"u8.ToArray()));
        Assert.That(link.Romeo.TakeSingle<Acknowledged>(), Is.EqualTo(new Acknowledged(link.Juliet.Jid, "t-hello")));

        juliet.SendCiphertext(link.Romeo.Jid, "server"u8, "t-server", link.Now);
        link.Run();
        Assert.That(link.Romeo.TakeSingle<CiphertextReceived>().Data.ToArray(), Is.EqualTo("server"u8.ToArray()));
        Assert.That(link.Juliet.TakeSingle<Acknowledged>().Token, Is.EqualTo("t-server"));

        Assert.That(romeo.HandshakeCompleted(link.Juliet.Jid, link.Now), Is.True);
        Assert.That(juliet.HandshakeCompleted(link.Romeo.Jid, link.Now), Is.True);
        Assert.That(romeo.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Open));
        Assert.That(romeo.NextDeadline, Is.Null, "an idle open tunnel has nothing timed");

        romeo.SendCiphertext(link.Juliet.Jid, "close_notify"u8, null, link.Now);
        romeo.Close(link.Juliet.Jid, link.Now);
        Assert.That(romeo.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Closing));
        link.Run();

        Assert.That(link.Juliet.TakeSingle<CiphertextReceived>().Data.ToArray(), Is.EqualTo("close_notify"u8.ToArray()));
        TunnelEnded julietEnd = link.Juliet.TakeSingle<TunnelEnded>();
        TunnelEnded romeoEnd = link.Romeo.TakeSingle<TunnelEnded>();
        Assert.Multiple(() =>
        {
            Assert.That(julietEnd.Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
            Assert.That(julietEnd.Initiator, Is.False);
            Assert.That(romeoEnd.Reason, Is.EqualTo(TunnelCloseReason.ClosedLocally));
            Assert.That(romeoEnd.Initiator, Is.True);
            Assert.That(romeoEnd.UndeliveredTokens, Is.Empty);
            Assert.That(romeo.Count, Is.Zero);
            Assert.That(juliet.Count, Is.Zero);
            Assert.That(link.Romeo.Events, Is.Empty);
            Assert.That(link.Juliet.Events, Is.Empty);
        });

        XElement closed = link.Juliet.Sent[^1];
        Assert.That(Stanzas.Type(closed), Is.EqualTo("result"));
        Assert.That(Stanzas.XtlsName(closed), Is.EqualTo("closed"));
    }

    [Test]
    public void Full_flow_juliet_initiates_with_srp_and_juliet_closes_as_responder_sees_it()
    {
        var link = new Link();
        link.Establish(link.Juliet, "srp");

        Assert.That(link.Juliet.Manager.GetInfo(link.Romeo.Jid), Is.EqualTo(new TunnelInfo(link.Romeo.Jid, TunnelState.Open, true, "srp", 0, 0, 0)));
        Assert.That(link.Romeo.Manager.GetInfo(link.Juliet.Jid), Is.EqualTo(new TunnelInfo(link.Juliet.Jid, TunnelState.Open, false, "srp", 0, 0, 0)));

        // The responder closes this time.
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, "bye"u8, "bye", link.Now);
        link.Romeo.Manager.Close(link.Juliet.Jid, link.Now);
        link.Run();

        Assert.That(link.Romeo.TakeSingle<Acknowledged>().Token, Is.EqualTo("bye"));
        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedLocally));
        Assert.That(link.Juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
    }

    [Test]
    public void Only_the_initiators_first_data_carries_the_method()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, "more"u8, null, link.Now);
        link.Juliet.Manager.SendCiphertext(link.Romeo.Jid, "reply"u8, null, link.Now);
        link.Run();

        List<XElement> romeoData = [.. link.Romeo.Sent.Where(Stanzas.IsData)];
        List<XElement> julietData = [.. link.Juliet.Sent.Where(Stanzas.IsData)];
        Assert.Multiple(() =>
        {
            Assert.That(romeoData, Has.Count.EqualTo(3));
            Assert.That(romeoData.Select(Stanzas.Method), Is.EqualTo(new string?[] { "x509", null, null }));
            Assert.That(julietData, Has.Count.EqualTo(2));
            Assert.That(julietData.Select(Stanzas.Method), Is.All.Null);
        });
    }

    [Test]
    public void Every_data_is_answered_with_an_empty_result_echoing_id_and_swapping_addresses()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, "x"u8, null, link.Now);
        XElement data = link.Romeo.TakeSingleStanza();

        link.Juliet.Receive(data, link.Now);

        XElement result = link.Juliet.TakeSingleStanza();
        Assert.Multiple(() =>
        {
            Assert.That(Stanzas.Type(result), Is.EqualTo("result"));
            Assert.That(Stanzas.Id(result), Is.EqualTo(Stanzas.Id(data)));
            Assert.That(Stanzas.From(result), Is.EqualTo(Stanzas.To(data)));
            Assert.That(Stanzas.To(result), Is.EqualTo(Stanzas.From(data)));
            Assert.That(result.HasElements, Is.False);
            Assert.That(result.Name, Is.EqualTo(XName.Get("iq", XmppNamespaces.Client)));
        });
    }

    [Test]
    public void Closed_tunnel_is_forgotten_and_a_new_one_opens_at_once()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.Close(link.Juliet.Jid, link.Now);
        link.Run();
        link.Romeo.Take<TunnelEnded>();
        link.Juliet.Take<TunnelEnded>();

        link.Establish(link.Romeo);

        Assert.That(link.Romeo.Manager.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Open));
        Assert.That(link.Romeo.Manager.Count, Is.EqualTo(1));
    }

    [Test]
    public void Data_after_local_close_is_acknowledged_but_not_delivered()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Juliet.Manager.SendCiphertext(link.Romeo.Jid, "late"u8, null, link.Now);
        XElement late = link.Juliet.TakeSingleStanza();

        link.Romeo.Manager.Close(link.Juliet.Jid, link.Now);
        link.Romeo.TakeOutbox();
        link.Romeo.Receive(late, link.Now);

        XElement answer = link.Romeo.TakeSingleStanza();
        Assert.That(Stanzas.Type(answer), Is.EqualTo("result"));
        Assert.That(link.Romeo.Take<CiphertextReceived>(), Is.Empty);
    }

    [Test]
    public void Close_waits_for_queued_data_to_be_acknowledged_before_sending_close()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, "close_notify"u8, "last", link.Now);
        link.Romeo.Manager.Close(link.Juliet.Jid, link.Now);

        List<XElement> sent = link.Romeo.TakeOutbox();
        Assert.That(sent, Has.Count.EqualTo(1), "close waits for the acknowledgement");
        Assert.That(Stanzas.XtlsName(sent[0]), Is.EqualTo("data"));

        link.Juliet.Receive(sent[0], link.Now);
        link.Romeo.Receive(link.Juliet.TakeSingleStanza(), link.Now);

        Assert.That(link.Romeo.TakeSingle<Acknowledged>().Token, Is.EqualTo("last"));
        Assert.That(Stanzas.XtlsName(link.Romeo.TakeSingleStanza()), Is.EqualTo("close"));
    }

    [Test]
    public void Fail_flushes_the_alert_then_closes_and_ends_with_the_failure_reason()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, "alert"u8, null, link.Now);

        Assert.That(link.Romeo.Manager.Fail(link.Juliet.Jid, TunnelCloseReason.TlsFailure, "bad_certificate", link.Now), Is.True);
        Assert.That(link.Romeo.Manager.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Closing));
        Assert.Throws<TunnelStateException>(() => link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, "more"u8, null, link.Now));
        link.Run();

        Assert.That(link.Juliet.TakeSingle<CiphertextReceived>().Data.ToArray(), Is.EqualTo("alert"u8.ToArray()));
        TunnelEnded ended = link.Romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(ended.Detail, Is.EqualTo("bad_certificate"));
        Assert.That(link.Juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
    }

    [Test]
    public void Fail_during_an_orderly_close_reports_the_failure()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.Close(link.Juliet.Jid, link.Now);
        link.Romeo.Manager.Fail(link.Juliet.Jid, TunnelCloseReason.InnerXmlError, "bad xml", link.Now);
        link.Run();

        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.InnerXmlError));
    }

    [Test]
    public void Both_sides_closing_at_once_end_cleanly()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.Close(link.Juliet.Jid, link.Now);
        link.Juliet.Manager.Close(link.Romeo.Jid, link.Now);
        link.Run();

        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedLocally));
        Assert.That(link.Juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedLocally));
        Assert.That(link.Romeo.Manager.Count + link.Juliet.Manager.Count, Is.Zero);
    }

    [Test]
    public void Close_while_starting_withdraws_the_request_at_the_peer()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, link.Now);
        link.Romeo.Manager.Close(link.Juliet.Jid, link.Now);
        link.Run();

        Assert.That(link.Juliet.TakeSingle<IncomingRequest>().Remote, Is.EqualTo(link.Romeo.Jid));
        Assert.That(link.Juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedLocally));
        Assert.That(link.Juliet.Sent.Count(s => Stanzas.ErrorCondition(s) == "not-acceptable"), Is.EqualTo(1), "the pending start is answered too");
    }

    [Test]
    public void Close_on_a_pending_request_refuses_it()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, link.Now);
        link.Run();
        link.Juliet.Take<IncomingRequest>();

        Assert.That(link.Juliet.Manager.Close(link.Romeo.Jid, link.Now), Is.True);
        link.Run();

        Assert.That(link.Juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.Refused));
        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.Refused));
    }

    [Test]
    public void Initiator_may_close_right_after_proceed_before_any_data()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, link.Now);
        link.Run();
        link.Juliet.Manager.Accept(link.Romeo.Jid, new XtlsOffer("UNVERIFIABLE", false), link.Now);
        link.Run();
        link.Romeo.Take<ProceedReceived>();

        link.Romeo.Manager.Close(link.Juliet.Jid, link.Now);
        link.Run();

        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedLocally));
        Assert.That(link.Juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
    }

    [Test]
    public void Large_ciphertext_is_split_into_chunks_and_reassembled_in_order()
    {
        var link = new Link(new TunnelManagerOptions { ChunkSize = 1000, Window = 3 });
        link.Establish(link.Romeo);
        byte[] big = new byte[10_500];
        new Random(7).NextBytes(big);

        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, big, "big", link.Now);
        link.Run();

        byte[] received = [.. link.Juliet.Take<CiphertextReceived>().SelectMany(c => c.Data.ToArray())];
        Assert.That(received, Is.EqualTo(big));
        Assert.That(link.Romeo.TakeSingle<Acknowledged>().Token, Is.EqualTo("big"));
    }

    [Test]
    public void Empty_send_with_a_token_is_acknowledged_when_everything_before_it_is()
    {
        var link = new Link();
        link.Establish(link.Romeo);

        link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, ReadOnlySpan<byte>.Empty, "marker", link.Now);

        Assert.That(link.Romeo.TakeSingle<Acknowledged>().Token, Is.EqualTo("marker"));
        Assert.That(link.Romeo.TakeOutbox(), Is.Empty);
    }

    [Test]
    public void Results_in_no_namespace_are_accepted()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, link.Now);
        XElement start = link.Romeo.TakeSingleStanza();
        var result = XElement.Parse(
            $"<iq type='result' id='{Stanzas.Id(start)}' from='{Link.JulietJid}' to='{Link.RomeoJid}'><proceed xmlns='urn:xmpp:tmp:xtls'/></iq>");

        Assert.That(link.Romeo.Manager.HandleIncoming(result, link.Now), Is.True);
        Assert.That(link.Romeo.TakeSingle<StartTls>().AsClient, Is.True);
    }

    [Test]
    public void Empty_result_to_start_counts_as_proceed_without_offer()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "srp", null, link.Now);
        XElement start = link.Romeo.TakeSingleStanza();

        link.Romeo.Receive(Stanzas.Result(start), link.Now);

        Assert.That(link.Romeo.TakeSingle<ProceedReceived>().Offer, Is.Null);
        Assert.That(link.Romeo.TakeSingle<StartTls>().Method, Is.EqualTo("srp"));
    }

    [Test]
    public void Proceed_with_a_malformed_offer_closes_the_tunnel_as_a_protocol_violation()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, link.Now);
        XElement start = link.Romeo.TakeSingleStanza();
        string twoOffers = "<proceed xmlns='urn:xmpp:tmp:xtls'><offer xmlns='urn:xmpp:tmp:c2ctls'/><offer xmlns='urn:xmpp:tmp:c2ctls'/></proceed>";

        link.Romeo.Receive(Stanzas.Result(start, twoOffers), link.Now);

        Assert.That(link.Romeo.Take<StartTls>(), Is.Empty);
        XElement close = link.Romeo.TakeSingleStanza();
        Assert.That(Stanzas.XtlsName(close), Is.EqualTo("close"));
        link.Romeo.Receive(Stanzas.Result(close, "<closed xmlns='urn:xmpp:tmp:xtls'/>"), link.Now);
        Assert.That(link.Romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ProtocolViolation));
    }

    [Test]
    public void Ciphertext_received_holds_the_decoded_bytes_of_whitespace_wrapped_base64()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        string wrapped = "\n    " + Convert.ToBase64String(Encoding.ASCII.GetBytes("pretty printed")).Insert(8, "\r\n\t ") + "\n  ";

        link.Romeo.Receive(Stanzas.Data("d1", Link.JulietJid, Link.RomeoJid, wrapped), link.Now);

        Assert.That(link.Romeo.TakeSingle<CiphertextReceived>().Data.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes("pretty printed")));
    }
}
