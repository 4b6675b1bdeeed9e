using Microsoft.Extensions.Logging;

namespace XmppDotNet.Xtls.Host.Diagnostics;

/// <summary>Stream management's log messages (XEP-0198). None carries stanza content.</summary>
internal static partial class StreamManagementLog
{
    [LoggerMessage(60, LogLevel.Warning, "The connection of {Jid} was lost with {Unacknowledged} unacknowledged stanzas; resuming.")]
    public static partial void ConnectionLost(ILogger logger, string jid, int unacknowledged);

    [LoggerMessage(61, LogLevel.Information, "Session of {Jid} resumed: {Resent} stanzas sent again, attempt {Attempt}, after {Milliseconds} ms.")]
    public static partial void Resumed(ILogger logger, string jid, int resent, int attempt, double milliseconds);

    [LoggerMessage(62, LogLevel.Debug, "Resumption attempt {Attempt} failed: {Reason}")]
    public static partial void ResumeAttemptFailed(ILogger logger, int attempt, string reason);

    [LoggerMessage(63, LogLevel.Warning, "The new session after a failed resumption could not be started.")]
    public static partial void NewSessionFailed(ILogger logger, Exception exception);
}
