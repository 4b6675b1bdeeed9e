using System.Buffers.Binary;
using System.Xml.Linq;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tests.Reopen;

/// <summary>Reads what a server in the middle can read of a tunnel's opening: the start element and the ClientHello's extensions.</summary>
internal static class ClientHello
{
    public const int PreSharedKey = 41;
    public const int PskKeyExchangeModes = 45;

    /// <summary>The serialised stanzas a router forwarded, parsed.</summary>
    public static List<XElement> Parse(IEnumerable<string> routed) => [.. routed.Select(s => XElement.Parse(s))];

    /// <summary>The start elements sent, in order.</summary>
    public static List<XElement> Starts(IEnumerable<string> routed) =>
        [.. Parse(routed).SelectMany(iq => iq.Elements(XtlsElements.StartName))];

    /// <summary>The proceed elements sent, in order.</summary>
    public static List<XElement> Proceeds(IEnumerable<string> routed) =>
        [.. Parse(routed).SelectMany(iq => iq.Elements(XtlsElements.ProceedName))];

    /// <summary>The extension types of every ClientHello (the first data of each tunnel, the one with a method), in order.</summary>
    public static List<int[]> ExtensionsOfEach(IEnumerable<string> routed) =>
        [.. Parse(routed)
            .SelectMany(iq => iq.Elements(XtlsElements.DataName))
            .Where(d => XtlsElements.ReadMethod(d) is not null)
            .Select(d => Extensions(Convert.FromBase64String(d.Value)))];

    /// <summary>The extension types of the ClientHello at the start of <paramref name="record"/>.</summary>
    public static int[] Extensions(byte[] record)
    {
        ReadOnlySpan<byte> r = record;
        Assert.That(r[0], Is.EqualTo(22), "a handshake record");
        ReadOnlySpan<byte> hs = r[5..];
        Assert.That(hs[0], Is.EqualTo(1), "a ClientHello");
        int p = 4 + 2 + 32;
        p += 1 + hs[p];
        p += 2 + BinaryPrimitives.ReadUInt16BigEndian(hs[p..]);
        p += 1 + hs[p];
        int end = p + 2 + BinaryPrimitives.ReadUInt16BigEndian(hs[p..]);
        p += 2;
        var types = new List<int>();
        while (p < end)
        {
            types.Add(BinaryPrimitives.ReadUInt16BigEndian(hs[p..]));
            p += 4 + BinaryPrimitives.ReadUInt16BigEndian(hs[(p + 2)..]);
        }

        return [.. types];
    }
}
