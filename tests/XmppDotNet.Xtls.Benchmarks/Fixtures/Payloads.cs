using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Benchmarks.Fixtures;

/// <summary>The stanzas every benchmark sends: chat messages whose body has a given number of ASCII bytes.</summary>
public static class Payloads
{
    /// <summary>The body sizes compared: 256 B, 1 KiB, 4 KiB, 16 KiB.</summary>
    public static readonly int[] BodySizes = [256, 1024, 4096, 16384];

    private static readonly XName BodyName = XName.Get("body", XmppNamespaces.Client);

    /// <summary>A deterministic body of letters and digits (no characters that need escaping).</summary>
    public static string Body(int size)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
        return string.Create(size, 0, static (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[(i * 7 + (i >> 5)) % Alphabet.Length];
            }
        });
    }

    /// <summary>A chat message with a body of <paramref name="bodySize"/> bytes.</summary>
    public static XElement Message(Jid? to, int bodySize) => Message(to, Body(bodySize));

    /// <summary>A chat message with the given body.</summary>
    public static XElement Message(Jid? to, string body)
    {
        var message = new XElement(Stanza.MessageName, new XAttribute("type", "chat"), new XElement(BodyName, body));
        if (to is not null)
        {
            message.SetAttributeValue("to", to.ToString());
        }

        return message;
    }

    /// <summary>A message whose serialised form (no from/to) is as close to <paramref name="totalBytes"/> as a body allows.</summary>
    public static XElement MessageOfTotalSize(int totalBytes)
    {
        int overhead = Host.Xml.StanzaWriter.ToBytes(Message(null, 0)).Length;
        return Message(null, Math.Max(0, totalBytes - overhead));
    }
}
