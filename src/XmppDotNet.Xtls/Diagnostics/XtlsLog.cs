using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Diagnostics;

/// <summary>The plugin's log messages: addresses, reasons and fingerprints only, never keys or decrypted content.</summary>
internal static partial class XtlsLog
{
    [LoggerMessage(101, LogLevel.Information, "XTLS tunnel with {Peer} open: {Method}, {Version}, {Suite}, peer fingerprint {Fingerprint}.")]
    public static partial void TunnelOpened(ILogger logger, string peer, string method, string version, string suite, string fingerprint);

    [LoggerMessage(102, LogLevel.Information, "XTLS tunnel with {Peer} ended: {Reason} {Detail}.")]
    public static partial void TunnelEnded(ILogger logger, string peer, TunnelCloseReason reason, string? detail);

    [LoggerMessage(103, LogLevel.Warning, "XTLS tunnel with {Peer} failed: {Reason}: {Detail}.")]
    public static partial void TunnelFailed(ILogger logger, string peer, TunnelCloseReason reason, string detail);

    [LoggerMessage(104, LogLevel.Debug, "Simultaneous XTLS start with {Peer}: the peer's request wins; this side becomes the responder.")]
    public static partial void BecameResponder(ILogger logger, string peer);

    [LoggerMessage(105, LogLevel.Warning, "Dropped a {Stanza} from the XTLS tunnel with {Peer}: {Rejection}.")]
    public static partial void StanzaRejected(ILogger logger, string stanza, string peer, XtlsRejection rejection);

    [LoggerMessage(106, LogLevel.Warning, "The XTLS accept policy failed; refusing the request of {Peer}.")]
    public static partial void PolicyFailed(ILogger logger, string peer, Exception exception);

    [LoggerMessage(107, LogLevel.Warning, "No presence-driven XTLS tunnel to {Resource}: its contact already has {Limit} tunnels, the most allowed.")]
    public static partial void ContactLimitReached(ILogger logger, string resource, int limit);

    [LoggerMessage(108, LogLevel.Information, "The presence-driven XTLS tunnel to {Resource} did not open: {Detail}.")]
    public static partial void PresenceOpenFailed(ILogger logger, string resource, string detail);

    [LoggerMessage(109, LogLevel.Information, "The fast re-open of the XTLS tunnel with {Peer} failed ({Reason}: {Detail}); starting a full handshake.")]
    public static partial void ReopenFailed(ILogger logger, string peer, TunnelCloseReason reason, string? detail);
}
