namespace XmppDotNet.Xtls.Host.StreamManagement;

/// <summary>A lost connection was replaced and the session resumed (XEP-0198): nothing was lost.</summary>
public sealed class SessionResumedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    public SessionResumedEventArgs(int resent, int attempts, TimeSpan duration)
    {
        Resent = resent;
        Attempts = attempts;
        Duration = duration;
    }

    /// <summary>How many stanzas the server had not received and were sent again, in their order.</summary>
    public int Resent { get; }

    /// <summary>The reconnection that succeeded (1 for the first).</summary>
    public int Attempts { get; }

    /// <summary>From the loss of the connection to the resumption.</summary>
    public TimeSpan Duration { get; }
}
