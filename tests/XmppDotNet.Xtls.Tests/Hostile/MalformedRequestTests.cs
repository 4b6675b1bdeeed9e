using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>XTLS requests that do not fit the protocol: each gets its defined error, and a broken chunk ends its tunnel.</summary>
public class MalformedRequestTests
{
    private XtlsPair _pair = null!;
    private int _requestsSeenByRomeo;

    [SetUp]
    public async Task SetUp()
    {
        _requestsSeenByRomeo = 0;
        _pair = await XtlsPair.StartAsync(
            romeoOptions: o => o.AcceptIncoming = (_, _) =>
            {
                Interlocked.Increment(ref _requestsSeenByRomeo);
                return ValueTask.FromResult(true);
            },
            configureRouter: r => r.AddAccount("nurse", "n-pass"));
    }

    [TearDown]
    public async Task TearDown() => await _pair.DisposeAsync();

    [Test]
    public async Task Data_for_a_tunnel_that_does_not_exist_is_answered_with_item_not_found()
    {
        await using XmppClient nurse = await PlainClientAsync();

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await nurse.SendIqAsync(DataIq.Data(nurse.NextId(), _pair.Romeo.Jid, "FwMDAAEA")).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ItemNotFound));
        Assert.That(error.Error.Type, Is.EqualTo(StanzaErrorType.Cancel));
        Assert.That(Stanza.GetFrom(error.Stanza!), Is.EqualTo(_pair.Romeo.Jid));
    }

    [Test]
    public async Task Close_for_a_tunnel_that_does_not_exist_is_answered_with_item_not_found()
    {
        await using XmppClient nurse = await PlainClientAsync();

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await nurse.SendIqAsync(Stanza.Iq("set", nurse.NextId(), _pair.Romeo.Jid, XtlsElements.Close())).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ItemNotFound));
    }

    [Test]
    public async Task Data_from_a_third_party_for_an_open_tunnel_is_answered_with_item_not_found_and_leaves_the_tunnel_alone()
    {
        await OpenTunnel.SettledAsync(_pair);
        await using XmppClient nurse = await PlainClientAsync();

        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await nurse.SendIqAsync(DataIq.Data(nurse.NextId(), _pair.Juliet.Jid, "FwMDAAEA")).WaitAsync(XtlsPair.Bound));
        await _pair.Romeo.SendAsync(XtlsPair.Chat(_pair.Juliet.Jid, "still private")).WaitAsync(XtlsPair.Bound);

        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.ItemNotFound));
        XElement received = await XtlsPair.NextMessageAsync(_pair.JulietInbox);
        Assert.That(received.Value, Is.EqualTo("still private"));
        Assert.That(received.IsFromXtlsTunnel(), Is.True);
    }

    [TestCase("two offers", "<offer xmlns='urn:xmpp:tmp:c2ctls'/><offer xmlns='urn:xmpp:tmp:c2ctls'/>")]
    [TestCase("two keyinfos", "<offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name>AB</name></keyinfo><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name>CD</name></keyinfo></offer>")]
    [TestCase("a fingerprint with a space", "<offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name>AB CD</name></keyinfo></offer>")]
    [TestCase("markup in the fingerprint", "<offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name><b>AB</b></name></keyinfo></offer>")]
    [TestCase("too many children", "<x/><x/><x/><x/><x/><x/><x/><x/><x/><x/><x/><x/><x/><x/><x/><x/><x/>")]
    public async Task A_start_with_a_malformed_offer_is_answered_with_bad_request_and_creates_no_tunnel(string what, string startContent)
    {
        XElement start = XElement.Parse($"<start xmlns='{XtlsNamespaces.Xtls}'>{startContent}</start>");

        // Juliet has XTLS too; she sends the malformed request by hand.
        XmppStanzaException? error = await Assert.ThrowsAsync<XmppStanzaException>(
            async () => await _pair.Juliet.SendIqAsync(Stanza.Iq("set", _pair.Juliet.NextId(), _pair.Romeo.Jid, start)).WaitAsync(XtlsPair.Bound), what);

        Assert.That(error!.Error.Condition, Is.EqualTo(StanzaErrorConditions.BadRequest), what);
        Assert.That(error.Error.Type, Is.EqualTo(StanzaErrorType.Modify));
        Assert.That(Volatile.Read(ref _requestsSeenByRomeo), Is.Zero, "no request reached the accept policy");
        Assert.That(_pair.RomeoXtls.OpenTunnels, Is.Empty);
    }

    [Test]
    public async Task A_well_formed_start_sent_the_same_way_does_reach_the_accept_policy()
    {
        // From a plain client: Juliet's own XTLS handler would take the proceed for itself.
        await using XmppClient nurse = await PlainClientAsync();
        XElement start = XElement.Parse($"<start xmlns='{XtlsNamespaces.Xtls}'/>");

        XElement proceed = await nurse.SendIqAsync(Stanza.Iq("set", nurse.NextId(), _pair.Romeo.Jid, start)).WaitAsync(XtlsPair.Bound);

        Assert.That(proceed.Element(XtlsElements.ProceedName), Is.Not.Null);
        Assert.That(Volatile.Read(ref _requestsSeenByRomeo), Is.EqualTo(1));
    }

    [TestCase("@@@@")]
    [TestCase("QUJD=")]
    [TestCase("QR==")]
    [TestCase("QUJD====")]
    public async Task A_chunk_with_bad_base64_is_answered_with_bad_request_and_ends_the_tunnel_on_both_sides(string text)
    {
        var mitm = new ServerInTheMiddle(_pair.Router);
        await OpenTunnel.SettledAsync(_pair);
        _ = mitm.Once(ServerInTheMiddle.DataFrom(_pair.Romeo.Jid), iq => [DataIq.WithText(iq, text)]);

        (XtlsTunnelClosedEventArgs atJuliet, XtlsTunnelClosedEventArgs atRomeo, XtlsTunnelException error) = await SendThroughBrokenChunkAsync();

        Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.MalformedData));
        Assert.That(atRomeo.Reason, Is.EqualTo(TunnelCloseReason.PeerError));
        Assert.That(atRomeo.Detail, Does.Contain(StanzaErrorConditions.BadRequest));
        Assert.That(error.Reason, Is.EqualTo(TunnelCloseReason.PeerError));
        Assert.That(_pair.JulietInbox.Reader.TryRead(out _), Is.False);
    }

    [Test]
    public async Task A_chunk_with_child_elements_is_answered_with_bad_request_and_ends_the_tunnel()
    {
        var mitm = new ServerInTheMiddle(_pair.Router);
        await OpenTunnel.SettledAsync(_pair);
        _ = mitm.Once(ServerInTheMiddle.DataFrom(_pair.Romeo.Jid), iq =>
        {
            XElement copy = new(iq);
            copy.Element(XtlsElements.DataName)!.Add(new XElement(XName.Get("extra", "urn:example")));
            return [copy];
        });

        (XtlsTunnelClosedEventArgs atJuliet, XtlsTunnelClosedEventArgs atRomeo, _) = await SendThroughBrokenChunkAsync();

        Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.MalformedData));
        Assert.That(atRomeo.Detail, Does.Contain(StanzaErrorConditions.BadRequest));
    }

    [Test]
    public async Task A_chunk_inflated_beyond_the_inbound_limit_is_answered_with_policy_violation_and_ends_the_tunnel()
    {
        var mitm = new ServerInTheMiddle(_pair.Router);
        await OpenTunnel.SettledAsync(_pair);
        _ = mitm.Once(ServerInTheMiddle.DataFrom(_pair.Romeo.Jid), iq => [DataIq.WithPayload(iq, new byte[new TunnelManagerOptions().MaxInboundChunkBytes + 1])]);

        (XtlsTunnelClosedEventArgs atJuliet, XtlsTunnelClosedEventArgs atRomeo, XtlsTunnelException error) = await SendThroughBrokenChunkAsync();

        Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.LimitExceeded));
        Assert.That(atRomeo.Detail, Does.Contain(StanzaErrorConditions.PolicyViolation));
        Assert.That(error.Reason, Is.EqualTo(TunnelCloseReason.PeerError));
    }

    /// <summary>Sends one stanza through the tunnel whose next chunk the server breaks; returns both ends and the sender's error.</summary>
    private async Task<(XtlsTunnelClosedEventArgs AtJuliet, XtlsTunnelClosedEventArgs AtRomeo, XtlsTunnelException Error)> SendThroughBrokenChunkAsync()
    {
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(_pair.JulietXtls);
        Task<XtlsTunnelClosedEventArgs> romeoClosed = Watch.NextClosed(_pair.RomeoXtls);

        Task sent = _pair.Romeo.SendAsync(XtlsPair.Chat(_pair.Juliet.Jid, "broken in transit"));
        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await sent.WaitAsync(XtlsPair.Bound));
        XtlsTunnelClosedEventArgs atJuliet = await julietClosed;
        XtlsTunnelClosedEventArgs atRomeo = await romeoClosed;
        Assert.That(atJuliet.WasOpen, Is.True);
        Assert.That(atRomeo.UndeliveredStanzas, Is.EqualTo(1));
        Assert.That(_pair.JulietInbox.Reader.TryRead(out _), Is.False);
        return (atJuliet, atRomeo, error!);
    }

    private async Task<XmppClient> PlainClientAsync()
    {
        XmppClient nurse = new XmppClientBuilder()
            .WithJid("nurse@capulet.lit")
            .WithPassword("n-pass")
            .WithResource("kitchen")
            .WithInMemoryRouter(_pair.Router)
            .Configure(o => o.SendInitialPresence = false)
            .Build();
        await nurse.ConnectAsync().WaitAsync(XtlsPair.Bound);
        return nurse;
    }
}
