namespace XmppDotNet.Xtls.Protocol;

/// <summary>Thrown when an XTLS element or offer received from the wire is malformed or exceeds a bound.</summary>
public class XtlsFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public XtlsFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XtlsFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public XtlsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
