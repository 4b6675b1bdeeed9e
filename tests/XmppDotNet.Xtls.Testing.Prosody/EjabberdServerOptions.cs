namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>How a throwaway <see cref="EjabberdServer"/> is set up.</summary>
public sealed class EjabberdServerOptions
{
    /// <summary>The XMPP domain of the single host; the certificate is issued for it.</summary>
    public string Domain { get; init; } = "xtls.test";

    /// <summary>
    /// The client-to-server port on 127.0.0.1. Zero (the default) picks a free port and picks another one
    /// if ejabberd cannot bind it; a fixed port fails the start instead.
    /// </summary>
    public int Port { get; init; }

    /// <summary>ejabberd's log level: none, emergency, alert, critical, error, warning, notice, info or debug.</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>
    /// How long a start may take until the port answers an XMPP stream header (default 60 s: an Erlang node starts in
    /// about 2 s alone, but far slower on a machine busy with parallel test runs).
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The client connections' shaper (default none; <see cref="EjabberdShaper.Stock"/> is 3000 B/s).</summary>
    public EjabberdShaper Shaper { get; init; } = EjabberdShaper.None;

    /// <summary>The listener's <c>max_stanza_size</c> in bytes (default 262144, as the stock configuration).</summary>
    public int MaxStanzaSize { get; init; } = 262_144;

    /// <summary>
    /// How long <c>mod_stream_mgmt</c> keeps a lost session for resumption (default 300 s, ejabberd's own);
    /// a shorter one lets a test see a resumption refused because it came too late.
    /// </summary>
    public TimeSpan ResumeTimeout { get; init; } = TimeSpan.FromSeconds(300);
}
