using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Pipeline;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Pipeline;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls;

/// <summary>Turns XTLS on for a client.</summary>
public static class XtlsClientBuilderExtensions
{
    /// <summary>The name of the IQ-level XTLS handler in the pipeline.</summary>
    public const string XtlsHandlerName = "xtls";

    /// <summary>The name of the TLS-level XTLS handler in the pipeline.</summary>
    public const string XtlsTlsHandlerName = "xtls-tls";

    /// <summary>The name of the XTLS contact handler (fan-out of messages to bare JIDs) in the pipeline.</summary>
    public const string XtlsContactHandlerName = "xtls-contacts";

    /// <summary>
    /// Enables XTLS on this client: the two handlers go into every connection's pipeline just before
    /// the stanza handler (with the contact layer's, see <see cref="GetXtlsContacts"/>), the disco#info feature <c>urn:xmpp:tmp:xtls</c> is announced, and the
    /// session gets an <see cref="XtlsService"/> (see <see cref="GetXtls"/>).
    /// </summary>
    /// <example>
    /// <code>
    /// var client = new XmppClientBuilder()
    ///     .WithJid("romeo@montague.lit").WithPassword(password)
    ///     .UseXtls(xtls => xtls.TrustStore = new FileTrustStore("known-peers.txt"))
    ///     .Build();
    /// await client.ConnectAsync();
    /// XtlsTunnel tunnel = await client.GetXtls().OpenAsync(Jid.Parse("juliet@capulet.lit/balcony"));
    /// await client.SendAsync(message); // to juliet@capulet.lit/balcony: goes through the tunnel
    /// </code>
    /// </example>
    public static XmppClientBuilder UseXtls(this XmppClientBuilder builder, Action<XtlsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new XtlsOptions();
        configure?.Invoke(options);
        options.Validate();

        // Data chunks reach the plugin as bytes, never as strings; the bound is the one the plugin itself
        // checks, so an oversized chunk meets the same refusal on the ordinary path.
        BinaryPayloadElement dataPayload = XtlsElements.DataPayloadElement(options.Tunnels.MaxInboundChunkBytes);
        return builder
            .Configure(o => o.BinaryPayloadElements.Add(dataPayload))
            .WithSessionInitializer(session =>
            {
                var service = new XtlsService(session, options);
                session.SetService(service);
                session.SetService(new XtlsContacts(session, service, new HostContactDirectory(session)));
                session.Features.Add(XtlsNamespaces.Xtls);
                session.AddClosingHandler(service.CloseAllAsync);
            })
            .WithPipelineInitializer((pipeline, session) =>
            {
                XtlsService service = session.GetXtls();
                XtlsContacts contacts = session.GetXtlsContacts();
                var tunnels = new XtlsHandler(service, session);
                var tls = new XtlsTlsHandler(service, contacts, session, tunnels);
                pipeline.AddBefore(XmppPipelineNames.StanzaHandler, XtlsHandlerName, tunnels);
                pipeline.AddBefore(XmppPipelineNames.StanzaHandler, XtlsTlsHandlerName, tls);
                pipeline.AddBefore(XmppPipelineNames.StanzaHandler, XtlsContactHandlerName, new XtlsContactHandler(contacts, session));
                service.Attach(pipeline.Channel, tunnels, tls);
            });
    }

    /// <summary>The contact layer of a session that was built with <see cref="UseXtls"/>: per-contact policies, fan-out, a contact's tunnels.</summary>
    /// <exception cref="InvalidOperationException">XTLS is not enabled on the session.</exception>
    public static XtlsContacts GetXtlsContacts(this ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.GetService<XtlsContacts>() ?? throw new InvalidOperationException("XTLS is not enabled on this session: build the client with UseXtls().");
    }

    /// <summary>The XTLS API of a session that was built with <see cref="UseXtls"/>.</summary>
    /// <exception cref="InvalidOperationException">XTLS is not enabled on the session.</exception>
    public static XtlsService GetXtls(this ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.GetService<XtlsService>() ?? throw new InvalidOperationException("XTLS is not enabled on this session: build the client with UseXtls().");
    }
}
