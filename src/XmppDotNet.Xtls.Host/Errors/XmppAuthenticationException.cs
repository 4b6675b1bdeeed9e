namespace XmppDotNet.Xtls.Host;

/// <summary>SASL authentication failed: wrong credentials, no acceptable mechanism, or a server that could not prove it knows the password.</summary>
public class XmppAuthenticationException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppAuthenticationException()
    {
        Condition = "not-authorized";
    }

    /// <summary>Creates the exception with a message.</summary>
    public XmppAuthenticationException(string message)
        : base(message)
    {
        Condition = "not-authorized";
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public XmppAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Condition = "not-authorized";
    }

    /// <summary>Creates the exception with the RFC 6120 SASL failure condition.</summary>
    public XmppAuthenticationException(string condition, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Condition = condition;
    }

    /// <summary>The SASL failure condition (RFC 6120 §6.5), for example <c>not-authorized</c>.</summary>
    public string Condition { get; }
}
