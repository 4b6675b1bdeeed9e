using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Local;
using XmppDotNet.Xtls.Host.Client.Transports;

namespace XmppDotNet.Xtls.Host.Tests.StreamManagement;

/// <summary>An in-process connection to a <see cref="ScriptedSmServer"/>.</summary>
internal sealed class ScriptedTransport(LocalAddress address) : XmppTransport
{
    public override bool UsesStartTls => false;

    public override void Configure(Bootstrap bootstrap) => bootstrap.Channel<LocalChannel>();

    public override Task<IChannel> ConnectAsync(Bootstrap bootstrap, CancellationToken cancellationToken) =>
        bootstrap.ConnectAsync(address).WaitAsync(cancellationToken);
}
