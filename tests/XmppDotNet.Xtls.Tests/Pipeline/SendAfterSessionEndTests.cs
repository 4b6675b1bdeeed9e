using System.Xml.Linq;
using DotNetty.Transport.Channels;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Pipeline;

/// <summary>
/// A send that passed the client's online check just before the connection dropped reaches the pipeline
/// after the end. Found by the Prosody load run with a killed server: such a stanza to a tunnel peer used
/// to fall through to the socket and fail with DotNetty's ClosedChannelException instead of the tunnel's
/// typed SessionEnded failure its neighbours got.
/// </summary>
[TestFixture]
public sealed class SendAfterSessionEndTests
{
    [Test]
    public async Task A_stanza_to_a_tunnel_peer_written_after_the_connection_ended_fails_with_session_ended()
    {
        var router = new InMemoryRouter("capulet.lit");
        router.AddAccount("romeo", "r-pass");
        router.AddAccount("juliet", "j-pass");
        await router.StartAsync();
        await using var routerScope = router;
        var lateWriter = new WriteOnInactive();
        await using XmppClient romeo = new XmppClientBuilder()
            .WithJid("romeo@capulet.lit").WithPassword("r-pass").WithResource("orchard").WithInMemoryRouter(router)
            .Configure(o => o.SendInitialPresence = false)
            .UseXtls()
            .WithPipelineInitializer((pipeline, _) => pipeline.AddLast("late-writer", lateWriter))
            .Build();
        await using XmppClient juliet = XtlsPair.Build(router, "juliet", "j-pass", "balcony", null);
        await romeo.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await juliet.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(XtlsPair.Bound);
        lateWriter.Stanza = XtlsPair.Chat(juliet.Jid, "too late");

        Assert.That(router.Disconnect(romeo.Jid), Is.True);
        Task late = await lateWriter.Written.Task.WaitAsync(XtlsPair.Bound);

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await late.WaitAsync(XtlsPair.Bound));
        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.SessionEnded));
    }

    /// <summary>At the tail of the pipeline: when the connection ends, writes a stanza, as a send that lost the race would.</summary>
    private sealed class WriteOnInactive : ChannelHandlerAdapter
    {
        public XElement? Stanza { get; set; }

        public TaskCompletionSource<Task> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool IsSharable => true;

        public override void ChannelInactive(IChannelHandlerContext context)
        {
            if (Stanza is { } stanza)
            {
                Written.TrySetResult(context.Channel.WriteAndFlushAsync(stanza));
            }

            context.FireChannelInactive();
        }
    }
}
