using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>
/// The stanzas of the run: a chat message whose <c>seq</c> element names its tunnel, direction and
/// sequence number, and whose body is derived from the three, so the receiver can check both where it
/// belongs and that it arrived intact.
/// </summary>
internal static class LoadStanza
{
    public const string Namespace = "urn:xmppdotnet:load:0";

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly XName MessageName = XName.Get("message", XmppNamespaces.Client);
    private static readonly XName BodyName = XName.Get("body", XmppNamespaces.Client);
    private static readonly XName SeqName = XName.Get("seq", Namespace);

    public static XElement Build(Jid to, int tunnel, int direction, int sequence, int bodyBytes) =>
        new(
            MessageName,
            new XAttribute("to", to.ToString()),
            new XAttribute("type", "chat"),
            new XElement(BodyName, Body(tunnel, direction, sequence, bodyBytes)),
            new XElement(
                SeqName,
                new XAttribute("t", tunnel.ToString(CultureInfo.InvariantCulture)),
                new XAttribute("d", direction.ToString(CultureInfo.InvariantCulture)),
                new XAttribute("s", sequence.ToString(CultureInfo.InvariantCulture))));

    /// <summary>Reads the mark; <c>false</c> when the stanza is not one of the run's or the mark is malformed.</summary>
    public static bool TryRead(XElement stanza, out int tunnel, out int direction, out int sequence, out string? body)
    {
        tunnel = direction = sequence = -1;
        body = null;
        XElement? seq = stanza.Element(SeqName);
        if (stanza.Name != MessageName || seq is null)
        {
            return false;
        }

        body = stanza.Element(BodyName)?.Value;
        return TryAttribute(seq, "t", out tunnel) && TryAttribute(seq, "d", out direction) && TryAttribute(seq, "s", out sequence);
    }

    /// <summary>Whether the body is exactly the one sent for this tunnel, direction and sequence number.</summary>
    public static bool IsIntact(string? body, int tunnel, int direction, int sequence, int bodyBytes)
    {
        if (body is null || body.Length != bodyBytes)
        {
            return false;
        }

        int start = Offset(tunnel, direction, sequence);
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] != Alphabet[(start + i) % Alphabet.Length])
            {
                return false;
            }
        }

        return true;
    }

    private static string Body(int tunnel, int direction, int sequence, int bodyBytes) =>
        string.Create(bodyBytes, Offset(tunnel, direction, sequence), static (span, start) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[(start + i) % Alphabet.Length];
            }
        });

    // A different rotation of the alphabet for neighbouring stanzas, so a swapped body is noticed.
    private static int Offset(int tunnel, int direction, int sequence) =>
        (int)(((long)tunnel * 31 + (long)direction * 17 + (long)sequence * 7) % Alphabet.Length);

    private static bool TryAttribute(XElement element, string name, out int value) =>
        int.TryParse((string?)element.Attribute(name), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
