using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

/// <summary>A binary payload element in the shape of a tunnel's data chunk, and stanzas that carry it.</summary>
internal static class PayloadFixtures
{
    public const string Namespace = "urn:example:chunks";

    public const string Base64Characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\n";

    public static readonly XName ChunkName = XName.Get("chunk", Namespace);

    public static BinaryPayloadElement Chunk(int maxBytes = 1024) => new(ChunkName, maxBytes, Base64Characters);

    public static XmlStreamParserOptions Options(int maxBytes = 1024, bool header = true)
    {
        var options = new XmlStreamParserOptions { ExpectStreamHeader = header };
        options.BinaryPayloadElements.Add(Chunk(maxBytes));
        return options;
    }

    public static string Header =>
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.org' id='s1' version='1.0'>";

    public static string Iq(string text, string id = "d1", string attributes = "") =>
        $"<iq type='set' id='{id}' from='a@example.org/r' to='b@example.org/s'><chunk xmlns='{Namespace}' sid='x'{attributes}>{text}</chunk></iq>";

    public static string Text(int length)
    {
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.Append(Base64Characters[(i * 7) % 64]);
        }

        return text.ToString();
    }

    /// <summary>Parses with a parser whose payload buffers come from <paramref name="allocator"/>, in chunks of <paramref name="chunk"/> bytes.</summary>
    public static List<object> Parse(byte[] bytes, XmlStreamParserOptions options, RecordingAllocator allocator, int chunk = int.MaxValue)
    {
        var parser = new XmlStreamParser(options) { PayloadAllocator = allocator };
        var events = new List<object>();
        for (int i = 0; i < bytes.Length; i += chunk)
        {
            parser.Parse(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)), events);
        }

        Assert.That(parser.BufferedBytes, Is.Zero);
        return events;
    }

    /// <summary>The events as ordinary elements (payloads released), rendered so that any difference shows.</summary>
    public static List<string> Render(IEnumerable<object> events) => events.Select(e =>
    {
        if (e is PayloadStanza payload)
        {
            try
            {
                return "payload:" + payload.ToXElement().ToString(SaveOptions.DisableFormatting);
            }
            finally
            {
                payload.Release();
            }
        }

        return e is XElement element ? element.ToString(SaveOptions.DisableFormatting) : e.GetType().Name;
    }).ToList();
}
