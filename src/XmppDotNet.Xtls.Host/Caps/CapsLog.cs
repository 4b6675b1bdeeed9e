using Microsoft.Extensions.Logging;

namespace XmppDotNet.Xtls.Host.Caps;

/// <summary>The entity capabilities log messages.</summary>
internal static partial class CapsLog
{
    [LoggerMessage(301, LogLevel.Warning, "The disco#info answer of {Jid} does not match the ver {Ver} it announced (or is ill-formed); not cached, not trusted.")]
    public static partial void VerMismatch(ILogger logger, string jid, string ver);

    [LoggerMessage(302, LogLevel.Debug, "Caps lookup of {Jid} failed.")]
    public static partial void LookupFailed(ILogger logger, string jid, Exception exception);

    [LoggerMessage(303, LogLevel.Warning, "A FeaturesKnown handler failed.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(304, LogLevel.Debug, "Not looking up ver {Ver} of {Jid} now: {Pending} lookups are pending.")]
    public static partial void LookupDeferred(ILogger logger, string ver, string jid, int pending);
}
