using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Pipeline;

// Messages between the two XTLS handlers. Inbound ones travel from XtlsHandler to XtlsTlsHandler
// (FireChannelRead), outbound ones from XtlsTlsHandler to XtlsHandler (WriteAsync); none of them
// leaves the pair.

/// <summary>Inbound: a tunnel to this peer is being set up; stanzas to it must wait for it, never go in the clear.</summary>
internal sealed record TunnelPending(Jid Remote);

/// <summary>Inbound: create the TLS endpoint (initiator: client, responder: server).</summary>
/// <param name="Remote">The peer.</param>
/// <param name="AsClient">Whether this side is the TLS client.</param>
/// <param name="Method">The tunnel's method.</param>
/// <param name="PeerOffer">The peer's XEP-0250 offer, or <c>null</c>.</param>
/// <param name="Reopen">The re-open ticket both sides agreed on in start/proceed, or <c>null</c> for a full handshake; the endpoint owns it.</param>
internal sealed record TlsStart(Jid Remote, bool AsClient, XtlsMethod Method, XtlsOffer? PeerOffer, Reopen.ReopenTicket? Reopen = null);

/// <summary>Inbound: ciphertext from the peer, in order.</summary>
internal sealed record CiphertextIn(Jid Remote, ReadOnlyMemory<byte> Data);

/// <summary>Inbound: the tunnel is gone; drop its endpoint and fail what waits for it.</summary>
internal sealed record TunnelGone(Jid Remote, TunnelCloseReason Reason, string? Detail)
{
    /// <summary>Stanzas the TLS side still held unencrypted (waiting for the handshake, or batched while the window was full) and failed.</summary>
    public int FailedUnsent { get; set; }
}

/// <summary>Inbound: the tunnel's window has room again: encrypt the plaintext held for it.</summary>
internal sealed record TunnelWindowOpen(Jid Remote);

/// <summary>
/// Outbound: ciphertext for the peer; <paramref name="Delivery"/> completes when the peer acknowledged it. The bytes
/// are valid only during the write that carries them (they may sit in a rented buffer): the receiver copies them.
/// </summary>
internal sealed record CiphertextOut(Jid Remote, ReadOnlyMemory<byte> Data, TaskCompletionSource? Delivery);

/// <summary>Outbound: the handshake completed and the peer is trusted.</summary>
internal sealed record TunnelEstablished(XtlsTunnel Tunnel);

/// <summary>Outbound: the TLS layer failed or refused the peer; close the tunnel as failed.</summary>
/// <param name="Remote">The peer.</param>
/// <param name="Reason">Why.</param>
/// <param name="Detail">More about why.</param>
/// <param name="ByPeerAlert">Whether the peer's fatal alert ended it: the peer reads nothing more.</param>
internal sealed record TunnelFailed(Jid Remote, TunnelCloseReason Reason, string Detail, bool ByPeerAlert = false);

/// <summary>Outbound: the peer's close_notify arrived; its <c>close</c> is due within the close timeout.</summary>
internal sealed record TunnelPeerClosed(Jid Remote);

/// <summary>Outbound: close_notify is queued; send <c>close</c> after it.</summary>
internal sealed record TunnelCloseRequested(Jid Remote);
