namespace XmppDotNet.Xtls.Tunnels;

/// <summary>
/// Thrown by <see cref="TunnelManager.SendCiphertext"/> when the tunnel's outbound queue (bytes or
/// tokens) is full. Nothing was queued and the tunnel stays usable: offer the same bytes again after
/// <see cref="SendCapacityAvailable"/>, before any later ciphertext (TLS records must stay in order).
/// </summary>
public sealed class TunnelBackpressureException : TunnelLimitException
{
    /// <summary>Creates the exception.</summary>
    public TunnelBackpressureException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TunnelBackpressureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public TunnelBackpressureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the bound that was hit.</summary>
    /// <param name="limit"><see cref="TunnelLimit.QueuedCiphertext"/> or <see cref="TunnelLimit.PendingTokens"/>.</param>
    /// <param name="message">A description for logs.</param>
    public TunnelBackpressureException(TunnelLimit limit, string message)
        : base(limit, message)
    {
    }
}
