using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>Reads and rewrites XTLS IQs the way a server in the middle could.</summary>
internal static class DataIq
{
    public static bool IsData(XElement stanza) => IsSet(stanza) && stanza.Element(XtlsElements.DataName) is not null;

    public static bool IsClose(XElement stanza) => IsSet(stanza) && stanza.Element(XtlsElements.CloseName) is not null;

    /// <summary>The decoded ciphertext of a data IQ.</summary>
    public static byte[] Payload(XElement iq) => Convert.FromBase64String(iq.Element(XtlsElements.DataName)!.Value);

    /// <summary>A copy whose data element carries other text (its method attribute is kept).</summary>
    public static XElement WithText(XElement iq, string text)
    {
        var copy = new XElement(iq);
        copy.Element(XtlsElements.DataName)!.Value = text;
        return copy;
    }

    /// <summary>A copy carrying other ciphertext.</summary>
    public static XElement WithPayload(XElement iq, byte[] payload) => WithText(iq, Convert.ToBase64String(payload));

    /// <summary>A copy with one bit of the ciphertext inverted.</summary>
    public static XElement FlipBit(XElement iq, int byteIndex, int bit = 0)
    {
        byte[] payload = Payload(iq);
        payload[byteIndex] ^= (byte)(1 << bit);
        return WithPayload(iq, payload);
    }

    /// <summary>A copy under another IQ id, as a replay that dodges duplicate-id checks would be sent.</summary>
    public static XElement WithId(XElement iq, string id)
    {
        var copy = new XElement(iq);
        copy.SetAttributeValue("id", id);
        return copy;
    }

    /// <summary>A plain data IQ-set, for peers that have no tunnel.</summary>
    public static XElement Data(string id, Jid to, string base64Text) =>
        Stanza.Iq("set", id, to, new XElement(XtlsElements.DataName, base64Text));

    private static bool IsSet(XElement stanza) => stanza.Name == Stanza.IqName && Stanza.GetType(stanza) == "set";
}
