using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Pipeline;

/// <summary>The TLS side of one tunnel inside <see cref="XtlsTlsHandler"/>.</summary>
internal sealed class TunnelEndpoint : IDisposable
{
    public TunnelEndpoint(Jid remote)
    {
        Remote = remote;
    }

    public Jid Remote { get; }

    /// <summary>Created when the tunnel's TLS starts.</summary>
    public TlsEngine? Engine { get; set; }

    /// <summary>Decodes the decrypted stream into stanzas; created with <see cref="Engine"/>.</summary>
    public InnerStanzaDecoder? Inner { get; set; }

    /// <summary>Set once the handshake completed and the peer is trusted: from then on stanzas flow.</summary>
    public XtlsTunnel? Tunnel { get; set; }

    /// <summary>Whether the handshake's completion was handled (the trust decision started).</summary>
    public bool HandshakeHandled { get; set; }

    /// <summary>TLS client only: completes when the server acknowledged the flight with the client's Finished.</summary>
    public Task? PeerAcceptedHandshake { get; set; }

    /// <summary>Whether the trust store accepted the peer's certificate during the handshake.</summary>
    public bool TrustedDuringHandshake { get; set; }

    /// <summary>The trust decision about the peer's certificate, once made (the tunnel reports it).</summary>
    public TrustResult? Trust { get; set; }

    /// <summary>A trust store answer still pending at the end of the handshake: used rather than asking again.</summary>
    public Task<TrustResult>? PendingTrust { get; set; }

    /// <summary>The re-open ticket this endpoint's handshake uses, or <c>null</c>; disposed with the endpoint.</summary>
    public Reopen.ReopenTicket? Reopen { get; set; }

    /// <summary>Set when the endpoint failed: nothing more is delivered or sent.</summary>
    public bool Failed { get; set; }

    /// <summary>Whether the peer's close_notify has been reported to the tunnel manager (once is enough).</summary>
    public bool PeerCloseReported { get; set; }

    /// <summary>Outbound stanzas (as written and serialised) waiting for the tunnel to be established.</summary>
    public Queue<WaitingStanza> Waiting { get; } = new();

    /// <summary>Plaintext written while the window was full, encrypted together when it opens.</summary>
    public PlaintextBatch Batch { get; } = new();

    /// <summary>Whether the endpoint was made for automatic encryption and the peer's support is still being asked.</summary>
    public bool AwaitingSupportAnswer { get; set; }

    /// <summary>Decrypted stanzas waiting for the trust decision.</summary>
    public List<XElement> Held { get; } = [];

    /// <summary>The decrypted bytes behind <see cref="Held"/>.</summary>
    public int HeldBytes { get; set; }

    /// <summary>The stanzas failed so far by <see cref="FailWaiting"/>: written to the tunnel, never encrypted.</summary>
    public int FailedUnsent { get; private set; }

    /// <summary>Fails everything still waiting to be sent.</summary>
    public void FailWaiting(Exception reason)
    {
        FailedUnsent += Waiting.Count + Batch.Count;
        while (Waiting.TryDequeue(out WaitingStanza? item))
        {
            item.Delivery.TrySetException(reason);
        }

        Batch.Fail(reason);
    }

    public void Dispose()
    {
        // Normally failed already (FailWaiting); nothing held may be left without an outcome.
        Batch.Fail(new XtlsTunnelException(Remote, TunnelCloseReason.SessionEnded, "the tunnel's TLS endpoint was released"));
        Engine?.Dispose();
        Engine = null;
        Reopen?.Dispose();
        Reopen = null;
        Inner = null;
        Held.Clear();
    }
}

/// <summary>A stanza waiting for its tunnel: the original (to send it in the clear if the peer turns out not to support XTLS) and its serialised inner form.</summary>
internal sealed record WaitingStanza(XElement Original, byte[] Inner, TaskCompletionSource Delivery);
