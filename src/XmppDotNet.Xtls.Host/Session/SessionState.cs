namespace XmppDotNet.Xtls.Host.Session;

/// <summary>The life cycle of a client session.</summary>
public enum SessionState
{
    /// <summary>Not connected yet.</summary>
    Disconnected,

    /// <summary>Connecting and negotiating the stream (STARTTLS, SASL, binding).</summary>
    Connecting,

    /// <summary>Bound to a full JID; stanzas flow.</summary>
    Online,

    /// <summary>Closing the stream.</summary>
    Closing,

    /// <summary>The stream is closed; the session cannot be used again.</summary>
    Closed,
}
