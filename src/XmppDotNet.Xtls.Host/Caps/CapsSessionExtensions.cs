using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Host.Caps;

/// <summary>Finds a session's <see cref="EntityCapabilities"/>.</summary>
public static class CapsSessionExtensions
{
    /// <summary>The entity capabilities service of the session (every <c>XmppClient</c> has one).</summary>
    /// <exception cref="InvalidOperationException">The session has none.</exception>
    public static EntityCapabilities GetEntityCapabilities(this ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.GetService<EntityCapabilities>()
            ?? throw new InvalidOperationException("The session has no entity capabilities service; register one with EntityCapabilities.Register.");
    }
}
