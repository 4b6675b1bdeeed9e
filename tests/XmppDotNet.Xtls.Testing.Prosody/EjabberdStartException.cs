namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>ejabberd is not installed, did not start, or did not answer XMPP on its port in time.</summary>
public sealed class EjabberdStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EjabberdStartException()
    {
    }

    /// <summary>Creates the exception with a message that should include the log tail.</summary>
    public EjabberdStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public EjabberdStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
