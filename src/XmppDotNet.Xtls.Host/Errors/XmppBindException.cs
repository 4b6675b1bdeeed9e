namespace XmppDotNet.Xtls.Host;

/// <summary>The server refused to bind a resource.</summary>
public class XmppBindException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppBindException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XmppBindException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public XmppBindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
