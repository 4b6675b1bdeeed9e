using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Pipeline;
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

    /// <summary>
    /// Enables XTLS on this client: the two handlers go into every connection's pipeline just before
    /// the stanza handler, the disco#info feature <c>urn:xmpp:tmp:xtls</c> is announced, and the
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
        return builder
            .WithSessionInitializer(session =>
            {
                var service = new XtlsService(session, options);
                session.SetService(service);
                session.Features.Add(XtlsNamespaces.Xtls);
                session.AddClosingHandler(service.CloseAllAsync);
            })
            .WithPipelineInitializer((pipeline, session) =>
            {
                XtlsService service = session.GetXtls();
                var tunnels = new XtlsHandler(service, session);
                var tls = new XtlsTlsHandler(service, session, tunnels);
                pipeline.AddBefore(XmppPipelineNames.StanzaHandler, XtlsHandlerName, tunnels);
                pipeline.AddBefore(XmppPipelineNames.StanzaHandler, XtlsTlsHandlerName, tls);
                service.Attach(pipeline.Channel, tunnels, tls);
            });
    }

    /// <summary>The XTLS API of a session that was built with <see cref="UseXtls"/>.</summary>
    /// <exception cref="InvalidOperationException">XTLS is not enabled on the session.</exception>
    public static XtlsService GetXtls(this ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.GetService<XtlsService>() ?? throw new InvalidOperationException("XTLS is not enabled on this session: build the client with UseXtls().");
    }
}
