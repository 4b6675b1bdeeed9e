namespace XmppDotNet.Xtls.Host.Stanzas;

/// <summary>Thrown when the stream ends with a stream error (sent by the server, or detected locally).</summary>
public sealed class XmppStreamException : Exception
{
    private const int MaxQuotedText = 200;

    /// <summary>Creates the exception with an <c>undefined-condition</c> error.</summary>
    public XmppStreamException()
        : this("The stream ended with a stream error.")
    {
    }

    /// <summary>Creates the exception with an <c>undefined-condition</c> error and a message.</summary>
    public XmppStreamException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with an <c>undefined-condition</c> error, a message and the cause.</summary>
    public XmppStreamException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Error = new StreamError(StreamErrorConditions.UndefinedCondition);
    }

    /// <summary>Creates the exception for a stream error, with a message that names it.</summary>
    public XmppStreamException(StreamError error)
        : this(error, Describe(error))
    {
    }

    /// <summary>Creates the exception for a stream error with a message.</summary>
    public XmppStreamException(StreamError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>The stream error.</summary>
    public StreamError Error { get; }

    private static string Describe(StreamError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string text = error.Text is null
            ? string.Empty
            : ": " + (error.Text.Length <= MaxQuotedText ? error.Text : error.Text[..MaxQuotedText] + "…");
        return $"Stream error: {error.Condition}{text}";
    }
}
