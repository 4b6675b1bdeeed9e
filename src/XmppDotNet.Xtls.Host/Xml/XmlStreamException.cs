namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// Thrown when an XML stream is malformed or breaks a rule of RFC 6120; <see cref="Condition"/> names the
/// stream error to answer with.
/// </summary>
public sealed class XmlStreamException : Exception
{
    /// <summary>Creates the exception with the condition <see cref="StreamErrorConditions.UndefinedCondition"/>.</summary>
    public XmlStreamException()
        : this(StreamErrorConditions.UndefinedCondition, "The XML stream failed.")
    {
    }

    /// <summary>Creates the exception with a message and the condition <see cref="StreamErrorConditions.UndefinedCondition"/>.</summary>
    public XmlStreamException(string message)
        : this(StreamErrorConditions.UndefinedCondition, message)
    {
    }

    /// <summary>Creates the exception with a message, the cause and the condition <see cref="StreamErrorConditions.UndefinedCondition"/>.</summary>
    public XmlStreamException(string message, Exception innerException)
        : this(StreamErrorConditions.UndefinedCondition, message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="condition">The stream error condition, one of <see cref="StreamErrorConditions"/>.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public XmlStreamException(string condition, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(condition);
        Condition = condition;
    }

    /// <summary>The RFC 6120 stream error condition, one of <see cref="StreamErrorConditions"/>.</summary>
    public string Condition { get; }
}
