namespace XmppDotNet.Xtls.Host;

/// <summary>No response to an IQ request arrived in time.</summary>
public class XmppIqTimeoutException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppIqTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XmppIqTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public XmppIqTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
