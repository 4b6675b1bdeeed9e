namespace XmppDotNet.Xtls.Demo.Cli;

/// <summary>The exit codes of <c>xtls</c>; the same list is shown by <c>--help</c> and in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Success: the demo passed its checks, or the chat ended cleanly (end of input, or the peer closed).</summary>
    public const int Success = 0;

    /// <summary>An unexpected error, or the demo found something wrong.</summary>
    public const int Failure = 1;

    /// <summary>Wrong arguments, no password available, an unreadable identity, known-peers or certificate file.</summary>
    public const int Usage = 2;

    /// <summary>The XMPP server could not be reached, its certificate was not trusted, the login failed, or the connection was lost.</summary>
    public const int Server = 3;

    /// <summary>No tunnel: the peer refused, is offline, does not support XTLS, or did not answer in time.</summary>
    public const int TunnelNotOpened = 4;

    /// <summary>Authentication failed: a fingerprint that does not match or has changed, a wrong SRP password, or the peer rejected this side.</summary>
    public const int NotTrusted = 5;

    /// <summary>The tunnel broke after it had opened (a message could not be delivered).</summary>
    public const int TunnelFailed = 6;

    /// <summary>Interrupted (Ctrl-C or SIGTERM); the tunnel and the session were closed first.</summary>
    public const int Interrupted = 130;

    /// <summary>The list for help texts, one code per line.</summary>
    public static string Describe() =>
        $"""
        Exit codes:
          {Success,-4}success (demo checks passed; chat ended at end of input or when the peer closed)
          {Failure,-4}unexpected error, or a demo check failed
          {Usage,-4}wrong arguments, no password, unreadable file
          {Server,-4}XMPP server unreachable, untrusted server certificate, login failed, connection lost
          {TunnelNotOpened,-4}no tunnel: peer refused, offline, without XTLS, or no answer in time
          {NotTrusted,-4}not authenticated: fingerprint mismatch or change, wrong SRP password, peer rejected us
          {TunnelFailed,-4}the tunnel broke after it opened
          {Interrupted,-4}interrupted (Ctrl-C, SIGTERM)
        """;
}
