using Microsoft.Extensions.Logging;

namespace XmppDotNet.Xtls.Host.Router;

/// <summary>The router's own log messages. None of them carries stanza content.</summary>
internal static partial class RouterLog
{
    [LoggerMessage(101, LogLevel.Warning, "The router's interceptor failed; the stanza is forwarded unchanged.")]
    public static partial void InterceptorFailed(ILogger logger, Exception exception);
}
