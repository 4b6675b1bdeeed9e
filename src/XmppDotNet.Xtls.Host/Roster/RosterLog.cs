using Microsoft.Extensions.Logging;

namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>The roster's log messages.</summary>
internal static partial class RosterLog
{
    [LoggerMessage(401, LogLevel.Warning, "Ignored a roster push from {From}: only the account's own server may push (RFC 6121 §2.1.6).")]
    public static partial void PushFromStranger(ILogger logger, string from);

    [LoggerMessage(402, LogLevel.Warning, "Could not get the roster; going on with an empty one.")]
    public static partial void RosterUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(403, LogLevel.Warning, "The roster has more than {Max} items; the rest are not kept locally.")]
    public static partial void TooManyItems(ILogger logger, int max);

    [LoggerMessage(404, LogLevel.Warning, "Too many pending subscription requests; dropped the oldest, from {Jid}.")]
    public static partial void RequestDropped(ILogger logger, string jid);

    [LoggerMessage(405, LogLevel.Warning, "A roster event handler failed.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(406, LogLevel.Warning, "The AutoApprove callback failed; the request from {Jid} stays pending.")]
    public static partial void AutoApproveFailed(ILogger logger, string jid, Exception exception);

    [LoggerMessage(407, LogLevel.Information, "Approved the subscription request of {Jid} (AutoApprove).")]
    public static partial void AutoApproved(ILogger logger, string jid);

    [LoggerMessage(408, LogLevel.Debug, "Ignored a malformed roster push.")]
    public static partial void MalformedPush(ILogger logger);
}
