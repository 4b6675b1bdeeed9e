using DotNetty.Transport.Channels;
using XmppDotNet.Xtls.Host.Client;

namespace XmppDotNet.Xtls.Host.Tests.Client;

/// <summary>A send that passed the online check while the connection was dropping fails with the host's own exception type.</summary>
[TestFixture]
public sealed class SendOnClosedConnectionTests
{
    [Test]
    public async Task A_stanza_that_meets_a_closed_connection_fails_with_an_xmpp_connection_exception()
    {
        await using RouterFixture fixture = await RouterFixture.StartAsync();
        var dropper = new DropBeforeNextWrite();
        XmppClient romeo = await fixture.OnlineAsync("romeo", "r-pass", "orchard", b => b.WithPipelineInitializer((pipeline, _) => pipeline.AddFirst("dropper", dropper)));
        dropper.Armed = true;

        Task send = romeo.SendAsync(RouterFixture.Message("juliet@capulet.lit/balcony", "into the void"));

        XmppConnectionException? error = await Assert.ThrowsAsync<XmppConnectionException>(async () => await send.WaitAsync(RouterFixture.Bound));
        Assert.That(error!.InnerException, Is.InstanceOf<ClosedChannelException>());
    }

    /// <summary>Next to the socket: once armed, closes the connection and then lets the next write through to it.</summary>
    private sealed class DropBeforeNextWrite : ChannelHandlerAdapter
    {
        public volatile bool Armed;

        public override bool IsSharable => true;

        public override Task WriteAsync(IChannelHandlerContext context, object message)
        {
            if (Armed)
            {
                Armed = false;
                _ = context.Channel.CloseAsync();
            }

            return context.WriteAsync(message);
        }
    }
}
