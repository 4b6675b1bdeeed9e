using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>Finds a session's <see cref="RosterManager"/>.</summary>
public static class RosterSessionExtensions
{
    /// <summary>The roster of the session (every <c>XmppClient</c> has one).</summary>
    /// <exception cref="InvalidOperationException">The session has no roster manager.</exception>
    public static RosterManager GetRoster(this ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.GetService<RosterManager>()
            ?? throw new InvalidOperationException("The session has no roster; register one with RosterManager.Register.");
    }
}
