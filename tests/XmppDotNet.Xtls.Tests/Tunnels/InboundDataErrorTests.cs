using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>What the peer's data and close requests get when something is wrong with them.</summary>
public class InboundDataErrorTests
{
    private static readonly DateTimeOffset Now = Link.T0;
    private static readonly string[] StartAndCloseIds = ["c1", "s1"];

    /// <summary>Juliet has accepted Romeo's request and waits for his first data.</summary>
    private static Endpoint AcceptedResponder(TunnelManagerOptions? options = null)
    {
        var juliet = new Endpoint(Link.JulietJid, options);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);
        juliet.Manager.Accept(Jid.Parse(Link.RomeoJid), null, Now);
        juliet.TakeOutbox();
        juliet.Take<IncomingRequest>();
        return juliet;
    }

    /// <summary>Juliet with a tunnel whose TLS runs (the first data has arrived).</summary>
    private static Endpoint RunningResponder(TunnelManagerOptions? options = null)
    {
        Endpoint juliet = AcceptedResponder(options);
        juliet.Receive(Stanzas.Data("d0", Link.RomeoJid, Link.JulietJid, "AAEC", "x509"), Now);
        juliet.TakeOutbox();
        juliet.Events.Clear();
        return juliet;
    }

    private static void AssertFailedWith(Endpoint juliet, string id, string condition, TunnelCloseReason reason)
    {
        XElement answer = juliet.TakeSingleStanza();
        Assert.Multiple(() =>
        {
            Assert.That(Stanzas.Id(answer), Is.EqualTo(id));
            Assert.That(Stanzas.Type(answer), Is.EqualTo("error"));
            Assert.That(Stanzas.ErrorCondition(answer), Is.EqualTo(condition));
            Assert.That(juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(reason));
            Assert.That(juliet.Take<CiphertextReceived>(), Is.Empty, "nothing undecodable is delivered");
            Assert.That(juliet.Take<StartTls>(), Is.Empty);
            Assert.That(juliet.Manager.Count, Is.Zero);
        });
    }

    [Test]
    public void Data_for_an_unknown_tunnel_is_answered_item_not_found()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, "AAEC", "x509"), Now);

        XElement answer = juliet.TakeSingleStanza();
        Assert.That(Stanzas.ErrorCondition(answer), Is.EqualTo("item-not-found"));
        Assert.That(Stanzas.ErrorType(answer), Is.EqualTo("cancel"));
        Assert.That(juliet.Events, Is.Empty);
    }

    [Test]
    public void Close_for_an_unknown_tunnel_is_answered_item_not_found()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Close("c1", Link.RomeoJid, Link.JulietJid), Now);

        XElement answer = juliet.TakeSingleStanza();
        Assert.That(Stanzas.Id(answer), Is.EqualTo("c1"));
        Assert.That(Stanzas.ErrorCondition(answer), Is.EqualTo("item-not-found"));
    }

    [Test]
    public void Data_before_the_request_is_accepted_is_answered_unexpected_request_and_ends_it()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);
        juliet.Take<IncomingRequest>();

        juliet.Receive(Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, "AAEC", "x509"), Now);

        List<XElement> answers = juliet.TakeOutbox();
        Assert.That(answers.Select(a => (Stanzas.Id(a), Stanzas.ErrorCondition(a))), Is.EquivalentTo(new[] { ("d1", "unexpected-request"), ("s1", "not-acceptable") }));
        Assert.That(juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ProtocolViolation));
    }

    [Test]
    public void Data_to_an_initiator_still_waiting_for_proceed_belongs_to_an_old_tunnel_and_the_new_start_stays()
    {
        var romeo = new Endpoint(Link.RomeoJid);
        romeo.Manager.Open(Jid.Parse(Link.JulietJid), "x509", null, Now);
        romeo.TakeOutbox();

        romeo.Receive(Stanzas.Data("d1", Link.JulietJid, Link.RomeoJid, "AAEC"), Now);

        Assert.That(Stanzas.ErrorCondition(romeo.TakeSingleStanza()), Is.EqualTo("item-not-found"));
        Assert.That(romeo.Take<TunnelEnded>(), Is.Empty);
        Assert.That(romeo.Manager.GetState(Jid.Parse(Link.JulietJid)), Is.EqualTo(TunnelState.Starting));
    }

    [TestCase("AAE")]
    [TestCase("AAECA")]
    [TestCase("AA*C")]
    [TestCase("AA=C")]
    [TestCase("A===")]
    [TestCase("AB==AAAA")]
    [TestCase("AR==")]
    [TestCase("AAEC\u00a0")]
    public void Bad_base64_is_answered_bad_request_and_fails_the_tunnel(string text)
    {
        Endpoint juliet = RunningResponder();
        juliet.Receive(Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, text), Now);

        AssertFailedWith(juliet, "d1", "bad-request", TunnelCloseReason.MalformedData);
    }

    [Test]
    public void Data_with_child_elements_is_malformed()
    {
        Endpoint juliet = RunningResponder();
        juliet.Receive(Stanzas.Iq("set", "d1", Link.RomeoJid, Link.JulietJid, "<data xmlns='urn:xmpp:tmp:xtls'>AA<b/>EC</data>"), Now);

        AssertFailedWith(juliet, "d1", "bad-request", TunnelCloseReason.MalformedData);
    }

    [Test]
    public void Bad_base64_in_the_first_data_fails_before_tls_starts()
    {
        Endpoint juliet = AcceptedResponder();
        juliet.Receive(Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, "!!!!", "x509"), Now);

        AssertFailedWith(juliet, "d1", "bad-request", TunnelCloseReason.MalformedData);
    }

    [Test]
    public void Oversize_chunk_is_answered_policy_violation_and_fails_the_tunnel()
    {
        Endpoint juliet = RunningResponder(new TunnelManagerOptions { MaxInboundChunkBytes = 1024 });
        string exactly = Convert.ToBase64String(new byte[1024]);
        juliet.Receive(Stanzas.Data("ok", Link.RomeoJid, Link.JulietJid, exactly), Now);
        Assert.That(juliet.TakeSingle<CiphertextReceived>().Data.Length, Is.EqualTo(1024));
        juliet.TakeOutbox();

        juliet.Receive(Stanzas.Data("big", Link.RomeoJid, Link.JulietJid, Convert.ToBase64String(new byte[1025])), Now);

        AssertFailedWith(juliet, "big", "policy-violation", TunnelCloseReason.LimitExceeded);
    }

    [Test]
    public void First_data_without_method_is_answered_bad_request()
    {
        Endpoint juliet = AcceptedResponder();
        juliet.Receive(Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, "AAEC"), Now);

        AssertFailedWith(juliet, "d1", "bad-request", TunnelCloseReason.ProtocolViolation);
    }

    [Test]
    public void First_data_with_openpgp_is_answered_feature_not_implemented_with_a_clear_text()
    {
        Endpoint juliet = AcceptedResponder();
        juliet.Receive(Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, "AAEC", "openpgp"), Now);

        juliet.Drain();
        string? text = Stanzas.ErrorText(juliet.Outbox.Peek());
        Assert.That(text, Does.Contain("openpgp").And.Contain("not supported"));
        AssertFailedWith(juliet, "d1", "feature-not-implemented", TunnelCloseReason.UnsupportedMethod);
    }

    [TestCase("tls-psk")]
    [TestCase("X509")]
    [TestCase("srp")]
    public void First_data_with_an_unsupported_method_is_answered_not_acceptable(string method)
    {
        Endpoint juliet = AcceptedResponder(new TunnelManagerOptions { SupportedMethods = new HashSet<string> { "x509" } });
        juliet.Receive(Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, "AAEC", method), Now);

        AssertFailedWith(juliet, "d1", "not-acceptable", TunnelCloseReason.UnsupportedMethod);
    }

    [Test]
    public void First_data_with_an_overlong_method_is_answered_not_acceptable()
    {
        Endpoint juliet = AcceptedResponder();
        juliet.Receive(Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, "AAEC", new string('x', 1000)), Now);

        juliet.Drain();
        XElement answer = juliet.Outbox.Peek();
        Assert.That(Stanzas.ErrorText(answer), Does.Not.Contain("xxxx"), "the peer's text is not echoed");
        AssertFailedWith(juliet, "d1", "not-acceptable", TunnelCloseReason.UnsupportedMethod);
    }

    [Test]
    public void Valid_first_data_starts_tls_as_server_then_delivers()
    {
        Endpoint juliet = AcceptedResponder();
        juliet.Receive(Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, "AAEC", "srp"), Now);

        Assert.That(juliet.Events, Has.Count.EqualTo(2));
        Assert.That(juliet.Events[0], Is.EqualTo(new StartTls(Jid.Parse(Link.RomeoJid), false, "srp")));
        Assert.That(((CiphertextReceived)juliet.Events[1]).Data.ToArray(), Is.EqualTo(new byte[] { 0, 1, 2 }));
        Assert.That(Stanzas.Type(juliet.TakeSingleStanza()), Is.EqualTo("result"));
    }

    [Test]
    public void Later_data_needs_no_method()
    {
        Endpoint juliet = RunningResponder();
        juliet.Receive(Stanzas.Data("d1", Link.RomeoJid, Link.JulietJid, "AAEC"), Now);

        Assert.That(juliet.TakeSingle<CiphertextReceived>().Data.Length, Is.EqualTo(3));
        Assert.That(juliet.Take<StartTls>(), Is.Empty);
    }

    [Test]
    public void Close_on_a_pending_request_answers_both_the_close_and_the_start()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);
        juliet.Receive(Stanzas.Close("c1", Link.RomeoJid, Link.JulietJid), Now);

        List<XElement> answers = juliet.TakeOutbox();
        Assert.That(answers.Select(Stanzas.Id).Order(), Is.EqualTo(StartAndCloseIds));
        Assert.That(Stanzas.XtlsName(answers.Single(a => Stanzas.Id(a) == "c1")), Is.EqualTo("closed"));
        Assert.That(juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.ClosedByPeer));
    }

    [Test]
    public void Requests_without_id_or_sender_are_consumed_but_not_answered()
    {
        var juliet = new Endpoint(Link.JulietJid);
        var noId = XElement.Parse($"<iq xmlns='jabber:client' type='set' from='{Link.RomeoJid}'><start xmlns='urn:xmpp:tmp:xtls'/></iq>");
        var noFrom = XElement.Parse("<iq xmlns='jabber:client' type='set' id='x'><start xmlns='urn:xmpp:tmp:xtls'/></iq>");

        Assert.That(juliet.Manager.HandleIncoming(noId, Now), Is.True);
        Assert.That(juliet.Manager.HandleIncoming(noFrom, Now), Is.True);
        Assert.That(juliet.TakeOutbox(), Is.Empty);
        Assert.That(juliet.Manager.Count, Is.Zero);
    }

    [Test]
    public void Request_with_two_children_is_answered_bad_request()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Iq("set", "x", Link.RomeoJid, Link.JulietJid, "<start xmlns='urn:xmpp:tmp:xtls'/><close xmlns='urn:xmpp:tmp:xtls'/>"), Now);

        Assert.That(Stanzas.ErrorCondition(juliet.TakeSingleStanza()), Is.EqualTo("bad-request"));
        Assert.That(juliet.Manager.Count, Is.Zero);
    }
}
