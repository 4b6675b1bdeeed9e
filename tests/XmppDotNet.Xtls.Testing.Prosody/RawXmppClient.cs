using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>
/// A deliberately dumb XMPP client over a plain socket: it writes the XML it is given and parses
/// what comes back one element at a time. It checks the test server without depending on the
/// client library under test.
/// </summary>
public sealed class RawXmppClient : IAsyncDisposable
{
    /// <summary>No server greeting in these tests comes near this; anything larger is a fault.</summary>
    private const long MaxCharactersPerStream = 1 << 20;

    private readonly TcpClient _tcp;
    private Stream _transport;
    private XmlReader? _reader;

    private RawXmppClient(TcpClient tcp)
    {
        _tcp = tcp;
        _transport = tcp.GetStream();
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> (IPv4 or IPv6 literal).</summary>
    public static async Task<RawXmppClient> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(host);
        var tcp = new TcpClient(address.AddressFamily) { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(address, port, cancellationToken);
            return new RawXmppClient(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends a client stream header to <paramref name="domain"/> and reads the server's header.</summary>
    public async Task<StreamHeader> OpenStreamAsync(string domain, CancellationToken cancellationToken)
    {
        await SendAsync(
            $"<?xml version='1.0'?><stream:stream to='{SecurityElement.Escape(domain)}' version='1.0' xml:lang='en' " +
            $"xmlns='{XmppNamespaces.Client}' xmlns:stream='{XmppNamespaces.Streams}'>",
            cancellationToken);

        // A new stream (also after STARTTLS) is a new XML document: start a fresh parser.
        var reader = XmlReader.Create(_transport, new XmlReaderSettings
        {
            Async = true,
            CloseInput = false,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreWhitespace = true,
            MaxCharactersInDocument = MaxCharactersPerStream,
        });
        _reader?.Dispose();
        _reader = reader;
        using var abort = cancellationToken.Register(Abort);
        await CancellableAsync(reader.MoveToContentAsync, cancellationToken);
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "stream" || reader.NamespaceURI != XmppNamespaces.Streams)
        {
            throw new InvalidDataException($"Expected a stream header, got {reader.NodeType} '{reader.Name}'.");
        }

        return new StreamHeader(reader.GetAttribute("from"), reader.GetAttribute("id"), reader.GetAttribute("version"));
    }

    /// <summary>Reads the next top-level element of the stream; throws <see cref="EndOfStreamException"/> when the stream ends.</summary>
    public async Task<XElement> ReadElementAsync(CancellationToken cancellationToken)
    {
        var reader = _reader ?? throw new InvalidOperationException("Open the stream first.");
        using var abort = cancellationToken.Register(Abort);
        return await CancellableAsync(() => ReadNextElementAsync(reader), cancellationToken);
    }

    /// <summary>Writes raw XML to the stream.</summary>
    public async Task SendAsync(string xml, CancellationToken cancellationToken)
    {
        await _transport.WriteAsync(Encoding.UTF8.GetBytes(xml), cancellationToken);
        await _transport.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Negotiates STARTTLS and opens the stream again over TLS, accepting the server's certificate
    /// only when <paramref name="acceptCertificate"/> says so. Returns the new stream header.
    /// </summary>
    public async Task<StreamHeader> StartTlsAsync(string domain, Func<X509Certificate?, bool> acceptCertificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(acceptCertificate);
        await SendAsync($"<starttls xmlns='{XmppNamespaces.Tls}'/>", cancellationToken);
        var answer = await ReadElementAsync(cancellationToken);
        if (answer.Name != XName.Get("proceed", XmppNamespaces.Tls))
        {
            throw new InvalidDataException($"STARTTLS refused: {answer}");
        }

        var tls = new SslStream(_transport, leaveInnerStreamOpen: false, (_, certificate, _, _) => acceptCertificate(certificate));
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = domain, EnabledSslProtocols = SslProtocols.None },
                cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        _transport = tls;
        return await OpenStreamAsync(domain, cancellationToken);
    }

    /// <summary>Authenticates with SASL PLAIN (only sensible over TLS); returns the server's success or failure element.</summary>
    public async Task<XElement> AuthenticatePlainAsync(string user, string password, CancellationToken cancellationToken)
    {
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
        await SendAsync($"<auth xmlns='{XmppNamespaces.Sasl}' mechanism='PLAIN'>{credentials}</auth>", cancellationToken);
        return await ReadElementAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _reader?.Dispose();
        await _transport.DisposeAsync();
        _tcp.Dispose();
    }

    private static async Task<XElement> ReadNextElementAsync(XmlReader reader)
    {
        while (await reader.ReadAsync())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    return await ReadElementAtCursorAsync(reader);
                case XmlNodeType.EndElement:
                    throw new EndOfStreamException("The server closed the XML stream.");
                default:
                    continue;
            }
        }

        throw new EndOfStreamException("The server closed the connection.");
    }

    /// <summary>
    /// Builds the element the reader is on without reading past its end tag: reading ahead would
    /// block until the server sends more, which it may never do (after &lt;proceed/&gt;, say).
    /// </summary>
    private static async Task<XElement> ReadElementAtCursorAsync(XmlReader reader)
    {
        var root = StartElement(reader);
        if (reader.IsEmptyElement)
        {
            return root;
        }

        var depth = reader.Depth;
        var open = new Stack<XElement>();
        open.Push(root);
        while (await reader.ReadAsync())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var child = StartElement(reader);
                    open.Peek().Add(child);
                    if (!reader.IsEmptyElement)
                    {
                        open.Push(child);
                    }

                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                    open.Peek().Add(new XText(reader.Value));
                    break;
                case XmlNodeType.EndElement:
                    if (reader.Depth == depth)
                    {
                        return root;
                    }

                    open.Pop();
                    break;
                default:
                    break;
            }
        }

        throw new EndOfStreamException("The connection ended inside an element.");
    }

    private static XElement StartElement(XmlReader reader)
    {
        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                // Namespace declarations are already part of the element names.
                if (reader.NamespaceURI != XNamespace.Xmlns.NamespaceName)
                {
                    element.SetAttributeValue(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value);
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        return element;
    }

    /// <summary>Reports a read that failed because <see cref="Abort"/> closed the socket as the cancellation it is.</summary>
    private static async Task<T> CancellableAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("The read was cancelled by closing the connection.", e, cancellationToken);
        }
    }

    /// <summary>Cancellation cannot reach a pending XmlReader read; closing the socket ends it.</summary>
    private void Abort() => _tcp.Dispose();
}
