namespace XmppDotNet.Xtls.Host.Session;

/// <summary>Raised once when a session has ended.</summary>
public sealed class SessionClosedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public SessionClosedEventArgs(SessionCloseReason reason, Exception? error)
    {
        Reason = reason;
        Error = error;
    }

    /// <summary>Why the session ended.</summary>
    public SessionCloseReason Reason { get; }

    /// <summary>The error that ended it, if any (for example an <see cref="XmppStreamErrorException"/>).</summary>
    public Exception? Error { get; }
}
