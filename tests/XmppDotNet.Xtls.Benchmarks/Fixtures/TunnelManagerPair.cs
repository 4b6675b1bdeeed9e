using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Benchmarks.Fixtures;

/// <summary>
/// Two <see cref="TunnelManager"/>s wired to each other through a function that stands for the server
/// (identity, or serialise and parse), taken to an open tunnel: the XTLS state machine with no TLS and no pipeline.
/// </summary>
public sealed class TunnelManagerPair
{
    private readonly Func<XElement, XElement> _wire;
    private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

    /// <summary>Opens a tunnel from <see cref="Initiator"/> to <see cref="Responder"/>.</summary>
    /// <param name="wire">What the path between the two does to a stanza.</param>
    /// <param name="options">The options of both managers, or <c>null</c> for the defaults.</param>
    public TunnelManagerPair(Func<XElement, XElement> wire, TunnelManagerOptions? options = null)
    {
        _wire = wire;
        Initiator = new TunnelManager(InitiatorJid, options, "a");
        Responder = new TunnelManager(ResponderJid, options, "b");
        Initiator.Open(ResponderJid, "x509", null, _now);
        Deliver(Initiator, Responder);
        Responder.Accept(InitiatorJid, null, _now);
        Deliver(Responder, Initiator);
        Initiator.SendCiphertext(ResponderJid, new byte[16], null, _now);
        Deliver(Initiator, Responder);
        Deliver(Responder, Initiator);
        _ = Initiator.HandshakeCompleted(ResponderJid, _now);
        _ = Responder.HandshakeCompleted(InitiatorJid, _now);
        if (Initiator.GetState(ResponderJid) != TunnelState.Open || Responder.GetState(InitiatorJid) != TunnelState.Open)
        {
            throw new InvalidOperationException("The tunnel did not open.");
        }
    }

    public static Jid InitiatorJid { get; } = Jid.Parse("romeo@montague.lit/orchard");

    public static Jid ResponderJid { get; } = Jid.Parse("juliet@capulet.lit/balcony");

    public TunnelManager Initiator { get; }

    public TunnelManager Responder { get; }

    /// <summary>Ciphertext bytes the responder received since the last call.</summary>
    public int ReceivedBytes { get; private set; }

    /// <summary>Sends one chunk of ciphertext and carries the data IQ and its acknowledgement across; returns the bytes received.</summary>
    public int SendChunk(byte[] ciphertext, object token)
    {
        ReceivedBytes = 0;
        Initiator.SendCiphertext(ResponderJid, ciphertext, token, _now);
        Deliver(Initiator, Responder);
        Deliver(Responder, Initiator);
        return ReceivedBytes;
    }

    // Hands every stanza one side emits to the other through the wire; counts ciphertext arriving.
    private void Deliver(TunnelManager from, TunnelManager to)
    {
        while (from.TryDequeue(out TunnelOutput? output))
        {
            switch (output)
            {
                case SendStanza send:
                    _ = to.HandleIncoming(_wire(send.Stanza), _now);
                    break;
                case CiphertextReceived received:
                    ReceivedBytes += received.Data.Length;
                    break;
                default:
                    break;
            }
        }
    }
}
