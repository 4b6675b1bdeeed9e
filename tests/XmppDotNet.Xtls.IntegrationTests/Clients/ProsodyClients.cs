using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Clients;

/// <summary>Builds host clients for a test server (Prosody, ejabberd) and the stanzas the tests exchange.</summary>
internal static class ProsodyClients
{
    /// <summary>The longest any single step of a test may take.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A client for <paramref name="account"/> on <paramref name="server"/>: TCP to the server's
    /// loopback port, STARTTLS with the server's certificate pinned, the given resource.
    /// </summary>
    public static XmppClientBuilder Builder(ITestXmppServer server, TestAccount account, string resource) =>
        new XmppClientBuilder()
            .WithJid(account.Jid)
            .WithPassword(account.Password)
            .WithResource(resource)
            .WithTcpServer(server.Host, server.Port)
            .WithPinnedServerCertificate(server.Certificate);

    /// <summary>A chat message to <paramref name="to"/>.</summary>
    public static XElement ChatMessage(Jid to, string body, string? id = null)
    {
        var message = new XElement(
            Stanza.MessageName,
            new XAttribute("to", to.ToString()),
            new XAttribute("type", "chat"),
            new XElement(XName.Get("body", XmppNamespaces.Client), body));
        if (id is not null)
        {
            message.SetAttributeValue("id", id);
        }

        return message;
    }

    /// <summary>The body of a message, or <c>null</c>.</summary>
    public static string? Body(XElement message) => message.Element(XName.Get("body", XmppNamespaces.Client))?.Value;
}
