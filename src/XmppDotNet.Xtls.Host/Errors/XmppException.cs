namespace XmppDotNet.Xtls.Host;

/// <summary>The base of the exceptions the XMPP host throws.</summary>
public class XmppException : Exception
{
    /// <summary>Creates the exception.</summary>
    public XmppException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XmppException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public XmppException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
