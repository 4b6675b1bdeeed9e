using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Reopen;

/// <summary>
/// A re-open secret taken out of the store for one tunnel attempt, after its basis was checked again. Owned by
/// the attempt: disposed (key zeroed) when the attempt ends, whichever way.
/// </summary>
internal sealed class ReopenTicket(ReopenSecret secret) : IDisposable
{
    public ReopenSecret Secret { get; } = secret;

    public TlsReopenKey Key => Secret.Key;

    public XtlsMethod Method => Secret.Method;

    public Fingerprint? PeerFingerprint => Secret.PeerFingerprint;

    /// <summary>The trust decision of the tunnel the secret came from, which the re-opened tunnel reports.</summary>
    public TrustResult? Trust => Secret.Trust;

    /// <summary>Initiator: the responder echoed the identity in <c>proceed</c>, so the ClientHello offers the key.</summary>
    public bool AcceptedByPeer { get; set; }

    public void Dispose() => Secret.Dispose();
}
