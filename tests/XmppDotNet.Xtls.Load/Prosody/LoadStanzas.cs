using System.Globalization;
using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>The stanzas of the load: each carries its pair, direction and sequence number in a <c>load</c> element.</summary>
internal static class LoadStanzas
{
    public const string Namespace = "urn:xmppdotnet:xtls:load";

    /// <summary>Message body sizes, small to several KiB, and how often each is picked (out of 100).</summary>
    private static readonly (int Size, int Weight)[] BodySizes = [(32, 30), (200, 25), (1000, 20), (3000, 12), (6000, 8), (12000, 5)];

    private static readonly XName LoadName = XName.Get("load", Namespace);
    private static readonly XName BodyName = XName.Get("body", XmppNamespaces.Client);
    private static readonly Dictionary<int, string> Bodies = BodySizes.ToDictionary(b => b.Size, b => Filler(b.Size));

    /// <summary>A message of a randomly picked size.</summary>
    public static XElement Message(Jid to, string direction, int sequence, Random random) =>
        new(
            Stanza.MessageName,
            new XAttribute("to", to.ToString()),
            new XAttribute("type", "chat"),
            new XElement(BodyName, Bodies[PickSize(random)]),
            Mark(direction, sequence));

    /// <summary>An IQ get the peer answers with an empty result.</summary>
    public static XElement IqRequest(Jid to, string id, string direction, int sequence) =>
        Stanza.Iq("get", id, to, Mark(direction, sequence));

    /// <summary>The size of the stanza as the tunnel carries it (without from and to, which the tunnel strips).</summary>
    public static int InnerBytes(XElement stanza)
    {
        int bytes = Encoding.UTF8.GetByteCount(stanza.ToString(SaveOptions.DisableFormatting));
        return bytes - Encoding.UTF8.GetByteCount((string?)stanza.Attribute("to") ?? string.Empty);
    }

    public static bool IsLoadIqRequest(XElement stanza) => Stanza.IsIqRequest(stanza) && stanza.Element(LoadName) is not null;

    /// <summary>The direction and sequence number a load stanza carries, or <c>null</c> for any other stanza.</summary>
    public static (string Direction, int Sequence)? Read(XElement stanza)
    {
        XElement? mark = stanza.Element(LoadName);
        if (mark is null
            || (string?)mark.Attribute("dir") is not { } direction
            || !int.TryParse((string?)mark.Attribute("seq"), NumberStyles.None, CultureInfo.InvariantCulture, out int sequence))
        {
            return null;
        }

        return (direction, sequence);
    }

    private static XElement Mark(string direction, int sequence) =>
        new(LoadName, new XAttribute("dir", direction), new XAttribute("seq", sequence.ToString(CultureInfo.InvariantCulture)));

    private static int PickSize(Random random)
    {
        int roll = random.Next(100);
        foreach ((int size, int weight) in BodySizes)
        {
            if (roll < weight)
            {
                return size;
            }

            roll -= weight;
        }

        return BodySizes[0].Size;
    }

    private static string Filler(int size) =>
        string.Create(size, 0, static (span, _) =>
        {
            const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[i % Alphabet.Length];
            }
        });
}
