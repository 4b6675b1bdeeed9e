using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Session;

/// <summary>Raised once when a session has ended.</summary>
public sealed class SessionClosedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public SessionClosedEventArgs(SessionCloseReason reason, Exception? error)
        : this(reason, error, [])
    {
    }

    /// <summary>Creates the event arguments with the stanzas the server never acknowledged.</summary>
    public SessionClosedEventArgs(SessionCloseReason reason, Exception? error, IReadOnlyList<XElement> unacknowledged)
    {
        ArgumentNullException.ThrowIfNull(unacknowledged);
        Reason = reason;
        Error = error;
        Unacknowledged = unacknowledged;
    }

    /// <summary>Why the session ended.</summary>
    public SessionCloseReason Reason { get; }

    /// <summary>The error that ended it, if any (for example an <see cref="XmppStreamErrorException"/>).</summary>
    public Exception? Error { get; }

    /// <summary>
    /// With stream management (XEP-0198), the stanzas sent and never acknowledged by the server, oldest first: as far
    /// as the client knows they were not delivered (also when the session could not be resumed at all, for example
    /// because the server granted no resumption). Empty without stream management, where nothing is known.
    /// </summary>
    public IReadOnlyList<XElement> Unacknowledged { get; }
}
