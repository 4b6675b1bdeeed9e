namespace XmppDotNet.Xtls.Tunnels;

/// <summary>Which bound of <see cref="TunnelManagerOptions"/> refused a request.</summary>
public enum TunnelLimit
{
    /// <summary><see cref="TunnelManagerOptions.MaxTunnels"/>.</summary>
    Tunnels,

    /// <summary><see cref="TunnelManagerOptions.MaxTunnelsPerBareJid"/>.</summary>
    TunnelsPerBareJid,

    /// <summary><see cref="TunnelManagerOptions.MaxPendingIncoming"/>.</summary>
    PendingIncoming,

    /// <summary><see cref="TunnelManagerOptions.MaxQueuedCiphertextBytes"/>.</summary>
    QueuedCiphertext,

    /// <summary><see cref="TunnelManagerOptions.MaxPendingTokens"/>.</summary>
    PendingTokens,
}
