using System.Xml.Linq;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>Two endpoints joined by an in-order stanza path, with a clock the test moves by hand.</summary>
internal sealed class Link
{
    public const string RomeoJid = "romeo@montague.net/orchard";
    public const string JulietJid = "juliet@capulet.com/balcony";

    public Link(TunnelManagerOptions? romeoOptions = null, TunnelManagerOptions? julietOptions = null, string romeoJid = RomeoJid, string julietJid = JulietJid)
    {
        Romeo = new Endpoint(romeoJid, romeoOptions);
        Juliet = new Endpoint(julietJid, julietOptions);
    }

    public static DateTimeOffset T0 { get; } = new(2008, 12, 11, 12, 0, 0, TimeSpan.Zero);

    public Endpoint Romeo { get; }

    public Endpoint Juliet { get; }

    public DateTimeOffset Now { get; set; } = T0;

    public Endpoint Other(Endpoint endpoint) => endpoint == Romeo ? Juliet : Romeo;

    /// <summary>Delivers stanzas both ways, in order, until neither side has anything left to send.</summary>
    /// <returns>How many stanzas were delivered.</returns>
    public int Run()
    {
        int delivered = 0;
        while (true)
        {
            Romeo.Drain();
            Juliet.Drain();
            if (Romeo.Outbox.Count == 0 && Juliet.Outbox.Count == 0)
            {
                return delivered;
            }

            delivered += DeliverOne(Romeo);
            delivered += DeliverOne(Juliet);
        }
    }

    /// <summary>Delivers the stanzas an endpoint has sent so far (not the answers they cause).</summary>
    public int Deliver(Endpoint from)
    {
        from.Drain();
        int count = from.Outbox.Count;
        for (int i = 0; i < count; i++)
        {
            DeliverOne(from);
        }

        return count;
    }

    /// <summary>Opens a tunnel from the initiator, accepts it, and runs the whole handshake with fake TLS flights.</summary>
    public void Establish(Endpoint initiator, string method = "x509")
    {
        Endpoint responder = Other(initiator);
        initiator.Manager.Open(responder.Jid, method, null, Now);
        Run();
        responder.TakeSingle<IncomingRequest>();
        responder.Manager.Accept(initiator.Jid, null, Now);
        Run();
        initiator.TakeSingle<ProceedReceived>();
        initiator.TakeSingle<StartTls>();
        initiator.Manager.SendCiphertext(responder.Jid, "client-hello"u8, null, Now);
        Run();
        responder.TakeSingle<StartTls>();
        responder.Take<CiphertextReceived>();
        responder.Manager.SendCiphertext(initiator.Jid, "server-flight"u8, null, Now);
        Run();
        initiator.Take<CiphertextReceived>();
        initiator.Manager.SendCiphertext(responder.Jid, "client-finished"u8, null, Now);
        Run();
        responder.Take<CiphertextReceived>();
        Assert.That(initiator.Manager.HandshakeCompleted(responder.Jid, Now), Is.True);
        Assert.That(responder.Manager.HandshakeCompleted(initiator.Jid, Now), Is.True);
    }

    private int DeliverOne(Endpoint from)
    {
        if (!from.Outbox.TryDequeue(out XElement? stanza))
        {
            return 0;
        }

        Other(from).Receive(stanza, Now);
        return 1;
    }
}
