using System.Xml.Linq;
using DotNetty.Transport.Channels;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// Counts the stanzas a client writes to its server and their serialised bytes (first in the session
/// pipeline, so it sees what every other handler wrote, tunnel IQs included, also those written as payload stanzas).
/// </summary>
internal sealed class WireCounter : ChannelHandlerAdapter
{
    private long _bytes;
    private long _writes;

    public override bool IsSharable => true;

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Writes => Interlocked.Read(ref _writes);

    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        if (message is XElement stanza)
        {
            Interlocked.Add(ref _bytes, StanzaWriter.ToBytes(stanza).Length);
            Interlocked.Increment(ref _writes);
        }
        else if (message is PayloadStanza payload)
        {
            // A data IQ whose Base64 travels beside the element: counted as written, payload included.
            Interlocked.Add(ref _bytes, StanzaWriter.GetByteCount(payload, XmppNamespaces.Client));
            Interlocked.Increment(ref _writes);
        }

        return context.WriteAsync(message);
    }
}
