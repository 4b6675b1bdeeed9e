namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>Thrown when a string is rejected by SASLprep (RFC 4013): prohibited, unassigned or badly bidirectional.</summary>
/// <remarks>The message never quotes the offending character: the string may be a password.</remarks>
public sealed class SaslPrepException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public SaslPrepException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SaslPrepException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public SaslPrepException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
