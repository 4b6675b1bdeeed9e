using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Local;
using XmppDotNet.Xtls.Host.Router;

namespace XmppDotNet.Xtls.Host.Client.Transports;

/// <summary>A connection to an <see cref="InMemoryRouter"/> in the same process (no TLS: nothing leaves the process).</summary>
public sealed class InMemoryTransport : XmppTransport
{
    /// <summary>Creates the transport.</summary>
    public InMemoryTransport(InMemoryRouter router) => Router = router ?? throw new ArgumentNullException(nameof(router));

    /// <summary>The router.</summary>
    public InMemoryRouter Router { get; }

    /// <inheritdoc />
    public override bool UsesStartTls => false;

    /// <inheritdoc />
    public override void Configure(Bootstrap bootstrap)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        bootstrap.Channel<LocalChannel>();
    }

    /// <inheritdoc />
    public override Task<IChannel> ConnectAsync(Bootstrap bootstrap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        return bootstrap.ConnectAsync(Router.Address).WaitAsync(cancellationToken);
    }
}
