using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

public class StartNegotiationTests
{
    private static readonly DateTimeOffset Now = Link.T0;

    [Test]
    public void Refuse_answers_not_acceptable_and_both_sides_end_refused()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Now);
        link.Run();
        link.Juliet.Take<IncomingRequest>();

        link.Juliet.Manager.Refuse(link.Romeo.Jid, Now);
        link.Juliet.Drain();
        XElement answer = link.Juliet.Outbox.Peek();
        link.Run();

        Assert.Multiple(() =>
        {
            Assert.That(Stanzas.Type(answer), Is.EqualTo("error"));
            Assert.That(Stanzas.ErrorCondition(answer), Is.EqualTo("not-acceptable"));
            Assert.That(Stanzas.ErrorType(answer), Is.EqualTo("cancel"));
            Assert.That(link.Juliet.TakeSingle<TunnelEnded>(), Has.Property("Reason").EqualTo(TunnelCloseReason.Refused).And.Property("Initiator").False);
            Assert.That(link.Romeo.TakeSingle<TunnelEnded>(), Has.Property("Reason").EqualTo(TunnelCloseReason.Refused).And.Property("Initiator").True);
            Assert.That(link.Romeo.Manager.Count + link.Juliet.Manager.Count, Is.Zero);
        });
    }

    [TestCase("service-unavailable", TunnelCloseReason.NotSupported)]
    [TestCase("feature-not-implemented", TunnelCloseReason.NotSupported)]
    [TestCase("not-acceptable", TunnelCloseReason.Refused)]
    [TestCase("conflict", TunnelCloseReason.Conflict)]
    [TestCase("forbidden", TunnelCloseReason.PeerError)]
    [TestCase("remote-server-not-found", TunnelCloseReason.PeerError)]
    public void Errors_on_start_end_the_tunnel_with_a_typed_reason(string condition, TunnelCloseReason reason)
    {
        var romeo = new Endpoint(Link.RomeoJid);
        romeo.Manager.Open(Jid.Parse(Link.JulietJid), "x509", null, Now);
        XElement start = romeo.TakeSingleStanza();

        romeo.Receive(Stanzas.Error(start, condition), Now);

        TunnelEnded ended = romeo.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(reason));
        Assert.That(ended.Detail, Does.StartWith(condition));
        Assert.That(romeo.Manager.Count, Is.Zero);
    }

    [Test]
    public void Errors_from_the_peers_server_count_but_results_from_others_are_ignored()
    {
        var romeo = new Endpoint(Link.RomeoJid);
        romeo.Manager.Open(Jid.Parse(Link.JulietJid), "x509", null, Now);
        XElement start = romeo.TakeSingleStanza();

        // A result with the right id from someone else is swallowed and changes nothing.
        XElement spoofed = Stanzas.Iq("result", Stanzas.Id(start), "mallory@evil.example/x", Link.RomeoJid, "<proceed xmlns='urn:xmpp:tmp:xtls'/>");
        romeo.Receive(spoofed, Now);
        Assert.That(romeo.Events, Is.Empty);
        Assert.That(romeo.Manager.GetState(Jid.Parse(Link.JulietJid)), Is.EqualTo(TunnelState.Starting));

        // The peer's domain may bounce it (e.g. the resource is offline).
        romeo.Receive(Stanzas.Error(start, "service-unavailable", from: "capulet.com"), Now);
        Assert.That(romeo.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.NotSupported));
    }

    [Test]
    public void Simultaneous_start_juliet_sorts_first_so_her_request_wins_on_both_sides()
    {
        var link = new Link();
        Assert.That(link.Juliet.Jid.CompareTo(link.Romeo.Jid), Is.LessThan(0));
        var romeoOffer = new XtlsOffer("RO", false);
        var julietOffer = new XtlsOffer("JU", true);
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", romeoOffer, Now);
        link.Juliet.Manager.Open(link.Romeo.Jid, "srp", julietOffer, Now);

        link.Run();

        // Juliet kept her request and answered Romeo's with conflict; Romeo became the responder.
        Assert.That(link.Juliet.Sent.Count(s => Stanzas.ErrorCondition(s) == "conflict"), Is.EqualTo(1));
        Assert.That(link.Romeo.Sent.Count(s => Stanzas.ErrorCondition(s) == "conflict"), Is.Zero);
        Assert.That(link.Romeo.TakeSingle<BecameResponder>(), Is.EqualTo(new BecameResponder(link.Juliet.Jid, julietOffer)));
        Assert.That(link.Juliet.TakeSingle<ProceedReceived>(), Is.EqualTo(new ProceedReceived(link.Romeo.Jid, romeoOffer)), "the automatic proceed carries the offer given to Open");
        Assert.That(link.Juliet.TakeSingle<StartTls>(), Is.EqualTo(new StartTls(link.Romeo.Jid, true, "srp")));
        Assert.That(link.Romeo.Take<IncomingRequest>(), Is.Empty, "accepted automatically");
        Assert.That(link.Romeo.Take<TunnelEnded>(), Is.Empty, "the abandoned start's conflict error is ignored");
        Assert.That(link.Juliet.Take<TunnelEnded>(), Is.Empty);

        link.Juliet.Manager.SendCiphertext(link.Romeo.Jid, "hello"u8, null, Now);
        link.Run();
        Assert.That(link.Romeo.TakeSingle<StartTls>(), Is.EqualTo(new StartTls(link.Juliet.Jid, false, "srp")));
        Assert.That(link.Romeo.Manager.GetInfo(link.Juliet.Jid)!.Initiator, Is.False);
        Assert.That(link.Juliet.Manager.GetInfo(link.Romeo.Jid)!.Initiator, Is.True);
        Assert.That(link.Romeo.Manager.Count, Is.EqualTo(1));
        Assert.That(link.Juliet.Manager.Count, Is.EqualTo(1));
    }

    [Test]
    public void Simultaneous_start_seen_by_the_side_sorting_first_answers_conflict_and_keeps_its_request()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Manager.Open(Jid.Parse(Link.RomeoJid), "x509", null, Now);
        XElement julietStart = juliet.TakeSingleStanza();

        juliet.Receive(Stanzas.Start("romeo-start", Link.RomeoJid, Link.JulietJid), Now);

        XElement answer = juliet.TakeSingleStanza();
        Assert.That(Stanzas.Id(answer), Is.EqualTo("romeo-start"));
        Assert.That(Stanzas.ErrorCondition(answer), Is.EqualTo("conflict"));
        Assert.That(Stanzas.ErrorType(answer), Is.EqualTo("cancel"));
        Assert.That(juliet.Manager.GetState(Jid.Parse(Link.RomeoJid)), Is.EqualTo(TunnelState.Starting));

        juliet.Receive(Stanzas.Result(julietStart, "<proceed xmlns='urn:xmpp:tmp:xtls'/>"), Now);
        Assert.That(juliet.TakeSingle<StartTls>().AsClient, Is.True);
    }

    [Test]
    public void Simultaneous_start_seen_by_the_side_sorting_last_accepts_the_other_request()
    {
        var romeo = new Endpoint(Link.RomeoJid);
        romeo.Manager.Open(Jid.Parse(Link.JulietJid), "x509", new XtlsOffer("R", false), Now);
        XElement romeoStart = romeo.TakeSingleStanza();

        romeo.Receive(Stanzas.Start("juliet-start", Link.JulietJid, Link.RomeoJid), Now);

        XElement answer = romeo.TakeSingleStanza();
        Assert.That(Stanzas.Id(answer), Is.EqualTo("juliet-start"));
        Assert.That(Stanzas.Type(answer), Is.EqualTo("result"));
        Assert.That(XtlsElements.ReadOffer(Stanzas.XtlsChild(answer)!), Is.EqualTo(new XtlsOffer("R", false)));
        Assert.That(romeo.TakeSingle<BecameResponder>().Remote, Is.EqualTo(Jid.Parse(Link.JulietJid)));
        Assert.That(romeo.Manager.GetState(Jid.Parse(Link.JulietJid)), Is.EqualTo(TunnelState.Handshaking));

        // Juliet's conflict answer to Romeo's own start arrives later and is swallowed.
        romeo.Receive(Stanzas.Error(romeoStart, "conflict"), Now);
        Assert.That(romeo.Events, Is.Empty);
        Assert.That(romeo.Manager.GetState(Jid.Parse(Link.JulietJid)), Is.EqualTo(TunnelState.Handshaking));
    }

    [Test]
    public void Start_while_a_tunnel_is_open_replaces_it_with_a_fresh_request()
    {
        var link = new Link(new TunnelManagerOptions { Window = 1 });
        link.Establish(link.Romeo);
        link.Juliet.Manager.SendCiphertext(link.Romeo.Jid, new byte[3], "in-flight", Now);
        link.Juliet.Manager.SendCiphertext(link.Romeo.Jid, new byte[3], "queued", Now);
        link.Juliet.TakeOutbox();

        // Romeo logged in again and starts anew.
        link.Juliet.Receive(Stanzas.Start("new-start", Link.RomeoJid, Link.JulietJid), Now);

        TunnelEnded ended = link.Juliet.TakeSingle<TunnelEnded>();
        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.Replaced));
        Assert.That(ended.UndeliveredTokens, Is.EqualTo(new object[] { "in-flight", "queued" }));
        Assert.That(link.Juliet.TakeSingle<IncomingRequest>().Remote, Is.EqualTo(link.Romeo.Jid));
        Assert.That(link.Juliet.Manager.GetState(link.Romeo.Jid), Is.EqualTo(TunnelState.AwaitingDecision));
        Assert.That(link.Juliet.TakeOutbox(), Is.Empty, "the new start waits for the decision");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Start_while_handshaking_replaces_the_tunnel(bool asInitiator)
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Now);
        link.Run();
        link.Juliet.Take<IncomingRequest>();
        link.Juliet.Manager.Accept(link.Romeo.Jid, null, Now);
        link.Run();
        Endpoint receiver = asInitiator ? link.Romeo : link.Juliet;
        string from = asInitiator ? Link.JulietJid : Link.RomeoJid;

        receiver.Receive(Stanzas.Start("again", from, receiver.Jid.ToString()), Now);

        Assert.That(receiver.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.Replaced));
        Assert.That(receiver.TakeSingle<IncomingRequest>().Remote.ToString(), Is.EqualTo(from));
    }

    [Test]
    public void A_second_start_while_the_first_awaits_a_decision_supersedes_it()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);
        juliet.Receive(Stanzas.Start("s2", Link.RomeoJid, Link.JulietJid), Now);

        XElement answer = juliet.TakeSingleStanza();
        Assert.That(Stanzas.Id(answer), Is.EqualTo("s1"));
        Assert.That(Stanzas.ErrorCondition(answer), Is.EqualTo("conflict"));
        Assert.That(juliet.Take<IncomingRequest>(), Has.Count.EqualTo(2));
        Assert.That(juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.Replaced));

        juliet.Manager.Accept(Jid.Parse(Link.RomeoJid), null, Now);
        Assert.That(Stanzas.Id(juliet.TakeSingleStanza()), Is.EqualTo("s2"));
    }

    [Test]
    public void A_copy_of_the_start_awaiting_a_decision_is_ignored_and_the_start_answered_once()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);

        Assert.That(juliet.Take<IncomingRequest>(), Has.Count.EqualTo(1));
        Assert.That(juliet.Events, Is.Empty, "the copy is not a new request and ends nothing");
        Assert.That(juliet.TakeOutbox(), Is.Empty, "the copy is not answered");

        juliet.Manager.Accept(Jid.Parse(Link.RomeoJid), null, Now);
        XElement proceed = juliet.TakeSingleStanza();
        Assert.That(Stanzas.Id(proceed), Is.EqualTo("s1"));
        Assert.That(Stanzas.ErrorCondition(proceed), Is.Null);
    }

    [Test]
    public void Start_with_a_malformed_offer_is_answered_bad_request()
    {
        var juliet = new Endpoint(Link.JulietJid);
        string twoKeyInfos = "<offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name>A</name></keyinfo><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name>B</name></keyinfo></offer>";

        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid, twoKeyInfos), Now);

        XElement answer = juliet.TakeSingleStanza();
        Assert.That(Stanzas.ErrorCondition(answer), Is.EqualTo("bad-request"));
        Assert.That(juliet.Events, Is.Empty);
        Assert.That(juliet.Manager.Count, Is.Zero);
    }

    [Test]
    public void Start_with_an_offer_reports_it_and_ignores_unknown_children()
    {
        var juliet = new Endpoint(Link.JulietJid);
        string offer = "<offer xmlns='urn:xmpp:tmp:c2ctls'><future xmlns='urn:example'/><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name> AA:BB </name></keyinfo><srp/></offer><other xmlns='urn:example'/>";

        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid, offer), Now);

        Assert.That(juliet.TakeSingle<IncomingRequest>().Offer, Is.EqualTo(new XtlsOffer("AA:BB", true)));
    }

    [Test]
    public void Flood_of_starts_beyond_the_pending_bound_is_answered_resource_constraint()
    {
        var juliet = new Endpoint(Link.JulietJid, new TunnelManagerOptions { MaxPendingIncoming = 3 });
        for (int i = 0; i < 10; i++)
        {
            juliet.Receive(Stanzas.Start("s" + i, $"user{i}@flood.example/r", Link.JulietJid), Now);
        }

        List<XElement> answers = juliet.TakeOutbox();
        Assert.That(juliet.Take<IncomingRequest>(), Has.Count.EqualTo(3));
        Assert.That(answers, Has.Count.EqualTo(7));
        Assert.That(answers.Select(Stanzas.ErrorCondition), Is.All.EqualTo("resource-constraint"));
        Assert.That(answers.Select(Stanzas.ErrorType), Is.All.EqualTo("wait"));
        Assert.That(juliet.Manager.Count, Is.EqualTo(3));

        // A decision frees a pending slot.
        juliet.Manager.Accept(Jid.Parse("user0@flood.example/r"), null, Now);
        juliet.Receive(Stanzas.Start("late", "late@flood.example/r", Link.JulietJid), Now);
        Assert.That(juliet.TakeSingle<IncomingRequest>().Remote, Is.EqualTo(Jid.Parse("late@flood.example/r")));
    }

    [Test]
    public void Incoming_start_beyond_the_per_bare_jid_bound_is_answered_resource_constraint()
    {
        var juliet = new Endpoint(Link.JulietJid, new TunnelManagerOptions { MaxTunnelsPerBareJid = 2 });
        juliet.Receive(Stanzas.Start("s1", "romeo@montague.net/a", Link.JulietJid), Now);
        juliet.Receive(Stanzas.Start("s2", "romeo@montague.net/b", Link.JulietJid), Now);
        juliet.Receive(Stanzas.Start("s3", "romeo@montague.net/c", Link.JulietJid), Now);
        juliet.Receive(Stanzas.Start("s4", "benvolio@montague.net/c", Link.JulietJid), Now);

        Assert.That(juliet.Take<IncomingRequest>(), Has.Count.EqualTo(3));
        XElement refused = juliet.TakeSingleStanza();
        Assert.That(Stanzas.Id(refused), Is.EqualTo("s3"));
        Assert.That(Stanzas.ErrorCondition(refused), Is.EqualTo("resource-constraint"));
    }

    [Test]
    public void Open_beyond_the_bounds_throws_a_typed_limit_error()
    {
        var romeo = new Endpoint(Link.RomeoJid, new TunnelManagerOptions { MaxTunnels = 3, MaxTunnelsPerBareJid = 2 });
        romeo.Manager.Open(Jid.Parse("juliet@capulet.com/a"), "x509", null, Now);
        romeo.Manager.Open(Jid.Parse("juliet@capulet.com/b"), "x509", null, Now);

        TunnelLimitException perBare = Assert.Throws<TunnelLimitException>(
            () => romeo.Manager.Open(Jid.Parse("juliet@capulet.com/c"), "x509", null, Now))!;
        Assert.That(perBare.Limit, Is.EqualTo(TunnelLimit.TunnelsPerBareJid));

        romeo.Manager.Open(Jid.Parse("nurse@capulet.com/a"), "x509", null, Now);
        TunnelLimitException total = Assert.Throws<TunnelLimitException>(
            () => romeo.Manager.Open(Jid.Parse("tybalt@capulet.com/a"), "x509", null, Now))!;
        Assert.That(total.Limit, Is.EqualTo(TunnelLimit.Tunnels));
        Assert.That(romeo.Manager.Count, Is.EqualTo(3));
    }

    [Test]
    public void Incoming_start_beyond_the_total_bound_is_answered_resource_constraint()
    {
        var juliet = new Endpoint(Link.JulietJid, new TunnelManagerOptions { MaxTunnels = 1 });
        juliet.Manager.Open(Jid.Parse("nurse@capulet.com/a"), "x509", null, Now);
        juliet.TakeOutbox();

        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);

        Assert.That(Stanzas.ErrorCondition(juliet.TakeSingleStanza()), Is.EqualTo("resource-constraint"));
    }

    [Test]
    public void Open_to_a_peer_with_any_tunnel_throws_with_its_state()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Now);
        link.Run();

        TunnelStateException again = Assert.Throws<TunnelStateException>(() => link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Now))!;
        Assert.That(again.State, Is.EqualTo(TunnelState.Starting));
        TunnelStateException pending = Assert.Throws<TunnelStateException>(() => link.Juliet.Manager.Open(link.Romeo.Jid, "x509", null, Now))!;
        Assert.That(pending.State, Is.EqualTo(TunnelState.AwaitingDecision));
    }

    [Test]
    public void Open_checks_its_arguments()
    {
        var romeo = new Endpoint(Link.RomeoJid, new TunnelManagerOptions { SupportedMethods = new HashSet<string> { "x509" } });
        Assert.Throws<ArgumentException>(() => romeo.Manager.Open(Jid.Parse("juliet@capulet.com"), "x509", null, Now), "bare JID");
        Assert.Throws<ArgumentException>(() => romeo.Manager.Open(Jid.Parse(Link.RomeoJid), "x509", null, Now), "itself");
        Assert.Throws<ArgumentException>(() => romeo.Manager.Open(Jid.Parse(Link.JulietJid), "srp", null, Now), "not enabled");
        Assert.Throws<ArgumentException>(() => romeo.Manager.Open(Jid.Parse(Link.JulietJid), "openpgp", null, Now), "not implemented");
        Assert.That(romeo.Manager.Count, Is.Zero);
        Assert.That(romeo.TakeOutbox(), Is.Empty);
    }

    [Test]
    public void Accept_and_refuse_need_a_pending_request()
    {
        var link = new Link();
        Assert.Throws<TunnelStateException>(() => link.Juliet.Manager.Accept(link.Romeo.Jid, null, Now));
        Assert.Throws<TunnelStateException>(() => link.Juliet.Manager.Refuse(link.Romeo.Jid, Now));

        link.Establish(link.Romeo);
        TunnelStateException open = Assert.Throws<TunnelStateException>(() => link.Juliet.Manager.Accept(link.Romeo.Jid, null, Now))!;
        Assert.That(open.State, Is.EqualTo(TunnelState.Open));
    }

    [Test]
    public void Start_from_a_bare_jid_or_as_get_is_answered_bad_request()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Start("s1", "romeo@montague.net", Link.JulietJid), Now);
        juliet.Receive(Stanzas.Iq("get", "g1", Link.RomeoJid, Link.JulietJid, "<start xmlns='urn:xmpp:tmp:xtls'/>"), Now);

        List<XElement> answers = juliet.TakeOutbox();
        Assert.That(answers.Select(Stanzas.ErrorCondition), Is.All.EqualTo("bad-request"));
        Assert.That(answers, Has.Count.EqualTo(2));
        Assert.That(juliet.Manager.Count, Is.Zero);
    }

    [Test]
    public void Unknown_xtls_request_is_answered_feature_not_implemented()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Iq("set", "p1", Link.RomeoJid, Link.JulietJid, "<proceed xmlns='urn:xmpp:tmp:xtls'/>"), Now);

        Assert.That(Stanzas.ErrorCondition(juliet.TakeSingleStanza()), Is.EqualTo("feature-not-implemented"));
    }
}
