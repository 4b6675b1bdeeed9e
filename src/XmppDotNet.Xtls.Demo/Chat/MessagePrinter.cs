using System.Text.Json;
using System.Xml.Linq;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>
/// Prints each received message as one line on standard output: <c>sender: body</c> with control characters
/// replaced (so a peer cannot break lines or send terminal escapes), or with <c>--json</c> one JSON object with
/// the exact body. Thread-safe: messages arrive on I/O threads.
/// </summary>
internal sealed class MessagePrinter
{
    private readonly TextWriter _out;
    private readonly bool _json;
    private readonly Lock _gate = new();

    /// <summary>Creates the printer.</summary>
    public MessagePrinter(TextWriter output, bool json)
    {
        _out = output;
        _json = json;
    }

    /// <summary>The <c>body</c> of a message in <c>jabber:client</c>, or <c>null</c>.</summary>
    public static string? BodyOf(XElement message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Element(XName.Get("body", XmppNamespaces.Client))?.Value;
    }

    /// <summary>Prints one message received through the tunnel.</summary>
    public void Print(XElement message, XtlsTunnel tunnel)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(tunnel);
        string body = BodyOf(message) ?? string.Empty;
        string from = Stanza.GetFrom(message)?.ToString() ?? tunnel.Peer.ToString();
        string line = _json ? Json(message, tunnel, from, body) : $"{Printable.OneLine(from)}: {Printable.OneLine(body)}";
        lock (_gate)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }

    private static string Json(XElement message, XtlsTunnel tunnel, string from, string body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("from", from);
            json.WriteString("to", Stanza.GetTo(message)?.ToString());
            json.WriteString("type", (string?)message.Attribute("type") ?? "normal");
            json.WriteString("body", body);
            json.WriteString("method", XtlsMethodNames.ToWire(tunnel.Method));
            if (tunnel.PeerFingerprint is { } fingerprint)
            {
                json.WriteString("fingerprint", fingerprint.ToString());
            }
            else
            {
                json.WriteNull("fingerprint");
            }

            json.WriteString("tls", tunnel.ProtocolVersion);
            json.WriteString("cipher", tunnel.CipherSuite);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
