using System.Xml.Linq;
using XmppDotNet.Xtls.Tests.Pipeline;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>Opens Romeo's tunnel to Juliet and lets it settle, so that the next data IQ is the next stanza's.</summary>
internal static class OpenTunnel
{
    public const string Greeting = "the tunnel is up";

    /// <summary>
    /// Opens the tunnel, waits until Juliet has it too, and sends one message through it: once that is
    /// acknowledged, every handshake byte is, and nothing of the tunnel is in flight.
    /// </summary>
    public static async Task<XtlsTunnel> SettledAsync(XtlsPair pair)
    {
        Task<XtlsTunnel> julietOpened = Watch.NextOpened(pair.JulietXtls);
        XtlsTunnel tunnel = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await julietOpened;
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, Greeting)).WaitAsync(XtlsPair.Bound);
        XElement greeting = await XtlsPair.NextMessageAsync(pair.JulietInbox);
        Assert.That(greeting.Value, Is.EqualTo(Greeting));
        return tunnel;
    }
}
