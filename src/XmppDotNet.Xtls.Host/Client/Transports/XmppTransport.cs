using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;

namespace XmppDotNet.Xtls.Host.Client.Transports;

/// <summary>How a client reaches its server: a TCP connection, or an in-process router.</summary>
public abstract class XmppTransport
{
    /// <summary>Whether STARTTLS is used, and required, on this transport.</summary>
    public abstract bool UsesStartTls { get; }

    /// <summary>Selects the channel type and options on the bootstrap.</summary>
    public abstract void Configure(Bootstrap bootstrap);

    /// <summary>Connects.</summary>
    public abstract Task<IChannel> ConnectAsync(Bootstrap bootstrap, CancellationToken cancellationToken);
}
