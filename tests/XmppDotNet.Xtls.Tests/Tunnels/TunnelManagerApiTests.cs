using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>What the manager consumes, its ids, options and the contract of its methods.</summary>
public class TunnelManagerApiTests
{
    private static readonly DateTimeOffset Now = Link.T0;
    private static readonly Jid Romeo = Jid.Parse(Link.RomeoJid);
    private static readonly Jid Juliet = Jid.Parse(Link.JulietJid);
    private static readonly string[] OrderWhileDraining = [nameof(ProceedReceived), nameof(StartTls), nameof(SendStanza)];

    [Test]
    public void Stanzas_that_are_not_xtls_are_left_to_the_host()
    {
        var manager = new TunnelManager(Juliet);
        XElement[] others =
        [
            XElement.Parse($"<message xmlns='jabber:client' from='{Link.RomeoJid}' to='{Link.JulietJid}'><body>hi</body></message>"),
            XElement.Parse($"<message xmlns='jabber:client' from='{Link.RomeoJid}'><data xmlns='urn:xmpp:tmp:xtls'>AAEC</data></message>"),
            Stanzas.Iq("get", "q1", Link.RomeoJid, Link.JulietJid, "<query xmlns='http://jabber.org/protocol/disco#info'/>"),
            Stanzas.Iq("result", "host-1", Link.RomeoJid, Link.JulietJid),
            Stanzas.Iq("error", "host-2", Link.RomeoJid, Link.JulietJid, "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"),
            Stanzas.Start("s1", Link.RomeoJid, "juliet@capulet.com/other"),
            Stanzas.Start("s2", Link.RomeoJid, "not a jid@@"),
            XElement.Parse($"<iq xmlns='urn:example' type='set' id='x' from='{Link.RomeoJid}'><start xmlns='urn:xmpp:tmp:xtls'/></iq>"),
        ];

        foreach (XElement stanza in others)
        {
            Assert.That(manager.HandleIncoming(stanza, Now), Is.False, stanza.ToString());
        }

        Assert.That(manager.TryDequeue(out _), Is.False);
    }

    [Test]
    public void Results_to_unknown_ids_are_consumed_only_with_an_xtls_child()
    {
        var manager = new TunnelManager(Juliet);
        Assert.That(manager.HandleIncoming(Stanzas.Iq("result", "zz", Link.RomeoJid, Link.JulietJid, "<closed xmlns='urn:xmpp:tmp:xtls'/>"), Now), Is.True);
        Assert.That(manager.HandleIncoming(Stanzas.Iq("result", "zz", Link.RomeoJid, Link.JulietJid), Now), Is.False);
        Assert.That(manager.TryDequeue(out _), Is.False);
    }

    [Test]
    public void Answers_to_ids_this_manager_issued_are_consumed_even_when_forgotten_and_only_those()
    {
        var romeo = new Endpoint(Link.RomeoJid, idPrefix: "rx-");
        romeo.Manager.Open(Juliet, "x509", null, Now);
        XElement start = romeo.TakeSingleStanza();
        romeo.Manager.Tick(Now + TimeSpan.FromMinutes(5));
        string closeId = Stanzas.Id(romeo.TakeSingleStanza());

        Assert.That(romeo.Manager.HandleIncoming(Stanzas.Iq("result", closeId, Link.JulietJid, Link.RomeoJid), Now), Is.True, "the fire-and-forget close");
        Assert.That(romeo.Manager.HandleIncoming(Stanzas.Error(start, "item-not-found"), Now), Is.True);
        Assert.That(romeo.Manager.HandleIncoming(Stanzas.Iq("result", "rx-zz", Link.JulietJid, Link.RomeoJid), Now), Is.False, "never issued");
        Assert.That(romeo.Manager.HandleIncoming(Stanzas.Iq("result", "rx-01", Link.JulietJid, Link.RomeoJid), Now), Is.False, "not a counter");
        Assert.That(romeo.Manager.HandleIncoming(Stanzas.Iq("result", "ry-1", Link.JulietJid, Link.RomeoJid), Now), Is.False, "another prefix");
    }

    [Test]
    public void Ids_are_unique_compact_and_never_reused()
    {
        var link = new Link(new TunnelManagerOptions { ChunkSize = 256, Window = 4 });
        link.Establish(link.Romeo);
        for (int i = 0; i < 300; i++)
        {
            link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, new byte[300], null, Now);
            link.Run();
        }

        link.Romeo.Manager.Close(link.Juliet.Jid, Now);
        link.Run();
        link.Establish(link.Romeo);

        List<string> ids = [.. link.Romeo.Sent.Where(s => Stanzas.Type(s) == "set").Select(Stanzas.Id)];
        Assert.That(ids, Has.Count.GreaterThan(600));
        Assert.That(ids, Is.Unique);
        Assert.That(ids.Max(id => id.Length), Is.LessThanOrEqualTo(6), "prefix 'r-' and a base-36 counter");
    }

    [Test]
    public void Default_id_prefix_is_random_per_manager()
    {
        var a = new TunnelManager(Romeo);
        var b = new TunnelManager(Romeo);
        a.Open(Juliet, "x509", null, Now);
        b.Open(Juliet, "x509", null, Now);
        a.TryDequeue(out TunnelOutput? fromA);
        b.TryDequeue(out TunnelOutput? fromB);

        string idA = Stanzas.Id(((SendStanza)fromA!).Stanza);
        string idB = Stanzas.Id(((SendStanza)fromB!).Stanza);
        Assert.That(idA, Does.Match("^x[0-9a-z]{5}-1$"));
        Assert.That(idA, Is.Not.EqualTo(idB));
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("0123456789abcdef0123456789abcdef0")]
    public void Invalid_id_prefixes_are_refused(string prefix) =>
        Assert.Throws<ArgumentException>(() => _ = new TunnelManager(Romeo, null, prefix));

    [Test]
    public void The_local_jid_must_be_full() =>
        Assert.Throws<ArgumentException>(() => _ = new TunnelManager(Romeo.Bare));

    [TestCase(nameof(TunnelManagerOptions.ChunkSize), 255)]
    [TestCase(nameof(TunnelManagerOptions.ChunkSize), 65537)]
    [TestCase(nameof(TunnelManagerOptions.Window), 0)]
    [TestCase(nameof(TunnelManagerOptions.MaxQueuedCiphertextBytes), 1000)]
    [TestCase(nameof(TunnelManagerOptions.MaxPendingTokens), 0)]
    [TestCase(nameof(TunnelManagerOptions.MaxInboundChunkBytes), 100)]
    [TestCase(nameof(TunnelManagerOptions.MaxTunnels), 0)]
    [TestCase(nameof(TunnelManagerOptions.MaxTunnelsPerBareJid), 0)]
    [TestCase(nameof(TunnelManagerOptions.MaxPendingIncoming), 0)]
    [TestCase(nameof(TunnelManagerOptions.WaitRetryLimit), 11)]
    public void Out_of_range_sizes_are_refused(string property, int value)
    {
        var options = new TunnelManagerOptions();
        typeof(TunnelManagerOptions).GetProperty(property)!.SetValue(options, value);

        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TunnelManager(Romeo, options))!;
        Assert.That(e.ParamName, Is.EqualTo(property));
    }

    [TestCase(nameof(TunnelManagerOptions.StartTimeout), 0)]
    [TestCase(nameof(TunnelManagerOptions.HandshakeTimeout), -1)]
    [TestCase(nameof(TunnelManagerOptions.ProgressTimeout), 0)]
    [TestCase(nameof(TunnelManagerOptions.CloseTimeout), 100_000)]
    [TestCase(nameof(TunnelManagerOptions.IncomingDecisionTimeout), 0)]
    [TestCase(nameof(TunnelManagerOptions.WaitRetryDelay), 61)]
    public void Out_of_range_timeouts_are_refused(string property, int seconds)
    {
        var options = new TunnelManagerOptions();
        typeof(TunnelManagerOptions).GetProperty(property)!.SetValue(options, TimeSpan.FromSeconds(seconds));

        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TunnelManager(Romeo, options));
    }

    [Test]
    public void Supported_methods_must_be_implemented_ones()
    {
        Assert.Throws<ArgumentException>(() => _ = new TunnelManager(Romeo, new TunnelManagerOptions { SupportedMethods = new HashSet<string>() }));
        Assert.Throws<ArgumentException>(() => _ = new TunnelManager(Romeo, new TunnelManagerOptions { SupportedMethods = new HashSet<string> { "openpgp" } }));
        Assert.DoesNotThrow(() => _ = new TunnelManager(Romeo, new TunnelManagerOptions { SupportedMethods = new HashSet<string> { "srp" } }));
    }

    [Test]
    public void Options_are_copied_at_construction()
    {
        var methods = new HashSet<string> { "x509", "srp" };
        var options = new TunnelManagerOptions { Window = 1, SupportedMethods = methods };
        var romeo = new Endpoint(Link.RomeoJid, options);
        options.Window = 8;
        methods.Remove("srp");

        romeo.Manager.Open(Juliet, "srp", null, Now);
        XElement start = romeo.TakeSingleStanza();
        romeo.Receive(Stanzas.Result(start), Now);
        romeo.Manager.SendCiphertext(Juliet, [1], null, Now);
        romeo.Manager.SendCiphertext(Juliet, [2], null, Now);

        Assert.That(romeo.TakeOutbox(), Has.Count.EqualTo(1), "the window stayed 1");
    }

    [Test]
    public void Calls_made_while_draining_append_to_the_outputs()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Now);
        link.Run();
        link.Juliet.Manager.Accept(link.Romeo.Jid, null, Now);
        link.Juliet.Drain();
        link.Romeo.Manager.HandleIncoming(Endpoint.Reparse(link.Juliet.Outbox.Dequeue()), Now);

        var seen = new List<TunnelOutput>();
        while (link.Romeo.Manager.TryDequeue(out TunnelOutput? output))
        {
            seen.Add(output);
            if (output is StartTls)
            {
                // The TLS layer answers StartTls at once with its first flight.
                link.Romeo.Manager.SendCiphertext(link.Juliet.Jid, "client-hello"u8, "hello", Now);
            }
        }

        Assert.That(seen.Select(o => o.GetType().Name), Is.EqualTo(OrderWhileDraining));
        Assert.That(Stanzas.XtlsName(((SendStanza)seen[2]).Stanza), Is.EqualTo("data"));
    }

    [Test]
    public void Handshake_completed_reports_whether_the_tunnel_is_open()
    {
        var link = new Link();
        Assert.That(link.Romeo.Manager.HandshakeCompleted(link.Juliet.Jid, Now), Is.False, "no tunnel");

        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Now);
        Assert.That(link.Romeo.Manager.HandshakeCompleted(link.Juliet.Jid, Now), Is.False, "TLS has not started");
        Assert.That(link.Romeo.Manager.GetState(link.Juliet.Jid), Is.EqualTo(TunnelState.Starting));

        link.Run();
        link.Juliet.Manager.Accept(link.Romeo.Jid, null, Now);
        link.Run();
        Assert.That(link.Juliet.Manager.HandshakeCompleted(link.Romeo.Jid, Now), Is.False, "the responder's TLS has not started");
        Assert.That(link.Romeo.Manager.HandshakeCompleted(link.Juliet.Jid, Now), Is.True);
        Assert.That(link.Romeo.Manager.HandshakeCompleted(link.Juliet.Jid, Now), Is.True, "idempotent");

        link.Romeo.Manager.Close(link.Juliet.Jid, Now);
        Assert.That(link.Romeo.Manager.HandshakeCompleted(link.Juliet.Jid, Now), Is.False, "closing");
    }

    [Test]
    public void Fail_close_and_peer_unavailable_without_a_tunnel_do_nothing()
    {
        var romeo = new Endpoint(Link.RomeoJid);
        Assert.That(romeo.Manager.Fail(Juliet, TunnelCloseReason.TlsFailure, null, Now), Is.False);
        Assert.That(romeo.Manager.Close(Juliet, Now), Is.False);
        Assert.That(romeo.Manager.PeerUnavailable(Juliet, Now), Is.Zero);
        romeo.Drain();
        Assert.That(romeo.Sent, Is.Empty);
        Assert.That(romeo.Events, Is.Empty);
    }

    [Test]
    public void Fail_on_a_pending_request_refuses_it_with_the_given_reason()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid), Now);

        juliet.Manager.Fail(Romeo, TunnelCloseReason.LimitExceeded, "no room", Now);

        Assert.That(Stanzas.ErrorCondition(juliet.TakeSingleStanza()), Is.EqualTo("not-acceptable"));
        Assert.That(juliet.TakeSingle<TunnelEnded>().Reason, Is.EqualTo(TunnelCloseReason.LimitExceeded));
    }

    [Test]
    public void Close_twice_sends_one_close()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.Close(link.Juliet.Jid, Now);
        link.Romeo.Manager.Close(link.Juliet.Jid, Now);

        Assert.That(link.Romeo.TakeOutbox(), Has.Count.EqualTo(1));
    }

    [Test]
    public void Every_tunnel_ends_exactly_once()
    {
        var link = new Link();
        link.Establish(link.Romeo);
        link.Romeo.Manager.Close(link.Juliet.Jid, Now);
        link.Romeo.Manager.PeerUnavailable(link.Juliet.Jid, Now);
        link.Romeo.Manager.Tick(Now + TimeSpan.FromHours(1));
        link.Run();

        Assert.That(link.Romeo.Take<TunnelEnded>(), Has.Count.EqualTo(1));
        Assert.That(link.Juliet.Take<TunnelEnded>(), Has.Count.EqualTo(1));
    }
}
