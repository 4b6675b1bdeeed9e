namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>
/// Thrown when SASL authentication fails: the peer's credentials or proof are wrong, or a SASL message
/// is malformed. <see cref="Condition"/> is the RFC 6120 §6.5 condition a server sends (or would send).
/// </summary>
public sealed class SaslAuthenticationException : Exception
{
    /// <summary>Creates the exception with the condition <c>not-authorized</c>.</summary>
    public SaslAuthenticationException()
        : this(SaslConditions.NotAuthorized, "SASL authentication failed.")
    {
    }

    /// <summary>Creates the exception with the condition <c>not-authorized</c> and a message.</summary>
    public SaslAuthenticationException(string message)
        : this(SaslConditions.NotAuthorized, message)
    {
    }

    /// <summary>Creates the exception with the condition <c>not-authorized</c>, a message and the cause.</summary>
    public SaslAuthenticationException(string message, Exception innerException)
        : this(SaslConditions.NotAuthorized, message, innerException)
    {
    }

    /// <summary>Creates the exception with a condition and a message.</summary>
    /// <param name="condition">An RFC 6120 §6.5 condition, see <see cref="SaslConditions"/>.</param>
    /// <param name="message">What went wrong.</param>
    public SaslAuthenticationException(string condition, string message)
        : this(condition, message, null)
    {
    }

    /// <summary>Creates the exception with a condition, a message and the cause.</summary>
    /// <param name="condition">An RFC 6120 §6.5 condition, see <see cref="SaslConditions"/>.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, or <c>null</c>.</param>
    public SaslAuthenticationException(string condition, string message, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(condition);
        Condition = condition;
    }

    /// <summary>The RFC 6120 §6.5 condition, e.g. <c>not-authorized</c> or <c>malformed-request</c>.</summary>
    public string Condition { get; }
}
