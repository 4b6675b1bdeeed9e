using System.Threading.Channels;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tests.Pipeline;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>Bounded waits for the events the hostile tests assert on.</summary>
internal static class Watch
{
    /// <summary>The next tunnel end a service reports.</summary>
    public static Task<XtlsTunnelClosedEventArgs> NextClosed(XtlsService service)
    {
        var closed = new TaskCompletionSource<XtlsTunnelClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        service.TunnelClosed += (_, e) => closed.TrySetResult(e);
        return closed.Task.WaitAsync(XtlsPair.Bound);
    }

    /// <summary>The next tunnel a service reports opened.</summary>
    public static Task<XtlsTunnel> NextOpened(XtlsService service)
    {
        var opened = new TaskCompletionSource<XtlsTunnel>(TaskCreationOptions.RunContinuationsAsynchronously);
        service.TunnelOpened += (_, e) => opened.TrySetResult(e.Tunnel);
        return opened.Task.WaitAsync(XtlsPair.Bound);
    }

    /// <summary>Every stanza rejection a service reports, in order.</summary>
    public static Channel<XtlsStanzaRejectedEventArgs> Rejections(XtlsService service)
    {
        Channel<XtlsStanzaRejectedEventArgs> rejections = Channel.CreateUnbounded<XtlsStanzaRejectedEventArgs>();
        service.StanzaRejected += (_, e) => rejections.Writer.TryWrite(e);
        return rejections;
    }

    /// <summary>Every message an application receives, in order.</summary>
    public static Channel<XElement> Messages(XmppClient client)
    {
        Channel<XElement> messages = Channel.CreateUnbounded<XElement>();
        client.StanzaReceived += (_, e) =>
        {
            if (e.Stanza.Name == Stanza.MessageName)
            {
                messages.Writer.TryWrite(e.Stanza);
            }
        };
        return messages;
    }

    /// <summary>
    /// Writes the stanzas in one turn of the client's event loop, so that nothing the peer answers can
    /// come between them: each is encrypted and sent before the tunnel can react to the first.
    /// </summary>
    public static Task<Task[]> SendInOneTurn(XmppClient client, params XElement[] stanzas) =>
        client.Channel!.EventLoop.SubmitAsync(() => stanzas.Select(client.SendAsync).ToArray()).WaitAsync(XtlsPair.Bound);

    /// <summary>Waits until everything queued on the client's event loop before this call has run.</summary>
    public static Task EventLoopSettled(XmppClient client) =>
        client.Channel!.EventLoop.SubmitAsync(() => true).WaitAsync(XtlsPair.Bound);
}
