using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

/// <summary>Feeds bytes to a parser in various splits and renders the events comparably.</summary>
internal static class ParserHarness
{
    public static XmlStreamParserOptions Fragment(string? defaultNamespace = null) => new()
    {
        ExpectStreamHeader = false,
        DefaultNamespace = defaultNamespace ?? XmppNamespaces.Client,
    };

    public static List<object> ParseWhole(string xml, XmlStreamParserOptions? options = null) =>
        ParseWhole(Encoding.UTF8.GetBytes(xml), options);

    public static List<object> ParseWhole(byte[] bytes, XmlStreamParserOptions? options = null)
    {
        var parser = new XmlStreamParser(options);
        var events = new List<object>();
        parser.Parse(bytes, events);
        Assert.That(parser.BufferedBytes, Is.Zero, "nothing may stay buffered after a complete input");
        return events;
    }

    public static List<object> ParseSplit(byte[] bytes, int at, XmlStreamParserOptions? options = null)
    {
        var parser = new XmlStreamParser(options);
        var events = new List<object>();
        parser.Parse(bytes.AsSpan(0, at), events);
        parser.Parse(bytes.AsSpan(at), events);
        Assert.That(parser.BufferedBytes, Is.Zero);
        return events;
    }

    public static List<object> ParseByteByByte(byte[] bytes, XmlStreamParserOptions? options = null)
    {
        var parser = new XmlStreamParser(options);
        var events = new List<object>();
        for (int i = 0; i < bytes.Length; i++)
        {
            parser.Parse(bytes.AsSpan(i, 1), events);
        }

        Assert.That(parser.BufferedBytes, Is.Zero);
        return events;
    }

    /// <summary>The condition the parser fails with, feeding the input whole.</summary>
    public static string ConditionOfWhole(string xml, XmlStreamParserOptions? options = null) =>
        ConditionOf(Encoding.UTF8.GetBytes(xml), options, chunk: int.MaxValue);

    /// <summary>The condition the parser fails with, feeding the input in chunks of the given size.</summary>
    public static string ConditionOf(byte[] bytes, XmlStreamParserOptions? options, int chunk)
    {
        var parser = new XmlStreamParser(options);
        var events = new List<object>();
        XmlStreamException? failure = null;
        for (int i = 0; i < bytes.Length && failure is null; i += chunk)
        {
            try
            {
                parser.Parse(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)), events);
            }
            catch (XmlStreamException exception)
            {
                failure = exception;
            }
        }

        Assert.That(failure, Is.Not.Null, "the input should have been rejected");
        return failure!.Condition;
    }

    /// <summary>A rendering of the events that differs whenever names, namespaces, attributes or content differ.</summary>
    public static List<string> Describe(IEnumerable<object> events) => events.Select(Describe).ToList();

    public static string Describe(object @event) => @event switch
    {
        StreamHeader header => "header " + header,
        XElement element => "element " + element.Name + " " + element.ToString(SaveOptions.DisableFormatting),
        StreamFooter => "footer",
        _ => "unexpected " + @event.GetType().Name,
    };
}
