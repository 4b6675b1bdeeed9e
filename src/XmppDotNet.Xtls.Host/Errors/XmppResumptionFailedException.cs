namespace XmppDotNet.Xtls.Host;

/// <summary>The connection was lost and the stream could not be resumed (XEP-0198): the server refused it, or the attempts or the time allowed ran out. What was sent and never acknowledged did not reach the server, as far as the client knows.</summary>
public class XmppResumptionFailedException : XmppConnectionException
{
    /// <summary>Creates the exception.</summary>
    public XmppResumptionFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XmppResumptionFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public XmppResumptionFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
