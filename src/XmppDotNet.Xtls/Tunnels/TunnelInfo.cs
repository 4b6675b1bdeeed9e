using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>A snapshot of one tunnel, for diagnostics.</summary>
/// <param name="Remote">The peer's full JID.</param>
/// <param name="State">The tunnel's state.</param>
/// <param name="Initiator">Whether this side is the initiator (TLS client).</param>
/// <param name="Method">The TLS method, once known.</param>
/// <param name="QueuedBytes">Ciphertext bytes waiting for the window.</param>
/// <param name="InFlight">Data IQs sent and not yet acknowledged.</param>
/// <param name="PendingTokens">Tokens not yet acknowledged.</param>
public sealed record TunnelInfo(Jid Remote, TunnelState State, bool Initiator, string? Method, int QueuedBytes, int InFlight, int PendingTokens);
