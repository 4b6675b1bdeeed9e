namespace XmppDotNet.Xtls.Host;

/// <summary>A stanza could not be sent because the stream-management queue of stanzas the server has not acknowledged yet is full (XEP-0198). Nothing was dropped: the stanza was not sent.</summary>
public class XmppUnacknowledgedQueueFullException : XmppConnectionException
{
    /// <summary>Creates the exception.</summary>
    public XmppUnacknowledgedQueueFullException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XmppUnacknowledgedQueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public XmppUnacknowledgedQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
