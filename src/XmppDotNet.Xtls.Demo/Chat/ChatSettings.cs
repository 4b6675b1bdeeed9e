using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>The checked settings of one <c>xtls chat</c> run.</summary>
internal sealed record ChatSettings
{
    /// <summary>The resource used when <c>--jid</c> names none, so that peers can address this side.</summary>
    public const string DefaultResource = "xtls";

    /// <summary>This side's full JID.</summary>
    public required Jid Account { get; init; }

    /// <summary>The server's host name or address; <c>null</c>: the account's domain.</summary>
    public string? Server { get; init; }

    /// <summary>The client-to-server port.</summary>
    public int Port { get; init; } = 5222;

    /// <summary>A PEM or DER file with the one server certificate to accept; <c>null</c>: the system's validation.</summary>
    public string? ServerCertificateFile { get; init; }

    /// <summary>The peer to open a tunnel to; <c>null</c> in accept mode.</summary>
    public Jid? Peer { get; init; }

    /// <summary>In accept mode, the only JID (bare: any of its resources) whose request is accepted; <c>null</c>: anyone.</summary>
    public Jid? AcceptFrom { get; init; }

    /// <summary>Whether this side waits for a tunnel instead of opening one.</summary>
    public bool Accept => Peer is null;

    /// <summary>The identity file (x509).</summary>
    public required string IdentityFile { get; init; }

    /// <summary>The known-peers file (trust on first use, pins).</summary>
    public required string KnownPeersFile { get; init; }

    /// <summary>The peer's fingerprint given on the command line; only that certificate is accepted.</summary>
    public Fingerprint? ExpectedFingerprint { get; init; }

    /// <summary>Whether the tunnel is authenticated by a password shared with the peer (SRP) instead of certificates.</summary>
    public bool Srp { get; init; }

    /// <summary>Whether received messages are printed as JSON objects.</summary>
    public bool Json { get; init; }

    /// <summary>Whether informational status lines are left out.</summary>
    public bool Quiet { get; init; }
}
