using XmppDotNet.Xtls.Host.StreamManagement;

namespace XmppDotNet.Xtls.Host.Session;

/// <summary>
/// A session that can outlive a lost connection (XEP-0198 resumption), with its stream-management events, so that
/// plugins that hold per-session state (tunnels, waiting requests) can follow an outage without knowing the client type.
/// </summary>
public interface IResumableSession : ISession
{
    /// <summary>
    /// Raised on the event loop when the connection was lost and the session is being resumed;
    /// <see cref="ISession.State"/> is <see cref="SessionState.Resuming"/>. <see cref="Resumed"/> or
    /// <see cref="ResumptionFailed"/> follows.
    /// </summary>
    event EventHandler<ConnectionLostEventArgs>? ConnectionLost;

    /// <summary>Raised on the event loop when the session was resumed on a new connection.</summary>
    event EventHandler<SessionResumedEventArgs>? Resumed;

    /// <summary>Raised on the event loop when a resumption failed; <see cref="ISession.Closed"/> follows.</summary>
    event EventHandler<ResumptionFailedEventArgs>? ResumptionFailed;
}
