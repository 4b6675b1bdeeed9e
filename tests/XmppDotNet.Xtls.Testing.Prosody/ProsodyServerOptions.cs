namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>How a throwaway <see cref="ProsodyServer"/> is set up.</summary>
public sealed class ProsodyServerOptions
{
    /// <summary>The XMPP domain of the single virtual host; the certificate is issued for it.</summary>
    public string Domain { get; init; } = "xtls.test";

    /// <summary>
    /// The client-to-server port on 127.0.0.1. Zero (the default) picks a free port and picks
    /// another one if Prosody cannot bind it; a fixed port fails the start instead.
    /// </summary>
    public int Port { get; init; }

    /// <summary>Prosody's minimum log level: debug, info, warn or error.</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>How long a start may take until the port answers an XMPP stream header.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Prosody's <c>c2s_stanza_size_limit</c> in bytes, or <c>null</c> for Prosody's default (256 KiB in 0.12).
    /// Load runs raise it so that a burst of large tunnel records is never cut off by the server.
    /// </summary>
    public int? StanzaSizeLimit { get; init; }

    /// <summary>
    /// Extra Lua lines placed in the global section of the configuration, for tests that need
    /// a setting such as <c>c2s_stanza_size_limit</c> or a module of their own.
    /// </summary>
    public string AdditionalGlobalSettings { get; init; } = string.Empty;
}
