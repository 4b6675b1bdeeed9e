namespace XmppDotNet.Xtls.Host.StreamManagement;

/// <summary>The connection of a session that can be resumed was lost; the session is resuming.</summary>
public sealed class ConnectionLostEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    public ConnectionLostEventArgs(Exception? failure, int unacknowledged)
    {
        Failure = failure;
        Unacknowledged = unacknowledged;
    }

    /// <summary>What failed, when the connection reported an error (a plain close reports none).</summary>
    public Exception? Failure { get; }

    /// <summary>How many stanzas the server had not acknowledged when the connection was lost.</summary>
    public int Unacknowledged { get; }
}
