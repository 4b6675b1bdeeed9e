namespace XmppDotNet.Xtls.Protocol;

/// <summary>Thrown when the Base64 text of a <c>data</c> element is rejected.</summary>
public sealed class XtlsBase64Exception : XtlsFormatException
{
    /// <summary>Creates the exception.</summary>
    public XtlsBase64Exception()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XtlsBase64Exception(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public XtlsBase64Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a specific error at a position of the text.</summary>
    /// <param name="error">What was wrong.</param>
    /// <param name="position">The index in the text where it was found, or -1 when it concerns the whole text.</param>
    /// <param name="message">A description for logs.</param>
    public XtlsBase64Exception(Base64Error error, int position, string message)
        : base(message)
    {
        Error = error;
        Position = position;
    }

    /// <summary>What was wrong with the text.</summary>
    public Base64Error Error { get; }

    /// <summary>The index in the text where the error was found, or -1 when it concerns the whole text.</summary>
    public int Position { get; } = -1;
}
