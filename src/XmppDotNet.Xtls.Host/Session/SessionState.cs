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

    /// <summary>
    /// The connection was lost and the stream is being resumed (XEP-0198): the session, its handlers and
    /// its pending IQs stay; stanzas sent now wait for the resumption and go out after it (or fail with it).
    /// </summary>
    Resuming,
}
