using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Demo.Demo;

/// <summary>
/// The embedded demo: Romeo and Juliet log in to an in-memory XMPP server, open an XTLS tunnel and talk
/// through it, while the page shows what each side did, what the server saw, and what arrived. Every phase
/// is printed once it is complete, so the page reads the same on every run; the checks made along the way
/// decide the exit code.
/// </summary>
internal sealed class DemoScenario
{
    /// <summary>The domain of the in-memory server.</summary>
    public const string Domain = "capulet.lit";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly (bool Romeo, string Text)[] Script =
    [
        (true, "But soft, what light through yonder window breaks?"),
        (false, "O Romeo, Romeo, wherefore art thou Romeo?"),
        (true, "Call me but love, and I'll be new baptized."),
        (false, "Good night, good night! Parting is such sweet sorrow."),
    ];

    private readonly DemoLayout _page;
    private readonly DemoReport _report = new();
    private readonly Stopwatch _clock = new();
    private readonly WireTotals _totals = new();
    private WireTap _tap = null!;

    /// <summary>Creates the scenario for a page.</summary>
    public DemoScenario(DemoLayout page) => _page = page;

    /// <summary>The lines of the conversation, for tests.</summary>
    public static IReadOnlyList<string> Lines => [.. Script.Select(line => line.Text)];

    /// <summary>Runs the demo and returns what it checked.</summary>
    /// <exception cref="TimeoutException">A step took longer than 30 s.</exception>
    /// <exception cref="XtlsTunnelException">The tunnel could not be opened.</exception>
    /// <exception cref="XmppException">A client could not log in.</exception>
    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken)
    {
        _clock.Start();
        _page.Line(_page.Style.Bold("xtls demo") + ": Romeo and Juliet open an end-to-end TLS tunnel (XTLS, urn:xmpp:tmp:xtls) through an");
        _page.Line("XMPP server that routes every byte of it and can read none of it.");

        await using var router = new InMemoryRouter(Domain);
        _tap = new WireTap(router);
        await router.StartAsync().ConfigureAwait(false);
        await using DemoActor romeo = await DemoActor.StartAsync(router, "romeo", "orchard", _page.Style.Green, cancellationToken).ConfigureAwait(false);
        await using DemoActor juliet = await DemoActor.StartAsync(router, "juliet", "balcony", _page.Style.Magenta, cancellationToken).ConfigureAwait(false);

        await LogInAsync(romeo, juliet, cancellationToken).ConfigureAwait(false);
        await OpenAsync(romeo, juliet, cancellationToken).ConfigureAwait(false);
        await TalkAsync(romeo, juliet, cancellationToken).ConfigureAwait(false);
        await CloseAsync(romeo, juliet, cancellationToken).ConfigureAwait(false);
        Summarise();
        _page.Flush();
        return _report;
    }

    private async Task LogInAsync(DemoActor romeo, DemoActor juliet, CancellationToken cancellationToken)
    {
        _page.Section("1  Two clients log in to an XMPP server (in memory, no network)");
        Row("server", _page.Style.Yellow, "started", $"an in-memory XMPP router for {Domain}");
        foreach (DemoActor actor in new[] { romeo, juliet })
        {
            Row(actor, "online", $"{actor.Jid} (SCRAM-SHA-256, resource bound)");
        }

        foreach (DemoActor actor in new[] { romeo, juliet })
        {
            Row(actor, "identity", $"a self-signed ECDSA P-256 certificate; its SHA-256 fingerprint:");
            _page.More(_page.Style.Bold(actor.Identity.Fingerprint.ToString()));
        }

        IReadOnlySet<string> features = await romeo.Client.QueryFeaturesAsync(juliet.Jid, cancellationToken: cancellationToken).WaitAsync(Bound, cancellationToken).ConfigureAwait(false);
        bool supported = _report.Check(features.Contains(XtlsNamespaces.Xtls), "juliet does not announce urn:xmpp:tmp:xtls");
        Row(romeo, "disco#info", supported ? $"{juliet.Name} announces {XtlsNamespaces.Xtls}: she can do XTLS" : $"{juliet.Name} does not announce XTLS");
    }

    private async Task OpenAsync(DemoActor romeo, DemoActor juliet, CancellationToken cancellationToken)
    {
        _page.Section("2  Romeo opens a tunnel: start/proceed, then a TLS handshake carried in IQs");
        int mark = _tap.Count;
        var handshake = Stopwatch.StartNew();
        XtlsTunnel romeoSide = await romeo.Xtls.OpenAsync(juliet.Jid, cancellationToken: cancellationToken).WaitAsync(Bound, cancellationToken).ConfigureAwait(false);
        XtlsTunnel julietSide = await juliet.Opened.Task.WaitAsync(Bound, cancellationToken).ConfigureAwait(false);
        handshake.Stop();
        await _tap.SettledAsync(Bound).ConfigureAwait(false);

        IReadOnlyList<WireEvent> events = _tap.Since(mark);
        ShowEvents(events, romeo, juliet, closing: false);
        _totals.Handshake.Add(events);
        _page.Line();
        Row("tunnel", _page.Style.Cyan, "open", $"after {Milliseconds(handshake.Elapsed)}: {romeoSide.ProtocolVersion}, {romeoSide.CipherSuite}, method {XtlsMethodNames.ToWire(romeoSide.Method)}");
        _page.More("(both sides present a certificate: mutual authentication)");
        ShowVerified(romeo, juliet, romeoSide);
        ShowVerified(juliet, romeo, julietSide);

        _report.Check(romeoSide.ProtocolVersion == julietSide.ProtocolVersion && romeoSide.CipherSuite == julietSide.CipherSuite, "the two sides disagree about the TLS version or cipher suite");
        _report.Check(romeoSide.Initiator && !julietSide.Initiator, "the roles are wrong");
        _totals.HandshakeTime = handshake.Elapsed;
    }

    private void ShowVerified(DemoActor self, DemoActor other, XtlsTunnel tunnel)
    {
        bool matches = _report.Check(tunnel.PeerFingerprint == other.Identity.Fingerprint, $"{self.Name} saw a certificate that is not {other.Name}'s");
        _report.Check(tunnel.LocalFingerprint == self.Identity.Fingerprint, $"{self.Name} did not present its own certificate");
        TrustResult? verdict = self.Trust.FirstVerdict(other.Jid);
        _report.Check(verdict?.IsTrusted == true, $"{self.Name} did not trust {other.Name}");
        string trust = verdict?.Reason == TrustReason.FirstUse ? "trusted on first use (TOFU) and remembered" : verdict?.Reason.ToString() ?? "not asked";
        Row(self, "verified", $"{other.Name}'s certificate{(matches ? $" is the one {other.Name} has" : " is NOT the one " + other.Name + " has")}; {trust}:");
        _page.More(_page.Style.Bold(tunnel.PeerFingerprint?.ToString() ?? "(none)"));
    }

    private async Task TalkAsync(DemoActor romeo, DemoActor juliet, CancellationToken cancellationToken)
    {
        _page.Section("3  A conversation through the tunnel");
        int delivered = 0;
        foreach ((bool byRomeo, string text) in Script)
        {
            DemoActor sender = byRomeo ? romeo : juliet;
            DemoActor receiver = byRomeo ? juliet : romeo;
            int mark = _tap.Count;
            var message = new XElement(
                Stanza.MessageName,
                new XAttribute("to", receiver.Jid.ToString()),
                new XAttribute("type", "chat"),
                new XAttribute("id", sender.Client.NextId()),
                new XElement(XName.Get("body", XmppNamespaces.Client), text));
            _page.Line();
            Row(sender, "sends", StanzaWriter.ToXmlString(message));

            var roundTrip = Stopwatch.StartNew();
            await sender.Client.SendAsync(message).WaitAsync(Bound, cancellationToken).ConfigureAwait(false);
            roundTrip.Stop();
            XElement received = await receiver.NextMessageAsync(cancellationToken).AsTask().WaitAsync(Bound, cancellationToken).ConfigureAwait(false);
            await _tap.SettledAsync(Bound).ConfigureAwait(false);

            IReadOnlyList<WireEvent> events = _tap.Since(mark);
            foreach (WireEvent data in events.Where(e => e.Kind == WireKind.Data))
            {
                Row("server", _page.Style.Yellow, "saw", _page.Style.Yellow(data.ShortXml(48)));
            }

            _totals.Conversation.Add(events);
            _totals.PlaintextBytes += StanzaWriter.ToBytes(WithoutRouting(message)).Length;
            _totals.MessageTime += roundTrip.Elapsed;
            Row(receiver, "received", StanzaWriter.ToXmlString(received));
            if (CheckReceived(received, text, sender, receiver))
            {
                delivered++;
                _page.More(_page.Style.Dim($"through the tunnel; from/to restored from the outer IQ; acknowledged after {Milliseconds(roundTrip.Elapsed)}"));
            }
        }

        _totals.Delivered = delivered;
    }

    private bool CheckReceived(XElement received, string text, DemoActor sender, DemoActor receiver)
    {
        bool body = _report.Check(received.Element(XName.Get("body", XmppNamespaces.Client))?.Value == text, $"{receiver.Name} received a different text");
        bool from = _report.Check(Stanza.GetFrom(received) == sender.Jid && Stanza.GetTo(received) == receiver.Jid, $"{receiver.Name} received wrong addresses");
        bool tunnel = _report.Check(received.IsFromXtlsTunnel(out XtlsTunnel? through) && through.PeerFingerprint == sender.Identity.Fingerprint, $"{receiver.Name} received a message that did not come through the tunnel");
        bool hidden = _report.Check(!_tap.Everything.Any(stanza => stanza.Contains(text, StringComparison.Ordinal)), $"the server saw the text \"{text}\"");
        return body && from && tunnel && hidden;
    }

    private async Task CloseAsync(DemoActor romeo, DemoActor juliet, CancellationToken cancellationToken)
    {
        _page.Section("4  Closing: close_notify inside the tunnel, then close/closed");
        int mark = _tap.Count;
        await romeo.Xtls.CloseAsync(juliet.Jid, cancellationToken).WaitAsync(Bound, cancellationToken).ConfigureAwait(false);
        XtlsTunnelClosedEventArgs atJuliet = await juliet.Closed.Task.WaitAsync(Bound, cancellationToken).ConfigureAwait(false);
        await _tap.SettledAsync(Bound).ConfigureAwait(false);
        IReadOnlyList<WireEvent> events = _tap.Since(mark);
        ShowEvents(events, romeo, juliet, closing: true);
        _totals.Closing.Add(events);
        bool orderly = _report.Check(atJuliet.Reason == TunnelCloseReason.ClosedByPeer && atJuliet.UndeliveredStanzas == 0, $"juliet saw the tunnel end with {atJuliet.Reason}");
        _report.Check(romeo.Xtls.OpenTunnels.Count == 0 && juliet.Xtls.OpenTunnels.Count == 0, "a tunnel is still open");
        Row("tunnel", _page.Style.Cyan, "closed", orderly ? "in order on both sides; nothing left undelivered" : $"badly: {atJuliet.Reason}");
    }

    private void ShowEvents(IReadOnlyList<WireEvent> events, DemoActor romeo, DemoActor juliet, bool closing)
    {
        int acks = 0;
        foreach (WireEvent e in events)
        {
            if (e.Kind == WireKind.Ack)
            {
                acks++;
                continue;
            }

            bool fromRomeo = e.From == romeo.Jid;
            DemoActor sender = fromRomeo ? romeo : juliet;
            DemoActor receiver = fromRomeo ? juliet : romeo;
            string who = $"{sender.Colour(sender.Name)} -> {receiver.Colour(receiver.Name)}";
            _page.Row(who, sender.Name.Length + 4 + receiver.Name.Length, e.Element, Detail(e, closing));
        }

        if (acks > 0)
        {
            _page.More(_page.Style.Dim($"every <data/> was answered by an empty IQ-result ({acks} acknowledgements)"));
        }
    }

    private static string Detail(WireEvent e, bool closing) => e.Kind switch
    {
        WireKind.Start => "IQ-set: may we talk? " + Offer(e.Offer),
        WireKind.Proceed => "IQ-result: yes. " + Offer(e.Offer),
        WireKind.Data => string.Create(
            CultureInfo.InvariantCulture,
            $"{(e.Method is null ? string.Empty : $"method=\"{e.Method}\"; ")}{e.Tls!.Length} bytes of TLS as {e.Base64!.Length} Base64 characters: {(closing ? "close_notify (an encrypted alert)" : TlsRecords.Describe(e.Tls))}"),
        WireKind.Close => "IQ-set: the tunnel ends",
        WireKind.Closed => "IQ-result: ended on both sides",
        _ => e.Xml,
    };

    private static string Offer(XtlsOffer? offer) => offer switch
    {
        null => "(no offer)",
        { Fingerprint: { } fingerprint } => $"Offers its certificate {ShortFingerprint(fingerprint)}{(offer.Srp ? " and SRP" : string.Empty)}.",
        { Srp: true } => "Offers SRP.",
        _ => "(empty offer)",
    };

    private static string ShortFingerprint(string fingerprint) =>
        fingerprint.Length > 20 ? $"{fingerprint[..8]}…{fingerprint[^5..]}" : fingerprint;

    private void Summarise()
    {
        _clock.Stop();
        _page.Section("Summary");
        int handshakeTrips = _totals.Handshake.Requests;
        int messageTrips = _totals.Conversation.Requests;
        int closingTrips = _totals.Closing.Requests;
        _page.Fact("round trips", $"{handshakeTrips + messageTrips + closingTrips} IQ round trips: {handshakeTrips} to open, {messageTrips} for {Script.Length} messages, {closingTrips} to close");
        _page.Fact("handshake", $"{_totals.Handshake.TlsBytes} bytes of TLS in {_totals.Handshake.DataChunks} chunks; {_totals.Handshake.WireBytes} bytes of XML on the wire with start/proceed and acks");
        _page.Fact("messages", $"{_totals.PlaintextBytes} bytes of stanzas -> {_totals.Conversation.TlsBytes} bytes of TLS records -> {_totals.Conversation.Base64Chars} Base64 characters");
        _page.FactMore($"-> {_totals.Conversation.WireBytes} bytes of IQs on the wire, acks included ({Ratio(_totals.Conversation.WireBytes, _totals.PlaintextBytes)} the plaintext)");
        _page.Fact("time", $"handshake {Milliseconds(_totals.HandshakeTime)}; a message {Milliseconds(_totals.MessageTime / Math.Max(1, Script.Length))} from send to acknowledgement on average; whole demo {Milliseconds(_clock.Elapsed)}");
        _report.Check(_totals.Delivered == Script.Length, $"{Script.Length - _totals.Delivered} message(s) did not arrive as sent");
        string verdict = _report.Passed
            ? _page.Style.Green($"OK: {_totals.Delivered} of {Script.Length} messages arrived intact, from the right sender, through the tunnel; the server saw none of their text")
            : _page.Style.Red("FAILED: " + string.Join("; ", _report.Problems));
        _page.Fact("checks", verdict);
    }

    private static XElement WithoutRouting(XElement stanza)
    {
        var copy = new XElement(stanza);
        copy.Attribute("from")?.Remove();
        copy.Attribute("to")?.Remove();
        return copy;
    }

    private static string Ratio(int wire, int plain) =>
        plain == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{(double)wire / plain:0.0} times");

    private static string Milliseconds(TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0} ms");

    private void Row(DemoActor actor, string what, string detail) => _page.Row(actor.Colour(actor.Name), actor.Name.Length, what, detail);

    private void Row(string who, Func<string, string> colour, string what, string detail) => _page.Row(colour(who), who.Length, what, detail);


    private sealed class WireTotals
    {
        public PhaseTotals Handshake { get; } = new();

        public PhaseTotals Conversation { get; } = new();

        public PhaseTotals Closing { get; } = new();

        public int PlaintextBytes { get; set; }

        public int Delivered { get; set; }

        public TimeSpan HandshakeTime { get; set; }

        public TimeSpan MessageTime { get; set; }
    }

    private sealed class PhaseTotals
    {
        public int Requests { get; private set; }

        public int DataChunks { get; private set; }

        public int TlsBytes { get; private set; }

        public int Base64Chars { get; private set; }

        public int WireBytes { get; private set; }

        public void Add(IEnumerable<WireEvent> events)
        {
            foreach (WireEvent e in events)
            {
                Requests += e.IsRequest ? 1 : 0;
                DataChunks += e.Kind == WireKind.Data ? 1 : 0;
                TlsBytes += e.Tls?.Length ?? 0;
                Base64Chars += e.Base64?.Length ?? 0;
                WireBytes += e.WireBytes;
            }
        }
    }
}
