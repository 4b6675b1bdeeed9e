using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>The checked settings of one <c>xtls chat</c> run.</summary>
internal sealed record ChatSettings
{
    /// <summary>The resource used when <c>--jid</c> names none, so that peers can address this side.</summary>
    public const string DefaultResource = "xtls";

    /// <summary>How long a bare-JID chat waits for its first tunnel, and a line for an open tunnel, by default.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    /// <summary>This side's full JID.</summary>
    public required Jid Account { get; init; }

    /// <summary>The server's host name or address; <c>null</c>: the account's domain.</summary>
    public string? Server { get; init; }

    /// <summary>The client-to-server port.</summary>
    public int Port { get; init; } = 5222;

    /// <summary>A PEM or DER file with the one server certificate to accept; <c>null</c>: the system's validation.</summary>
    public string? ServerCertificateFile { get; init; }

    /// <summary>The peer to talk to: a full JID (one tunnel) or a contact's bare JID (a tunnel per resource); <c>null</c> in accept mode.</summary>
    public Jid? Peer { get; init; }

    /// <summary>Whether <see cref="Peer"/> is a contact's bare JID: tunnels to each of its resources that support XTLS.</summary>
    public bool PeerIsContact => Peer is { IsFull: false };

    /// <summary>With a bare-JID peer, how long the first tunnel, and a line while no tunnel is open, may wait.</summary>
    public TimeSpan Wait { get; init; } = DefaultWait;

    /// <summary>In accept mode, the only JID (bare: any of its resources) whose request is accepted; <c>null</c>: anyone.</summary>
    public Jid? AcceptFrom { get; init; }

    /// <summary>Whether this side waits for a tunnel instead of opening one.</summary>
    public bool Accept => Peer is null;

    /// <summary>The identity file (x509).</summary>
    public required string IdentityFile { get; init; }

    /// <summary>The known-peers file (trust on first use, pins).</summary>
    public required string KnownPeersFile { get; init; }

    /// <summary>The peer fingerprints given on the command line; when any are given, only those certificates are accepted.</summary>
    public IReadOnlySet<Fingerprint> ExpectedFingerprints { get; init; } = new HashSet<Fingerprint>();

    /// <summary>Whether the tunnel is authenticated by a password shared with the peer (SRP) instead of certificates.</summary>
    public bool Srp { get; init; }

    /// <summary>Whether received messages are printed as JSON objects.</summary>
    public bool Json { get; init; }

    /// <summary>Whether informational status lines are left out.</summary>
    public bool Quiet { get; init; }
}
