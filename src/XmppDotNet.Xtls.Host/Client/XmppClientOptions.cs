using System.Net.Security;
using System.Security.Authentication;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmppDotNet.Xtls.Host.Client.Transports;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.StreamManagement;

namespace XmppDotNet.Xtls.Host.Client;

/// <summary>Everything an <see cref="XmppClient"/> is configured with. Built by <see cref="XmppClientBuilder"/>.</summary>
public sealed class XmppClientOptions
{
    /// <summary>The account's bare JID.</summary>
    public Jid? Account { get; set; }

    /// <summary>The account password.</summary>
    public string? Password { get; set; }

    /// <summary>The resource to ask for; <c>null</c> lets the server choose.</summary>
    public string? Resource { get; set; }

    /// <summary>How the server is reached; default: TCP to the account's domain, port 5222.</summary>
    public XmppTransport? Transport { get; set; }

    /// <summary>
    /// Validates the server's TLS certificate. Default: the system's validation (a trusted chain
    /// for the server's name); never accept-all. See <see cref="ServerCertificateValidation"/>.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>The host name the server certificate must be valid for; default: the account's domain.</summary>
    public string? TlsHost { get; set; }

    /// <summary>TLS versions for the connection to the server; <see cref="SslProtocols.None"/> lets the system choose (TLS 1.2/1.3).</summary>
    public SslProtocols TlsProtocols { get; set; } = SslProtocols.None;

    /// <summary>How long connecting and negotiating may take in all.</summary>
    public TimeSpan NegotiationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The default time to wait for an IQ response.</summary>
    public TimeSpan IqTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long closing (plugins' closing work and the server's footer) may take.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest stanza accepted from the server, in bytes (over it: <c>policy-violation</c>).</summary>
    public int MaxStanzaBytes { get; set; } = 262_144;

    /// <summary>
    /// Elements whose character data the connection delivers as bytes: a stanza with one of them arrives in the
    /// session pipeline as a <see cref="Xml.PayloadStanza"/> (owned by whoever takes it) instead of an <see cref="System.Xml.Linq.XElement"/>.
    /// Plugins add theirs; handlers of the host turn one nobody took into an ordinary stanza.
    /// </summary>
    public IList<Xml.BinaryPayloadElement> BinaryPayloadElements { get; } = [];

    /// <summary>How many IQ requests may await a response at once.</summary>
    public int MaxPendingIqs { get; set; } = 1_000;

    /// <summary>Whether to send initial presence once online.</summary>
    public bool SendInitialPresence { get; set; } = true;

    /// <summary>
    /// Whether to get the roster at login, after binding and before initial presence (RFC 6121 §2.2);
    /// the wait is bounded by <see cref="IqTimeout"/>, and an error or no answer leaves an empty roster.
    /// </summary>
    public bool RequestRoster { get; set; } = true;

    /// <summary>
    /// Whether available presence carries this client's entity capabilities (XEP-0115 <c>&lt;c/&gt;</c>, and the
    /// caps feature in disco#info), so that contacts learn its features without asking. Default on. Off, contacts
    /// learn them only by a disco#info query, as from clients that do not implement caps.
    /// </summary>
    public bool AnnounceCapabilities { get; set; } = true;

    /// <summary>
    /// Which presence subscription requests to approve without asking (given the requester's bare JID);
    /// <c>null</c>, the default, approves none: requests wait in <c>RosterManager.PendingRequests</c>.
    /// </summary>
    public Func<Jid, bool>? AutoApprove { get; set; }

    /// <summary>Where the client and its plugins log.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>The clock for timeouts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The DotNetty event loops; default: <see cref="XmppEventLoops.Shared"/>.</summary>
    public IEventLoopGroup? EventLoopGroup { get; set; }

    /// <summary>
    /// Run on every new session's pipeline (<see cref="ISession.Channel"/>) after the host's handlers are in
    /// place. That pipeline lives as long as the session, across resumed connections (XEP-0198), so
    /// handlers may keep per-session state; the connection's own handlers (TLS, XML, negotiation) are below it.
    /// </summary>
    public IList<Action<IChannelPipeline, ISession>> PipelineInitializers { get; } = [];

    /// <summary>Run once when the client is built (plugins register features and services here).</summary>
    public IList<Action<ISession>> SessionInitializers { get; } = [];

    /// <summary>Stream management (XEP-0198): acknowledgements and resumption after a lost connection; on by default.</summary>
    public StreamManagementOptions StreamManagement { get; } = new();
}
