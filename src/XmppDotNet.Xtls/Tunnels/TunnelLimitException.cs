namespace XmppDotNet.Xtls.Tunnels;

/// <summary>Thrown when opening a tunnel would exceed a bound of <see cref="TunnelManagerOptions"/>.</summary>
public class TunnelLimitException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public TunnelLimitException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TunnelLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public TunnelLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the bound that was hit.</summary>
    /// <param name="limit">The bound.</param>
    /// <param name="message">A description for logs.</param>
    public TunnelLimitException(TunnelLimit limit, string message)
        : base(message)
    {
        Limit = limit;
    }

    /// <summary>The bound that was hit.</summary>
    public TunnelLimit Limit { get; }
}
