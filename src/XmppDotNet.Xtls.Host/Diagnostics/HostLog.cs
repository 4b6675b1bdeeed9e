using Microsoft.Extensions.Logging;

namespace XmppDotNet.Xtls.Host.Diagnostics;

/// <summary>The host's log messages. None of them carries stanza content, passwords or keys.</summary>
internal static partial class HostLog
{
    [LoggerMessage(1, LogLevel.Information, "Online as {Jid}.")]
    public static partial void Online(ILogger logger, string jid);

    [LoggerMessage(2, LogLevel.Information, "Session of {Jid} ended: {Reason}.")]
    public static partial void SessionEnded(ILogger logger, string jid, Session.SessionCloseReason reason);

    [LoggerMessage(3, LogLevel.Warning, "A handler failed.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "The server did not close the stream in time; closing the connection.")]
    public static partial void CloseTimedOut(ILogger logger);

    [LoggerMessage(5, LogLevel.Warning, "Ending the stream with stream error {Condition}: {Reason}")]
    public static partial void EndingStream(ILogger logger, string condition, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Closing the connection after an error in the pipeline.")]
    public static partial void PipelineError(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Debug, "Ignoring an unexpected {Element} element during negotiation.")]
    public static partial void UnexpectedNegotiationElement(ILogger logger, string element);
}
