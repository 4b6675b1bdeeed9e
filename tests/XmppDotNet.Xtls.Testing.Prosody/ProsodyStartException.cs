namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>Prosody did not start, or did not answer XMPP on its port in time.</summary>
public sealed class ProsodyStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProsodyStartException()
    {
    }

    /// <summary>Creates the exception with a message that should include the log tail.</summary>
    public ProsodyStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public ProsodyStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
