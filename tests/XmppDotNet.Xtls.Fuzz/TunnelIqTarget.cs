using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Fuzz;

/// <summary>
/// The tunnel state machine fed with IQs: the input is a sequence of stanzas in <c>jabber:client</c>
/// (any XML, Base64 data payloads included) offered one by one to a <see cref="TunnelManager"/>, which
/// has opened a tunnel to one peer and answers like a host: it accepts requests, starts TLS, sends
/// ciphertext, acknowledges data, closes some tunnels and reports a close_notify from the peer on
/// others. <see cref="TunnelManager.HandleIncoming(System.Xml.Linq.XElement, DateTimeOffset)"/> documents no exception, so any exception from it
/// is a finding; so is an output that breaks a documented rule. The host's own calls may throw their
/// documented <see cref="TunnelStateException"/> and <see cref="TunnelBackpressureException"/>.
/// </summary>
internal static class TunnelIqTarget
{
    public const string LocalJid = "me@example.com/fuzz";
    public const string PeerJid = "peer@example.com/b";

    // Ids this manager sends are "f-1", "f-2", ...: short, so that results to them are easy to hit.
    private const string IdPrefix = "f-";
    private const int MaxStanzas = 64;
    private const int MaxEvents = 4096;

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Run(byte[] input)
    {
        var stanzas = new List<object>();
        var parser = new XmlStreamParser(new XmlStreamParserOptions { ExpectStreamHeader = false, MaxStanzaBytes = 16 * 1024 });
        try
        {
            parser.Parse(input, stanzas);
        }
        catch (XmlStreamException)
        {
            // What was complete before the bad byte is still offered, as a host would have done.
        }

        var manager = new TunnelManager(Jid.Parse(LocalJid), new TunnelManagerOptions { ChunkSize = 256, Window = 2 }, IdPrefix);
        var peer = Jid.Parse(PeerJid);
        DateTimeOffset now = Epoch;
        manager.Open(peer, "x509", null, now);
        var driver = new Driver(manager);
        driver.Drain(now);

        foreach (XElement stanza in stanzas.OfType<XElement>().Take(MaxStanzas))
        {
            now += TimeSpan.FromSeconds(1);
            manager.HandleIncoming(stanza, now);
            driver.Drain(now);
            manager.Tick(now);
            driver.Drain(now);
        }

        // Once time runs out, a tunnel is open (idle tunnels have no timeout) or gone: none may hang halfway.
        now += TimeSpan.FromHours(1);
        for (int round = 0; round < 8 && manager.NextDeadline is not null; round++)
        {
            manager.Tick(now);
            driver.Drain(now);
            now += TimeSpan.FromHours(1);
        }

        List<TunnelState?> left = [.. driver.Remotes.Select(manager.GetState).Where(state => state is not null)];
        if (manager.NextDeadline is not null || left.Count != manager.Count || left.Any(state => state != TunnelState.Open))
        {
            throw new InvalidOperationException(
                $"After every timeout: {manager.Count} tunnel(s) left, states [{string.Join(", ", left)}], next deadline {manager.NextDeadline?.ToString("O", CultureInfo.InvariantCulture) ?? "none"}.");
        }
    }

    /// <summary>Plays the host: reacts to each output as the XTLS pipeline would.</summary>
    private sealed class Driver(TunnelManager manager)
    {
        private readonly HashSet<Jid> _remotes = [Jid.Parse(PeerJid)];

        private int _events;

        /// <summary>Every peer an output named.</summary>
        public IEnumerable<Jid> Remotes => _remotes;

        public void Drain(DateTimeOffset now)
        {
            while (manager.TryDequeue(out TunnelOutput? output))
            {
                if (++_events > MaxEvents)
                {
                    throw new InvalidOperationException($"More than {MaxEvents} outputs for {MaxStanzas} stanzas: the manager does not converge.");
                }

                try
                {
                    React(output, now);
                }
                catch (TunnelStateException)
                {
                    // Documented: the tunnel ended (or changed) before the host got to react.
                }
                catch (TunnelBackpressureException)
                {
                    // Documented: the queue to the peer is full; the host tries later.
                }
            }
        }

        private void React(TunnelOutput output, DateTimeOffset now)
        {
            Jid? remote = output switch
            {
                IncomingRequest o => o.Remote,
                StartTls o => o.Remote,
                TunnelEnded o => o.Remote,
                _ => null,
            };
            if (remote is not null)
            {
                _remotes.Add(remote);
            }

            switch (output)
            {
                case SendStanza send:
                    CheckOutgoing(send.Stanza);
                    break;
                case IncomingRequest request:
                    manager.Accept(request.Remote, null, now);
                    break;
                case StartTls start:
                    // A ClientHello of the size of a real one, so that several data IQs go out.
                    manager.SendCiphertext(start.Remote, new byte[600], "hello", now);
                    break;
                case CiphertextReceived data:
                    if (data.Data.Length > TunnelManagerOptions.MaxChunkSize)
                    {
                        throw new InvalidOperationException($"A chunk of {data.Data.Length} bytes was delivered.");
                    }

                    manager.AcknowledgeData(data.Remote, data.IqId);
                    if (manager.HandshakeCompleted(data.Remote, now) && data.Data.Length % 2 == 1)
                    {
                        manager.Close(data.Remote, now);
                    }
                    else if (data.Data.Length % 3 == 2)
                    {
                        // As if these bytes carried the peer's close_notify: its close must follow, or the tunnel ends.
                        manager.PeerClosedTls(data.Remote, now);
                    }

                    break;
            }
        }

        private static void CheckOutgoing(XElement stanza)
        {
            if (stanza.Name.LocalName != "iq" || stanza.Attribute("id") is null || stanza.Attribute("type") is null)
            {
                throw new InvalidOperationException($"An outgoing stanza is not a complete IQ: {stanza}");
            }
        }
    }
}
