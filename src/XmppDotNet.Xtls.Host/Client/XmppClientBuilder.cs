using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Host.Client.Transports;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Host.Client;

/// <summary>
/// Builds an <see cref="XmppClient"/>. Plugins hook in with extension methods that call
/// <see cref="WithPipelineInitializer"/> and <see cref="WithSessionInitializer"/>.
/// </summary>
/// <example>
/// <code>
/// var client = new XmppClientBuilder()
///     .WithJid("romeo@montague.lit")
///     .WithPassword(password)
///     .WithResource("orchard")
///     .Build();
/// await client.ConnectAsync();
/// </code>
/// </example>
public sealed class XmppClientBuilder
{
    /// <summary>The options being built; extension methods may read and change them.</summary>
    public XmppClientOptions Options { get; } = new();

    /// <summary>Sets the account (a bare JID; a resource given here is used as the resource).</summary>
    public XmppClientBuilder WithJid(string jid) => WithJid(Jid.Parse(jid));

    /// <summary>Sets the account (a bare JID; a resource given here is used as the resource).</summary>
    public XmppClientBuilder WithJid(Jid jid)
    {
        ArgumentNullException.ThrowIfNull(jid);
        if (jid.Local is null)
        {
            throw new ArgumentException("The account JID needs a localpart (user@domain).", nameof(jid));
        }

        Options.Account = jid.Bare;
        if (jid.Resource is not null)
        {
            Options.Resource = jid.Resource;
        }

        return this;
    }

    /// <summary>Sets the password.</summary>
    public XmppClientBuilder WithPassword(string password)
    {
        Options.Password = password ?? throw new ArgumentNullException(nameof(password));
        return this;
    }

    /// <summary>Sets the resource to ask for.</summary>
    public XmppClientBuilder WithResource(string resource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        Options.Resource = resource;
        return this;
    }

    /// <summary>Connects over TCP with STARTTLS to the given host and port.</summary>
    public XmppClientBuilder WithTcpServer(string host, int port = 5222)
    {
        Options.Transport = new TcpTransport(host, port);
        return this;
    }

    /// <summary>Connects to an in-process router (demos and tests).</summary>
    public XmppClientBuilder WithInMemoryRouter(InMemoryRouter router)
    {
        Options.Transport = new InMemoryTransport(router);
        return this;
    }

    /// <summary>Accepts exactly this server certificate (for self-signed servers).</summary>
    public XmppClientBuilder WithPinnedServerCertificate(X509Certificate2 certificate)
    {
        Options.ServerCertificateValidation = ServerCertificateValidation.Pinned(certificate);
        return this;
    }

    /// <summary>Validates the server certificate with a custom callback.</summary>
    public XmppClientBuilder WithServerCertificateValidation(RemoteCertificateValidationCallback validation)
    {
        Options.ServerCertificateValidation = validation ?? throw new ArgumentNullException(nameof(validation));
        return this;
    }

    /// <summary>Logs through the given factory.</summary>
    public XmppClientBuilder WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        Options.LoggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>Uses the given clock for timeouts.</summary>
    public XmppClientBuilder WithTimeProvider(TimeProvider timeProvider)
    {
        Options.TimeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        return this;
    }

    /// <summary>
    /// Runs on every session's pipeline, after the host's handlers are in place; the pipeline outlives a
    /// resumed connection (see <see cref="XmppClientOptions.PipelineInitializers"/>).
    /// </summary>
    public XmppClientBuilder WithPipelineInitializer(Action<IChannelPipeline, ISession> initializer)
    {
        Options.PipelineInitializers.Add(initializer ?? throw new ArgumentNullException(nameof(initializer)));
        return this;
    }

    /// <summary>Runs once when the client is built.</summary>
    public XmppClientBuilder WithSessionInitializer(Action<ISession> initializer)
    {
        Options.SessionInitializers.Add(initializer ?? throw new ArgumentNullException(nameof(initializer)));
        return this;
    }

    /// <summary>Changes the stream-management (XEP-0198) options, for example to turn it off.</summary>
    public XmppClientBuilder WithStreamManagement(Action<StreamManagement.StreamManagementOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Options.StreamManagement);
        return this;
    }

    /// <summary>Changes any option.</summary>
    public XmppClientBuilder Configure(Action<XmppClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Options);
        return this;
    }

    /// <summary>Builds the client (not yet connected).</summary>
    /// <exception cref="InvalidOperationException">The account or password is missing.</exception>
    public XmppClient Build()
    {
        if (Options.Account is null)
        {
            throw new InvalidOperationException("The account JID is not set (WithJid).");
        }

        if (Options.Password is null)
        {
            throw new InvalidOperationException("The password is not set (WithPassword).");
        }

        Options.StreamManagement.Validate();
        return new XmppClient(Options);
    }
}
