using System.Net;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace XmppDotNet.Xtls.Host.Client.Transports;

/// <summary>A TCP connection to an XMPP server, secured with STARTTLS (required).</summary>
/// <remarks>The host is used as given: no DNS SRV lookup is made.</remarks>
public sealed class TcpTransport : XmppTransport
{
    /// <summary>Creates the transport.</summary>
    /// <param name="host">The server's host name or IP address.</param>
    /// <param name="port">The client-to-server port.</param>
    /// <param name="connectTimeout">How long the TCP connect may take.</param>
    public TcpTransport(string host, int port = 5222, TimeSpan? connectTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Host = host;
        Port = port;
        ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(15);
    }

    /// <summary>The server's host name or IP address.</summary>
    public string Host { get; }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>How long the TCP connect may take.</summary>
    public TimeSpan ConnectTimeout { get; }

    /// <inheritdoc />
    public override bool UsesStartTls => true;

    /// <inheritdoc />
    public override void Configure(Bootstrap bootstrap)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        bootstrap.Channel<TcpSocketChannel>()
            .Option(ChannelOption.TcpNodelay, true)
            .Option(ChannelOption.SoKeepalive, true)
            .Option(ChannelOption.ConnectTimeout, ConnectTimeout);
    }

    /// <inheritdoc />
    public override async Task<IChannel> ConnectAsync(Bootstrap bootstrap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        IPAddress[] addresses = IPAddress.TryParse(Host, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(Host, cancellationToken).ConfigureAwait(false);
        Exception? last = null;
        foreach (IPAddress address in addresses)
        {
            try
            {
                return await bootstrap.ConnectAsync(new IPEndPoint(address, Port)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                last = e;
            }
        }

        throw new XmppConnectionException($"Could not connect to {Host}:{Port}.", last ?? new InvalidOperationException("The host has no address."));
    }
}
