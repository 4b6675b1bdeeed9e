using System.CommandLine;
using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>The options of <c>xtls chat</c> and their checks.</summary>
internal sealed class ChatOptions
{
    /// <summary>The variable holding the account password.</summary>
    public const string PasswordVariable = "XTLS_PASSWORD";

    /// <summary>The variable holding the password shared with the peer for <c>--srp</c>.</summary>
    public const string SrpPasswordVariable = "XTLS_SRP_PASSWORD";

    /// <summary>The longest <c>--wait</c>, a day: every wait is bounded.</summary>
    public const int MaxWaitSeconds = 86_400;

    private readonly Option<string> _jid = new("--jid")
    {
        Description = $"Your account, user@domain[/resource]; the resource defaults to '{ChatSettings.DefaultResource}'. The password comes from {PasswordVariable} or a prompt, never from the command line.",
        HelpName = "JID",
        Required = true,
    };

    private readonly Option<string?> _server = new("--server")
    {
        Description = "The server's host name or address. Default: the domain of --jid (no SRV lookup).",
        HelpName = "HOST",
    };

    private readonly Option<int> _port = new("--port")
    {
        Description = "The client-to-server port (STARTTLS).",
        HelpName = "PORT",
        DefaultValueFactory = _ => 5222,
    };

    private readonly Option<string?> _serverCert = new("--server-cert")
    {
        Description = "Accept exactly this server certificate (PEM or DER), e.g. a self-signed one. Default: the system's certificate validation.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _peer = new("--peer")
    {
        Description = "Talk to this JID. A full JID (user@domain/resource): one tunnel to that resource. A bare JID (user@domain): a tunnel to every online resource of the contact that supports XTLS, following its presence; a presence subscription is requested if there is none.",
        HelpName = "JID",
    };

    private readonly Option<string?> _accept = new("--accept")
    {
        Description = "Wait for a peer to open a tunnel instead. With a JID, accept only that one (a bare JID: any of its resources, and approve that contact's subscription request); other requests are refused, and no other subscription request is approved.",
        HelpName = "JID",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<int> _wait = new("--wait")
    {
        Description = "With a bare --peer: how long, in seconds, the first tunnel and every line typed while no tunnel is open may wait for one (then the program exits with 4).",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => (int)ChatSettings.DefaultWait.TotalSeconds,
    };

    private readonly Option<string?> _identity = new("--identity")
    {
        Description = $"Your identity (PEM certificate and key), created on first use. Default: xtls/{ProgramPaths.IdentityFileName} in the user's configuration folder.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _knownPeers = new("--known-peers")
    {
        Description = $"Peers' fingerprints: the first one seen is trusted and recorded, a changed one is refused with a warning. Default: xtls/{ProgramPaths.KnownPeersFileName} in the user's configuration folder.",
        HelpName = "FILE",
    };

    private readonly Option<string[]> _expect = new("--expect-fingerprint")
    {
        Description = "Accept only peer certificates with one of these SHA-256 fingerprints (colons optional, any case; give the option once per device); each one presented is then pinned in the known-peers file. With a bare --peer, every resource must present one of them.",
        HelpName = "HEX",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<bool> _srp = new("--srp")
    {
        Description = $"Authenticate with a password shared with the peer (SRP, TLS 1.2) instead of certificates; it comes from {SrpPasswordVariable} or a prompt.",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print each received message as one JSON object per line (from, to, body, method, fingerprint, tls, cipher).",
    };

    private readonly Option<bool> _quiet = new("--quiet", "-q")
    {
        Description = "Leave out status lines on standard error (warnings and errors stay).",
    };

    /// <summary>Adds every option to the command.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (Option option in new Option[] { _jid, _server, _port, _serverCert, _peer, _accept, _wait, _identity, _knownPeers, _expect, _srp, _json, _quiet })
        {
            command.Add(option);
        }
    }

    /// <summary>Checks the parsed values and combines them into settings.</summary>
    /// <exception cref="ProgramFailure">A value or combination is wrong (exit code 2).</exception>
    public ChatSettings ToSettings(ParseResult parse, string configDirectory)
    {
        ArgumentNullException.ThrowIfNull(parse);
        Jid account = Account(parse.GetValue(_jid)!);
        Jid? peer = Peer(parse.GetValue(_peer), parse.GetResult(_accept) is not null, account);
        Jid? acceptFrom = AcceptFrom(parse.GetValue(_accept));
        bool srp = parse.GetValue(_srp);
        int port = parse.GetValue(_port);
        if (port is < 1 or > 65535)
        {
            throw ProgramFailure.Usage($"--port {port} is not a port number (1 to 65535)");
        }

        int wait = parse.GetValue(_wait);
        if (wait is < 1 or > MaxWaitSeconds)
        {
            throw ProgramFailure.Usage($"--wait {wait} is out of range (1 to {MaxWaitSeconds} seconds)");
        }

        string? server = parse.GetValue(_server);
        if (server is not null && string.IsNullOrWhiteSpace(server))
        {
            throw ProgramFailure.Usage("--server is empty");
        }

        return new ChatSettings
        {
            Account = account,
            Server = server,
            Port = port,
            ServerCertificateFile = parse.GetValue(_serverCert),
            Peer = peer,
            AcceptFrom = acceptFrom,
            IdentityFile = ProgramPaths.Identity(parse.GetValue(_identity), configDirectory),
            KnownPeersFile = ProgramPaths.KnownPeers(parse.GetValue(_knownPeers), configDirectory),
            ExpectedFingerprints = Expected(parse.GetValue(_expect) ?? [], srp),
            Wait = TimeSpan.FromSeconds(wait),
            Srp = srp,
            Json = parse.GetValue(_json),
            Quiet = parse.GetValue(_quiet),
        };
    }

    private static Jid Account(string text)
    {
        if (!Jid.TryParse(text, out Jid? account) || account.Local is null)
        {
            throw ProgramFailure.Usage($"--jid '{text}' is not an account JID (user@domain or user@domain/resource)");
        }

        return account.IsFull ? account : account.WithResource(ChatSettings.DefaultResource);
    }

    private static Jid? Peer(string? text, bool accept, Jid account)
    {
        if (text is not null && accept)
        {
            throw ProgramFailure.Usage("--peer and --accept exclude each other: open a tunnel, or wait for one");
        }

        if (text is null && !accept)
        {
            throw ProgramFailure.Usage("give --peer JID (open tunnels) or --accept (wait for one)");
        }

        if (text is null)
        {
            return null;
        }

        if (!Jid.TryParse(text, out Jid? peer) || peer.Local is null)
        {
            throw ProgramFailure.Usage($"--peer '{text}' is not a contact's JID (user@domain or user@domain/resource)");
        }

        if (peer == account || (!peer.IsFull && peer == account.Bare))
        {
            throw ProgramFailure.Usage("--peer names your own JID");
        }

        return peer;
    }

    private static Jid? AcceptFrom(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return Jid.TryParse(text, out Jid? from) ? from : throw ProgramFailure.Usage($"--accept '{text}' is not a JID");
    }

    private static HashSet<Fingerprint> Expected(string[] texts, bool srp)
    {
        var expected = new HashSet<Fingerprint>();
        foreach (string text in texts)
        {
            if (!Fingerprint.TryParse(text, out Fingerprint parsed))
            {
                throw ProgramFailure.Usage($"--expect-fingerprint '{text}' is not a SHA-256 fingerprint (64 hex digits, colons optional)");
            }

            expected.Add(parsed);
        }

        return srp && expected.Count > 0
            ? throw ProgramFailure.Usage("--expect-fingerprint and --srp do not go together: an SRP tunnel has no certificate to pin")
            : expected;
    }
}
