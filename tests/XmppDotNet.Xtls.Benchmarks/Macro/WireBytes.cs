using System.Xml.Linq;
using XmppDotNet.Xtls.Benchmarks.Fixtures;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>
/// Bytes on the wire per stanza: every stanza the in-memory router forwards between the two clients is
/// serialised as the router writes it (with <c>from</c> and <c>to</c>) and counted, data IQs and their
/// IQ-results alike, and compared with the same stanzas sent in the clear.
/// </summary>
internal static class WireBytes
{
    public static async Task<WireRow> MeasureAsync(
        string load, InMemoryRouter router, (XmppClient Sender, XmppClient Receiver) clear, (XmppClient Sender, XmppClient Receiver) xtls, XElement stanza, int count, int window)
    {
        int stanzaBytes = StanzaWriter.ToBytes(stanza).Length;
        string body = stanza.Element(XName.Get("body", Host.XmppNamespaces.Client))?.Value ?? string.Empty;
        (long clearBytes, _, _) = await CountAsync(router, clear, body, count, window, throughTunnel: false);
        (long xtlsBytes, long iqs, long acks) = await CountAsync(router, xtls, body, count, window, throughTunnel: true);
        return new WireRow(load, stanzaBytes, count, (double)clearBytes / count, (double)xtlsBytes / count, (double)iqs / count, (double)acks / count);
    }

    private static async Task<(long Bytes, long Sets, long Results)> CountAsync(
        InMemoryRouter router, (XmppClient Sender, XmppClient Receiver) pair, string body, int count, int window, bool throughTunnel)
    {
        long bytes = 0;
        long sets = 0;
        long results = 0;
        void OnRouted(object? source, RoutedStanzaEventArgs e)
        {
            if ((e.From == pair.Sender.Jid && e.To == pair.Receiver.Jid) || (e.From == pair.Receiver.Jid && e.To == pair.Sender.Jid))
            {
                Interlocked.Add(ref bytes, StanzaWriter.ToBytes(e.Stanza).Length);
                if (Stanza.IsIq(e.Stanza))
                {
                    Interlocked.Increment(ref Stanza.GetType(e.Stanza) == "set" ? ref sets : ref results);
                }
            }
        }

        router.StanzaRouted += OnRouted;
        try
        {
            long sent = await StanzaThroughput.SendAsync(pair.Sender, pair.Receiver, body, TimeSpan.FromMinutes(2), count, throughTunnel, window);
            if (sent != count)
            {
                throw new InvalidOperationException($"Sent {sent} of {count} stanzas.");
            }
        }
        finally
        {
            router.StanzaRouted -= OnRouted;
        }

        return (Interlocked.Read(ref bytes), Interlocked.Read(ref sets), Interlocked.Read(ref results));
    }
}
