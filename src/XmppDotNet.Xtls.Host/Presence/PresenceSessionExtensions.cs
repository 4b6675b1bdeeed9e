using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Host.Presence;

/// <summary>Finds a session's <see cref="PresenceBook"/>.</summary>
public static class PresenceSessionExtensions
{
    /// <summary>The presence book of the session (every <c>XmppClient</c> has one).</summary>
    /// <exception cref="InvalidOperationException">The session has no presence book.</exception>
    public static PresenceBook GetPresenceBook(this ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.GetService<PresenceBook>()
            ?? throw new InvalidOperationException("The session has no presence book; register one with PresenceBook.Register.");
    }
}
