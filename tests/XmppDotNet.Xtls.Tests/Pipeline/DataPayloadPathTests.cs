using System.Xml.Linq;
using DotNetty.Transport.Channels;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tests.Pipeline;

/// <summary>Through a real session pipeline, data IQs leave and arrive as payload stanzas (bytes), never as text.</summary>
public class DataPayloadPathTests
{
    [Test]
    public async Task Data_iqs_go_out_and_come_in_as_payload_stanzas_and_the_tunnel_works_as_before()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        var romeoProbe = new PayloadProbe();
        var julietProbe = new PayloadProbe();
        pair.Romeo.Channel!.Pipeline.AddBefore(XtlsClientBuilderExtensions.XtlsHandlerName, "probe", romeoProbe);
        pair.Juliet.Channel!.Pipeline.AddBefore(XtlsClientBuilderExtensions.XtlsHandlerName, "probe", julietProbe);

        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "Did my heart love till now?")).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(received.Element(XName.Get("body", XmppNamespaces.Client))?.Value, Is.EqualTo("Did my heart love till now?"));
        Assert.That(received.IsFromXtlsTunnel(), Is.True);
        Assert.That(romeoProbe.OutboundPayloads, Is.GreaterThan(0), "Romeo's chunks are written as payload stanzas");
        Assert.That(julietProbe.InboundPayloads, Is.GreaterThan(0), "Juliet's chunks arrive as payload stanzas");
        Assert.That(julietProbe.InboundDataAsText, Is.Zero, "no data IQ reaches the plugin as text");
        Assert.That(romeoProbe.OutboundDataAsText, Is.Zero, "no data IQ leaves as text");
    }

    /// <summary>Counts, without touching them, the payload stanzas and the text data IQs that pass.</summary>
    private sealed class PayloadProbe : ChannelDuplexHandler
    {
        private int _inboundPayloads;
        private int _outboundPayloads;
        private int _inboundDataAsText;
        private int _outboundDataAsText;

        public int InboundPayloads => Volatile.Read(ref _inboundPayloads);

        public int OutboundPayloads => Volatile.Read(ref _outboundPayloads);

        public int InboundDataAsText => Volatile.Read(ref _inboundDataAsText);

        public int OutboundDataAsText => Volatile.Read(ref _outboundDataAsText);

        public override bool IsSharable => true;

        public override void ChannelRead(IChannelHandlerContext context, object message)
        {
            Count(message, ref _inboundPayloads, ref _inboundDataAsText);
            context.FireChannelRead(message);
        }

        public override Task WriteAsync(IChannelHandlerContext context, object message)
        {
            Count(message, ref _outboundPayloads, ref _outboundDataAsText);
            return context.WriteAsync(message);
        }

        private static void Count(object message, ref int payloads, ref int text)
        {
            if (message is PayloadStanza payload && payload.PayloadElement.Name == XtlsElements.DataName)
            {
                Interlocked.Increment(ref payloads);
            }
            else if (message is XElement element && element.Element(XtlsElements.DataName) is not null)
            {
                Interlocked.Increment(ref text);
            }
        }
    }
}
