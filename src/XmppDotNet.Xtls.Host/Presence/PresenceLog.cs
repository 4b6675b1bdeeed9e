using Microsoft.Extensions.Logging;

namespace XmppDotNet.Xtls.Host.Presence;

/// <summary>The presence book's log messages. None carries status texts or other stanza content.</summary>
internal static partial class PresenceLog
{
    [LoggerMessage(201, LogLevel.Warning, "Presence of {Contact} not recorded: the presence book's {Bound} is reached.")]
    public static partial void Dropped(ILogger logger, string contact, string bound);

    [LoggerMessage(202, LogLevel.Warning, "A presence book event handler failed.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);
}
