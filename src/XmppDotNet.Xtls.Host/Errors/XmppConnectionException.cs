namespace XmppDotNet.Xtls.Host;

/// <summary>The connection could not be made or was lost, or the server does not offer what the client requires (such as STARTTLS).</summary>
public class XmppConnectionException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppConnectionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XmppConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public XmppConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
