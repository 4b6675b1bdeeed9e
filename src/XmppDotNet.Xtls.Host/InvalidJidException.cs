namespace XmppDotNet.Xtls.Host;

/// <summary>Thrown when text is not a valid XMPP address (RFC 7622).</summary>
public sealed class InvalidJidException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public InvalidJidException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidJidException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public InvalidJidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
