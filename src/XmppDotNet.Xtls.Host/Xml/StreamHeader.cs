using System.Buffers;
using System.Text;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>The opening <c>stream:stream</c> tag of an XMPP stream (RFC 6120 §4.7).</summary>
/// <param name="From">The 'from' attribute, or <c>null</c>.</param>
/// <param name="To">The 'to' attribute, or <c>null</c>.</param>
/// <param name="Id">The 'id' attribute (set by the receiving entity), or <c>null</c>.</param>
/// <param name="Version">The 'version' attribute ("1.0" for RFC 6120 streams), or <c>null</c>.</param>
/// <param name="Lang">The 'xml:lang' attribute, or <c>null</c>.</param>
/// <param name="DefaultNamespace">The content namespace declared as default, e.g. <see cref="XmppNamespaces.Client"/>.</param>
public sealed record StreamHeader(string? From, string? To, string? Id, string? Version, string? Lang, string DefaultNamespace)
{
    /// <summary>A header a client sends to open a stream to a server.</summary>
    /// <param name="to">The server's domain.</param>
    /// <param name="from">The client's bare JID, or <c>null</c> (RFC 6120 §4.7.1: only after TLS).</param>
    /// <param name="lang">The default language of the stream.</param>
    public static StreamHeader ForClient(string to, string? from = null, string lang = "en")
    {
        ArgumentException.ThrowIfNullOrEmpty(to);
        return new StreamHeader(from, to, null, "1.0", lang, XmppNamespaces.Client);
    }

    /// <summary>
    /// The header as XML, preceded by the XML declaration: <c>&lt;?xml version='1.0'?&gt;&lt;stream:stream xmlns='…'
    /// xmlns:stream='http://etherx.jabber.org/streams' to='…' from='…' id='…' version='…' xml:lang='…'&gt;</c>,
    /// with only the attributes that are set, values escaped.
    /// </summary>
    /// <exception cref="ArgumentException">A value contains a character XML 1.0 does not allow.</exception>
    public string ToXml()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes <see cref="ToXml"/> as UTF-8.</summary>
    /// <exception cref="ArgumentException">A value contains a character XML 1.0 does not allow.</exception>
    /// <exception cref="InvalidOperationException"><see cref="DefaultNamespace"/> is <c>null</c>.</exception>
    public void Write(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (DefaultNamespace is null)
        {
            throw new InvalidOperationException("A stream header needs a default namespace.");
        }

        XmlOutput.WriteRaw(output, "<?xml version='1.0'?><stream:stream"u8);
        XmlOutput.WriteAttribute(output, "xmlns"u8, DefaultNamespace);
        XmlOutput.WriteAttribute(output, "xmlns:stream"u8, XmppNamespaces.Streams);
        WriteOptional(output, "to"u8, To);
        WriteOptional(output, "from"u8, From);
        WriteOptional(output, "id"u8, Id);
        WriteOptional(output, "version"u8, Version);
        WriteOptional(output, "xml:lang"u8, Lang);
        XmlOutput.WriteByte(output, (byte)'>');
    }

    private static void WriteOptional(IBufferWriter<byte> output, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            XmlOutput.WriteAttribute(output, name, value);
        }
    }
}
