using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>Turns the reason a tunnel failed into an exit code and a sentence.</summary>
internal static class TunnelFailures
{
    /// <summary>Whether the tunnel ended in order (by either side) rather than failing.</summary>
    public static bool IsOrderly(TunnelCloseReason reason) => reason is TunnelCloseReason.ClosedLocally or TunnelCloseReason.ClosedByPeer;

    /// <summary>The exit code for a tunnel that failed before (<paramref name="wasOpen"/> false) or after it opened.</summary>
    public static int ExitCodeFor(TunnelCloseReason reason, bool wasOpen) => reason switch
    {
        TunnelCloseReason.ClosedLocally or TunnelCloseReason.ClosedByPeer => ExitCodes.Success,
        TunnelCloseReason.TlsFailure => ExitCodes.NotTrusted,
        TunnelCloseReason.SessionEnded => ExitCodes.Server,
        _ => wasOpen ? ExitCodes.TunnelFailed : ExitCodes.TunnelNotOpened,
    };

    /// <summary>One sentence saying what happened.</summary>
    public static string Describe(Jid peer, TunnelCloseReason reason, string? detail)
    {
        string sentence = reason switch
        {
            TunnelCloseReason.Refused => $"{peer} refused the tunnel",
            TunnelCloseReason.NotSupported => $"{peer} does not support XTLS, or is not online",
            TunnelCloseReason.Conflict => $"{peer} opened a tunnel at the same moment and won the tie-break (conflict); run again",
            TunnelCloseReason.PeerGone => $"{peer} went offline",
            TunnelCloseReason.StartTimeout => $"{peer} did not answer the tunnel request in time",
            TunnelCloseReason.DecisionTimeout => $"the request from {peer} was not decided in time",
            TunnelCloseReason.HandshakeTimeout => $"the TLS handshake with {peer} did not complete in time",
            TunnelCloseReason.ProgressTimeout => $"{peer} stopped acknowledging data",
            TunnelCloseReason.UnsupportedMethod => $"{peer} and this side do not share an authentication method (x509 or srp)",
            TunnelCloseReason.TlsFailure => $"the TLS layer with {peer} failed (a certificate or password was rejected)",
            TunnelCloseReason.SessionEnded => "the connection to the XMPP server ended",
            TunnelCloseReason.ClosedByPeer => $"{peer} closed the tunnel",
            TunnelCloseReason.ClosedLocally => $"the tunnel with {peer} was closed",
            _ => $"the tunnel with {peer} failed ({reason})",
        };
        return detail is null ? sentence : $"{sentence}: {detail}";
    }
}
