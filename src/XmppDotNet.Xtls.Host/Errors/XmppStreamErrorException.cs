namespace XmppDotNet.Xtls.Host;

/// <summary>A stream error ended the stream (RFC 6120 §4.9).</summary>
public class XmppStreamErrorException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppStreamErrorException()
    {
        Condition = "undefined-condition";
    }

    /// <summary>Creates the exception with a message.</summary>
    public XmppStreamErrorException(string message)
        : base(message)
    {
        Condition = "undefined-condition";
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public XmppStreamErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Condition = "undefined-condition";
    }

    /// <summary>Creates the exception for a stream error condition.</summary>
    /// <param name="condition">The condition, for example <c>policy-violation</c>.</param>
    /// <param name="text">The descriptive text, if any.</param>
    /// <param name="sentByPeer"><c>true</c> if the server sent it, <c>false</c> if this client detected the error and sent it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public XmppStreamErrorException(string condition, string? text, bool sentByPeer, Exception? innerException = null)
        : base(Describe(condition, text, sentByPeer), innerException)
    {
        Condition = condition;
        Text = text;
        SentByPeer = sentByPeer;
    }

    /// <summary>The stream error condition.</summary>
    public string Condition { get; }

    /// <summary>The descriptive text, if any.</summary>
    public string? Text { get; }

    /// <summary>Whether the server sent the error (rather than this client).</summary>
    public bool SentByPeer { get; }

    private static string Describe(string condition, string? text, bool sentByPeer)
    {
        string who = sentByPeer ? "The server ended the stream" : "The stream was ended";
        return text is null ? $"{who} with stream error '{condition}'." : $"{who} with stream error '{condition}': {text}";
    }
}
